//! The consortium's stored types.

use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::derive::serde;
use scale_info::TypeInfo;

/// A hospital of the consortium.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Hospital<Name, BlockNumber> {
	/// Its name, as the others know it.
	pub name: Name,
	/// The block in which the consortium admitted it (zero for the founders).
	pub admitted_at: BlockNumber,
	/// Its node, the one the other hospitals' nodes let connect (none for a founder of a
	/// chain that ran before the consortium, until it names it).
	pub node: Option<NodeId>,
}

/// A node's network identity: the ed25519 public key of its network key. Its libp2p peer id,
/// which `ehr-node key inspect-node-key` prints and the node logs as its "local node
/// identity", is this key as an identity multihash; chain specs and clients write it that
/// way (`12D3KooW…`).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
pub struct NodeId(pub [u8; 32]);

/// What the bytes of an ed25519 key's peer id start with: an identity multihash (0x00) of 36
/// bytes (0x24), holding the protobuf of a public key of type ed25519 (0x08 0x01) with 32
/// bytes of data (0x12 0x20).
const ED25519_PEER_ID_PREFIX: [u8; 6] = [0x00, 0x24, 0x08, 0x01, 0x12, 0x20];

impl NodeId {
	/// The node whose peer id is `bytes`, if it is an ed25519 key's (every Substrate node's).
	pub fn from_peer_id_bytes(bytes: &[u8]) -> Option<Self> {
		let key = bytes.strip_prefix(&ED25519_PEER_ID_PREFIX[..])?;
		Some(Self(key.try_into().ok()?))
	}

	/// The bytes of its peer id.
	pub fn peer_id_bytes(&self) -> Vec<u8> {
		[&ED25519_PEER_ID_PREFIX[..], &self.0[..]].concat()
	}

	/// The node whose peer id is written `text` (base58, `12D3KooW…`).
	pub fn from_peer_id(text: &str) -> Option<Self> {
		Self::from_peer_id_bytes(&bs58::decode(text).into_vec().ok()?)
	}

	/// Its peer id, written as nodes and operators write it.
	pub fn to_peer_id(&self) -> String {
		bs58::encode(self.peer_id_bytes()).into_string()
	}
}

impl serde::Serialize for NodeId {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&self.to_peer_id())
	}
}

impl<'de> serde::Deserialize<'de> for NodeId {
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		let text = String::deserialize(deserializer)?;
		Self::from_peer_id(&text).ok_or_else(|| {
			serde::de::Error::custom("not the peer id of a node's ed25519 key (12D3KooW…)")
		})
	}
}

/// The share of the hospitals a motion needs: at least `ayes` of every `of` of them.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Threshold {
	/// Ayes needed per `of` hospitals.
	pub ayes: u32,
	/// The hospitals the `ayes` are counted against.
	pub of: u32,
}

impl Threshold {
	/// Two thirds of the hospitals.
	pub const TWO_THIRDS: Self = Self { ayes: 2, of: 3 };

	/// Whether the consortium may set it: more than half of the hospitals (so that no two
	/// disjoint groups can both decide) and at most all of them.
	pub fn is_valid(&self) -> bool {
		self.ayes <= self.of && u64::from(self.ayes) * 2 > u64::from(self.of)
	}

	/// Whether `ayes` votes of `seats` hospitals meet it.
	pub fn is_met(&self, ayes: u32, seats: u32) -> bool {
		self.is_valid()
			&& ayes <= seats
			&& u64::from(ayes) * u64::from(self.of) >= u64::from(self.ayes) * u64::from(seats)
	}

	/// The fewest ayes of `seats` hospitals that meet it (at least one).
	pub fn ayes_needed(&self, seats: u32) -> u32 {
		if !self.is_valid() {
			return seats.max(1);
		}
		let needed = (u64::from(self.ayes) * u64::from(seats)).div_ceil(u64::from(self.of));
		u32::try_from(needed).unwrap_or(seats).max(1)
	}
}
