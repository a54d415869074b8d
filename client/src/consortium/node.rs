//! A hospital's node: its network identity, and the proof, signed with its network key, that
//! it may be a given hospital's on a given chain.

use std::{fmt, path::Path};

use sp_core::{ed25519, Pair as _};

use crate::{chain::AccountId, runtime, Error, Result};

/// The tag a node's claim to be a hospital's starts with (the runtime's `NODE_CLAIM_TAG`).
const NODE_CLAIM_TAG: [u8; 16] = *b"ehr/node-claim/1";

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

/// A node's signature over its claim to be a hospital's node on a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeProof(pub [u8; 64]);

impl NodeProof {
	/// Reads a proof as [`NodeProof`]'s `Display` writes it (128 hex digits).
	pub fn parse(text: &str) -> Result<Self> {
		let digits = text.trim().trim_start_matches("0x");
		hex::decode(digits).ok().and_then(|b| b.try_into().ok()).map(Self).ok_or_else(|| {
			Error::Input(format!(
				"`{text}` is no node proof (128 hex digits: `ehr consortium node-proof` makes it on the node's machine)"
			))
		})
	}
}

impl fmt::Display for NodeProof {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "0x{}", hex::encode(self.0))
	}
}

/// A node's network key (its secret), as the node keeps it.
pub struct NodeKey(ed25519::Pair);

impl NodeKey {
	/// The key in `path`: the node's `--node-key-file`, or its
	/// `<base path>/chains/<chain id>/network/secret_ed25519`; 32 bytes, or 64 hex digits.
	pub fn from_file(path: &Path) -> Result<Self> {
		let bytes = std::fs::read(path)
			.map_err(|e| Error::Key(format!("cannot read the node key {}: {e}", path.display())))?;
		let text = std::str::from_utf8(&bytes).ok().map(str::trim);
		match text.filter(|t| t.len() == 64) {
			Some(hex_text) => Self::from_hex(hex_text),
			None => bytes.try_into().map(Self::from_seed).map_err(|_| {
				Error::Key(format!(
					"{} is no node key (32 bytes, or 64 hex digits: `ehr-node key generate-node-key --file` makes one)",
					path.display()
				))
			}),
		}
	}

	/// The key whose secret is written in hex (as `--node-key` takes it).
	pub fn from_hex(text: &str) -> Result<Self> {
		let digits = text.trim().trim_start_matches("0x");
		hex::decode(digits)
			.ok()
			.and_then(|b| <[u8; 32]>::try_from(b).ok())
			.map(Self::from_seed)
			.ok_or_else(|| Error::Key("a node key is 64 hex digits".into()))
	}

	/// The key of secret `seed`.
	pub fn from_seed(seed: [u8; 32]) -> Self {
		Self(ed25519::Pair::from_seed(&seed))
	}

	/// The node it identifies.
	pub fn node(&self) -> NodeId {
		NodeId(self.0.public().0)
	}

	/// Its proof that its node may be `hospital`'s on the chain whose genesis hash is
	/// `genesis`.
	pub fn prove(&self, genesis: [u8; 32], hospital: &AccountId) -> NodeProof {
		let claim = [&NODE_CLAIM_TAG[..], &genesis[..], &hospital.0[..]].concat();
		NodeProof(self.0.sign(&claim).0)
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

	#[test]
	fn a_node_key_reads_as_its_node_writes_it() {
		let dir = tempfile::tempdir().expect("temp dir");
		let secret = format!("{:064x}", 1);
		std::fs::write(dir.path().join("hex"), format!("{secret}\n")).expect("write");
		let mut raw = [0u8; 32];
		raw[31] = 1;
		std::fs::write(dir.path().join("raw"), raw).expect("write");
		for file in ["hex", "raw"] {
			let key = NodeKey::from_file(&dir.path().join(file)).expect("a node key");
			// The peer id `ehr-node key inspect-node-key` prints for the key 0x00…01.
			assert_eq!(
				key.node().to_string(),
				"12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"
			);
		}
		std::fs::write(dir.path().join("short"), [1u8; 31]).expect("write");
		assert!(matches!(NodeKey::from_file(&dir.path().join("short")), Err(Error::Key(_))));
	}

	#[test]
	fn a_proof_is_the_node_keys_signature_of_its_claim() {
		let key = NodeKey::from_seed([3; 32]);
		let hospital = AccountId::from([5; 32]);
		let proof = key.prove([7; 32], &hospital);
		let claim = [&b"ehr/node-claim/1"[..], &[7; 32], &[5; 32]].concat();
		let public = ed25519::Public::from_raw(key.node().0);
		assert!(ed25519::Pair::verify(&ed25519::Signature::from_raw(proof.0), claim, &public));
		assert_eq!(NodeProof::parse(&proof.to_string()).expect("reads back"), proof);
		assert!(NodeProof::parse("0x12").is_err());
	}
}
