//! A hospital's node, by its network identity.

use std::fmt;

use crate::{runtime, Error, Result};

/// A node's network identity: the public key of its network key, written as its peer id
/// (`12D3KooW…`, as `ehr-node key inspect-node-key` prints it and the node logs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeId(pub [u8; 32]);

/// What the bytes of an ed25519 key's peer id start with (an identity multihash of the key's
/// protobuf).
const ED25519_PEER_ID_PREFIX: [u8; 6] = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20];

impl NodeId {
	/// Reads a peer id as nodes write it.
	pub fn parse(text: &str) -> Result<Self> {
		let text = text.trim();
		bs58::decode(text)
			.into_vec()
			.ok()
			.and_then(|bytes| Some(Self(bytes.strip_prefix(&ED25519_PEER_ID_PREFIX[..])?.try_into().ok()?)))
			.ok_or_else(|| {
				Error::Input(format!(
					"`{text}` is no node's peer id (12D3KooW…: `ehr-node key inspect-node-key --file <its node key>` prints it)"
				))
			})
	}
}

impl fmt::Display for NodeId {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let bytes = [&ED25519_PEER_ID_PREFIX[..], &self.0[..]].concat();
		f.write_str(&bs58::encode(bytes).into_string())
	}
}

impl From<&NodeId> for runtime::runtime_types::pallet_consortium::types::NodeId {
	fn from(node: &NodeId) -> Self {
		Self(node.0)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn peer_ids_read_and_write_back() {
		// The peer id of the network key 0x00…01, as `ehr-node key inspect-node-key` prints it.
		let written = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
		let node = NodeId::parse(&format!(" {written}\n")).expect("a peer id");
		assert_eq!(node.to_string(), written);
	}

	#[test]
	fn anything_else_is_refused_with_how_to_get_a_peer_id() {
		// Not base58, truncated, and an account address (the wrong kind of key).
		for wrong in [
			"0OIl",
			"12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcX",
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
		] {
			let error = NodeId::parse(wrong).expect_err(wrong);
			assert!(
				matches!(&error, Error::Input(text) if text.contains("inspect-node-key")),
				"{error}"
			);
		}
	}
}
