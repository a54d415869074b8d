//! What operations return, as users see it: accounts in SS58, hashes in hex, names as text.

use serde::Serialize;

use crate::chain::{AccountId, BoundedVec, RecordEntry};

/// `bytes` as the chain's bounded vector (the chain checks the bound).
pub(crate) fn bounded(bytes: impl Into<Vec<u8>>) -> BoundedVec<u8> {
	BoundedVec(bytes.into())
}

/// Bytes the chain holds as text, as text.
pub(crate) fn text(bytes: &BoundedVec<u8>) -> String {
	String::from_utf8_lossy(&bytes.0).into_owned()
}

/// Bytes in hex, with `0x`.
pub(crate) fn hex32(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// A record entry as shown to users.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
	/// The patient.
	pub patient: String,
	/// Position in the chain.
	pub index: u32,
	/// The entry's hash.
	pub hash: String,
	/// The previous entry's hash.
	pub prev_hash: String,
	/// What the document is.
	pub kind: String,
	/// Who wrote it.
	pub author: String,
	/// The author's specialty.
	pub specialty: String,
	/// Key epoch it was written under.
	pub key_epoch: u32,
	/// The entry it corrects.
	pub amends: Option<u32>,
	/// Author's timestamp, Unix milliseconds.
	pub timestamp: u64,
	/// Proof-of-work difficulty in bits.
	pub difficulty: u8,
	/// Proof-of-work nonce.
	pub nonce: u64,
	/// SHA-256 of the ciphertext.
	pub ciphertext_hash: String,
	/// Commitment to the plaintext.
	pub content_commitment: String,
	/// Where the ciphertext is.
	pub locator: String,
	/// Block that included it.
	pub block: u32,
}

impl EntryView {
	pub(crate) fn new(patient: &AccountId, entry: &RecordEntry) -> Self {
		let b = &entry.body;
		Self {
			patient: patient.to_string(),
			index: b.index,
			hash: hex32(&entry.hash.0),
			prev_hash: hex32(&b.prev_hash.0),
			kind: format!("{:?}", b.kind),
			author: b.author.to_string(),
			specialty: text(&b.specialty),
			key_epoch: b.key_epoch,
			amends: b.amends,
			timestamp: b.timestamp,
			difficulty: b.difficulty,
			nonce: b.nonce,
			ciphertext_hash: hex32(&b.ciphertext_hash.0),
			content_commitment: hex32(&b.content_commitment.0),
			locator: text(&b.locator),
			block: entry.block,
		}
	}
}

/// A grant as shown to users.
#[derive(Debug, Clone, Serialize)]
pub struct GrantView {
	/// The other side: the professional for "my doctors", the patient for "my patients".
	pub account: String,
	/// Its display name, for professionals.
	pub name: Option<String>,
	/// `Read` or `ReadWrite`.
	pub scope: String,
	/// Last block of the grant, if it expires.
	pub expires_at: Option<u32>,
	/// When that block comes, Unix milliseconds: estimated from the chain's time now and its
	/// block time.
	pub expires_around: Option<u64>,
	/// Key epoch of the envelope it carries.
	pub key_epoch: u32,
	/// Block it was granted.
	pub granted_at: u32,
	/// Whether it can be used now (not revoked, not expired).
	pub live: bool,
}
