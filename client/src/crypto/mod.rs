//! Encryption of documents and key wrapping.
//!
//! # Keys
//! - Every patient has a **record key per key epoch**, for the [`KEY_EPOCHS`] epochs `0` to
//!   `KEY_EPOCHS - 1`. Epoch keys come from a hash chain of seeds: the last,
//!   `seed[KEY_EPOCHS - 1]`, is `HKDF-SHA256(record master, "ehr record seed chain v2")`, and
//!   `seed[e] = SHA-256(seed[e + 1])`. Whoever holds `seed[e]` can compute every earlier seed, so a
//!   grantee reads the whole history, but no later one: after a revoke advances the epoch, the
//!   revoked party cannot compute the new seed. The record key of epoch `e` is
//!   `HKDF-SHA256(seed[e], "ehr record key v1")`.
//! - A record key is never used as a cipher or MAC key itself: it only feeds HKDF-SHA256, which
//!   gives one subkey per purpose, so no key serves two primitives:
//!   - the **wrap key**, `HKDF(record key, "ehr document wrap key v2")`: the XChaCha20-Poly1305
//!     key that wraps each document's data key and salt;
//!   - the **derivation key**, `HKDF(record key, "ehr document derivation key v2")`: the
//!     HMAC-SHA256 key that derives each document's data key, salt and nonces.
//! - A seed is handed to a grantee (or escrowed for the consortium's emergency key) in an
//!   **envelope**: HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//!   ChaCha20-Poly1305, with the patient's account and the epoch bound in the HPKE `info`. It
//!   seals [`RecordSeeds`](crate::seeds::RecordSeeds): the epoch's seed and, for a patient
//!   that moved to a new key, the bridges to the seeds of its earlier keys (see
//!   [`crate::seeds`]).
//! - Every document has its **own data key**: `HMAC-SHA256(derivation key, "data key" ‖
//!   SHA-256(plaintext))`, and likewise its salt (`"salt"`), STREAM nonce prefix
//!   (`"stream nonce"`) and wrap nonce (`"wrap nonce"`), truncated to their lengths. So encrypting
//!   the same document twice under the same epoch gives the same ciphertext: a retried upload
//!   finds the entry it already made instead of making a second one.
//!
//! The document format is [`document`]'s; envelopes are [`envelope`]'s; the seed chain,
//! [`epochs`]'s; messages between a patient and its professionals, [`message`]'s. Their items
//! (but the last) are re-exported here.

use hkdf::Hkdf;
use hmac::{digest::KeyInit, Hmac, Mac};
use rand_core::{OsRng, TryRngCore};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::Error;

pub mod document;
pub mod envelope;
pub mod epochs;
pub mod message;

pub use document::{
	ciphertext_epoch, decrypt, encrypt, hash_reader, Opened, Sealed, CHUNK, HEADER_LEN,
};
pub use envelope::{open_seeds, seal_seeds, EncryptionKey};
pub use epochs::{earlier_seed, record_key, SeedChain, KEY_EPOCHS};

type HmacSha256 = Hmac<Sha256>;

/// 32 bytes of secret key material, wiped when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct Secret32(pub(crate) [u8; 32]);

impl std::fmt::Debug for Secret32 {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str("Secret32(<redacted>)")
	}
}

impl Secret32 {
	/// Random key material from the operating system.
	pub fn random() -> Result<Self, Error> {
		let mut bytes = [0u8; 32];
		OsRng.try_fill_bytes(&mut bytes).map_err(|e| Error::Random(e.to_string()))?;
		Ok(Self(bytes))
	}

	/// The raw bytes, for callers that must hand them to another primitive.
	pub fn expose(&self) -> &[u8; 32] {
		&self.0
	}
}

/// HKDF-SHA256 with an empty salt, expanded to 32 bytes.
pub(crate) fn kdf(ikm: &[u8], info: &[u8]) -> Secret32 {
	let mut out = [0u8; 32];
	// 32 bytes is always a valid HKDF-SHA256 output length.
	let _ = Hkdf::<Sha256>::new(None, ikm).expand(info, &mut out);
	Secret32(out)
}

pub(crate) fn hmac(key: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
	// HMAC pads a key shorter than the hash's block with zeros; padding it here makes the
	// constructor infallible and the result the same.
	let mut block = Zeroizing::new([0u8; 64]);
	block[..32].copy_from_slice(key);
	let mut mac = <HmacSha256 as KeyInit>::new(block.as_ref().into());
	for part in parts {
		mac.update(part);
	}
	mac.finalize().into_bytes().into()
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
	Sha256::digest(data).into()
}

/// Keyed commitment to an identifier (an insurance or licence number) under a consortium key:
/// `HMAC-SHA256(key, domain ‖ normalised identifier)`.
///
/// The identifier is normalised (ASCII letters upper-cased, spaces and dashes dropped) so the
/// same number typed two ways gives one commitment.
pub fn keyed_commitment(
	key: &Secret32,
	domain: &[u8],
	identifier: &str,
) -> Result<[u8; 32], Error> {
	let normal: Zeroizing<String> = Zeroizing::new(
		identifier
			.chars()
			.filter(|c| !c.is_whitespace() && *c != '-')
			.map(|c| c.to_ascii_uppercase())
			.collect(),
	);
	if normal.is_empty() {
		return Err(Error::Input("the number is empty".into()));
	}
	Ok(hmac(key.expose(), &[domain, normal.as_bytes()]))
}

/// Keyed commitment to an insurance number: one patient per number, never the number on chain.
pub fn insurance_commitment(consortium_key: &Secret32, number: &str) -> Result<[u8; 32], Error> {
	keyed_commitment(consortium_key, b"ehr insurance number v1", number)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn insurance_commitment_ignores_formatting_but_not_digits() {
		let key = Secret32([1u8; 32]);
		let a = insurance_commitment(&key, "ab 123-456").unwrap();
		assert_eq!(a, insurance_commitment(&key, "AB123456").unwrap());
		assert_ne!(a, insurance_commitment(&key, "AB123457").unwrap());
		assert_ne!(a, insurance_commitment(&Secret32([2u8; 32]), "AB123456").unwrap());
		assert!(insurance_commitment(&key, " - ").is_err());
	}
}
