//! Documents, each sealed under its own data key (see the keys in [`super`]).
//!
//! # Format (`EHRDOC2`)
//! ```text
//! magic        8 bytes  "EHRDOC2\0"
//! key_epoch    4 bytes  little endian
//! stream_nonce 19 bytes nonce prefix of the STREAM construction
//! wrap_nonce   24 bytes
//! wrapped      80 bytes XChaCha20-Poly1305(wrap key, wrap_nonce, data key ‖ salt,
//!                       aad = patient ‖ header so far)
//! chunks       XChaCha20-Poly1305 (data key) STREAM (BE32) of 64 KiB plaintext chunks, 16-byte
//!              tag each
//! ```
//! The content commitment on chain is `SHA-256(salt ‖ plaintext)`: it hides the document from
//! anyone without the record key and lets anyone with it check the decrypted file.
//!
//! `EHRDOC1`, the earlier format, wrapped under the record key itself and derived from it by HMAC
//! as well; this client refuses it by name.

use std::io::{BufRead, BufReader, Read, Write};

use chacha20poly1305::{
	aead::{stream, Aead, KeyInit, Payload},
	XChaCha20Poly1305, XNonce,
};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{hmac, kdf, Secret32};
use crate::Error;

/// Plaintext bytes per encrypted chunk.
pub const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const MAGIC: &[u8; 8] = b"EHRDOC2\0";
const OLD_MAGIC: &[u8; 8] = b"EHRDOC1\0";
const STREAM_NONCE: usize = 19;
const WRAP_NONCE: usize = 24;
const WRAPPED: usize = 64 + TAG;
/// Length of the header in front of the encrypted chunks.
pub const HEADER_LEN: usize = MAGIC.len() + 4 + STREAM_NONCE + WRAP_NONCE + WRAPPED;

/// The keys a record key is split into, one per primitive (see the module docs).
struct Subkeys {
	/// XChaCha20-Poly1305 key that wraps a document's data key and salt.
	wrap: Secret32,
	/// HMAC-SHA256 key that derives a document's data key, salt and nonces.
	derivation: Secret32,
}

impl Subkeys {
	fn of(record_key: &Secret32) -> Self {
		Self {
			wrap: kdf(record_key.expose(), b"ehr document wrap key v2"),
			derivation: kdf(record_key.expose(), b"ehr document derivation key v2"),
		}
	}
}

/// What encrypting a document produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
	/// `SHA-256(salt ‖ plaintext)`.
	pub content_commitment: [u8; 32],
	/// SHA-256 of the whole ciphertext, header included.
	pub ciphertext_hash: [u8; 32],
	/// Bytes of plaintext.
	pub plaintext_len: u64,
	/// Bytes of ciphertext.
	pub ciphertext_len: u64,
}

/// What decrypting a document produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
	/// The commitment recomputed from the decrypted plaintext and its salt.
	pub content_commitment: [u8; 32],
	/// Bytes of plaintext written.
	pub plaintext_len: u64,
}

struct DocKeys {
	data_key: Secret32,
	salt: Secret32,
	stream_nonce: [u8; STREAM_NONCE],
	wrap_nonce: [u8; WRAP_NONCE],
}

impl DocKeys {
	fn derive(derivation_key: &Secret32, plaintext_hash: &[u8; 32]) -> Self {
		let k = derivation_key.expose();
		let mut stream_nonce = [0u8; STREAM_NONCE];
		stream_nonce.copy_from_slice(&hmac(k, &[b"stream nonce", plaintext_hash])[..STREAM_NONCE]);
		let mut wrap_nonce = [0u8; WRAP_NONCE];
		wrap_nonce.copy_from_slice(&hmac(k, &[b"wrap nonce", plaintext_hash])[..WRAP_NONCE]);
		Self {
			data_key: Secret32(hmac(k, &[b"data key", plaintext_hash])),
			salt: Secret32(hmac(k, &[b"salt", plaintext_hash])),
			stream_nonce,
			wrap_nonce,
		}
	}
}

/// Reads into `buf` until it is full or the input ends; returns the bytes read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> Result<usize, Error> {
	let mut filled = 0;
	while filled < buf.len() {
		match input.read(&mut buf[filled..]) {
			Ok(0) => break,
			Ok(n) => filled += n,
			Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {},
			Err(e) => return Err(Error::Io(e)),
		}
	}
	Ok(filled)
}

/// SHA-256 of everything `input` yields, and its length, reading in chunks.
pub fn hash_reader(
	mut input: impl Read,
	mut progress: impl FnMut(u64),
) -> Result<([u8; 32], u64), Error> {
	let mut hasher = Sha256::new();
	let mut buf = vec![0u8; CHUNK];
	let mut total = 0u64;
	loop {
		let n = read_full(&mut input, &mut buf)?;
		if n == 0 {
			break;
		}
		hasher.update(&buf[..n]);
		total += n as u64;
		progress(n as u64);
	}
	Ok((hasher.finalize().into(), total))
}

/// Writes that also hash what passes through.
struct HashingWriter<W> {
	inner: W,
	hasher: Sha256,
	written: u64,
}

impl<W: Write> HashingWriter<W> {
	fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
		self.inner.write_all(bytes)?;
		self.hasher.update(bytes);
		self.written += bytes.len() as u64;
		Ok(())
	}
}

/// Encrypts the document `input` of `patient` under the record key of `epoch`.
///
/// `plaintext_hash` is the SHA-256 of the whole input (see [`hash_reader`]); the input is read
/// once more here, a chunk at a time, so memory stays constant whatever the file's size.
pub fn encrypt(
	patient: &[u8; 32],
	epoch: u32,
	record_key: &Secret32,
	plaintext_hash: &[u8; 32],
	mut input: impl Read,
	output: impl Write,
	mut progress: impl FnMut(u64),
) -> Result<Sealed, Error> {
	let subkeys = Subkeys::of(record_key);
	let keys = DocKeys::derive(&subkeys.derivation, plaintext_hash);
	let mut out = HashingWriter { inner: output, hasher: Sha256::new(), written: 0 };
	let mut header = Vec::with_capacity(HEADER_LEN);
	header.extend_from_slice(MAGIC);
	header.extend_from_slice(&epoch.to_le_bytes());
	header.extend_from_slice(&keys.stream_nonce);
	header.extend_from_slice(&keys.wrap_nonce);
	let mut aad = patient.to_vec();
	aad.extend_from_slice(&header);
	let mut secret = Zeroizing::new([0u8; 64]);
	secret[..32].copy_from_slice(keys.data_key.expose());
	secret[32..].copy_from_slice(keys.salt.expose());
	let wrapped = XChaCha20Poly1305::new(subkeys.wrap.expose().into())
		.encrypt(XNonce::from_slice(&keys.wrap_nonce), Payload { msg: &secret[..], aad: &aad })
		.map_err(|_| Error::Crypto("wrapping the data key failed"))?;
	header.extend_from_slice(&wrapped);
	out.put(&header)?;

	let mut commitment = Sha256::new();
	commitment.update(keys.salt.expose());
	let mut encryptor = stream::EncryptorBE32::from_aead(
		XChaCha20Poly1305::new(keys.data_key.expose().into()),
		keys.stream_nonce.as_ref().into(),
	);
	let mut buf = Zeroizing::new(vec![0u8; CHUNK]);
	let mut plaintext_len = 0u64;
	// A chunk is only known to be the last once the next read comes back empty.
	let mut filled = read_full(&mut input, &mut buf)?;
	loop {
		let mut next = Zeroizing::new(vec![0u8; CHUNK]);
		let next_filled = if filled == CHUNK { read_full(&mut input, &mut next)? } else { 0 };
		commitment.update(&buf[..filled]);
		plaintext_len += filled as u64;
		progress(filled as u64);
		if next_filled == 0 {
			let last = encryptor
				.encrypt_last(&buf[..filled])
				.map_err(|_| Error::Crypto("encryption failed"))?;
			out.put(&last)?;
			break;
		}
		let chunk = encryptor
			.encrypt_next(&buf[..filled])
			.map_err(|_| Error::Crypto("encryption failed"))?;
		out.put(&chunk)?;
		buf = next;
		filled = next_filled;
	}
	out.inner.flush()?;
	Ok(Sealed {
		content_commitment: commitment.finalize().into(),
		ciphertext_hash: out.hasher.finalize().into(),
		plaintext_len,
		ciphertext_len: out.written,
	})
}

/// The key epoch a ciphertext says it was written under, read from its header.
pub fn ciphertext_epoch(header: &[u8]) -> Result<u32, Error> {
	if header.len() >= OLD_MAGIC.len() && &header[..OLD_MAGIC.len()] == OLD_MAGIC {
		return Err(Error::Crypto(
			"the stored file is in the old EHRDOC1 format, which this client no longer opens",
		));
	}
	if header.len() < MAGIC.len() + 4 || &header[..MAGIC.len()] != MAGIC {
		return Err(Error::Crypto("the stored file is not an EHR document"));
	}
	let mut epoch = [0u8; 4];
	epoch.copy_from_slice(&header[MAGIC.len()..MAGIC.len() + 4]);
	Ok(u32::from_le_bytes(epoch))
}

/// Decrypts a document of `patient` made by [`encrypt`] under `record_key`, writing the plaintext
/// to `output` a chunk at a time. Fails without writing anything further at the first chunk that
/// does not authenticate, and if the ciphertext was cut short.
pub fn decrypt(
	patient: &[u8; 32],
	record_key: &Secret32,
	input: impl Read,
	mut output: impl Write,
	mut progress: impl FnMut(u64),
) -> Result<Opened, Error> {
	let mut input = BufReader::with_capacity(CHUNK + TAG, input);
	let mut header = [0u8; HEADER_LEN];
	if read_full(&mut input, &mut header)? != HEADER_LEN {
		return Err(Error::Crypto("the stored file is too short to be an EHR document"));
	}
	ciphertext_epoch(&header)?;
	let fixed = HEADER_LEN - WRAPPED;
	let mut aad = patient.to_vec();
	aad.extend_from_slice(&header[..fixed]);
	let wrap_nonce = &header[MAGIC.len() + 4 + STREAM_NONCE..fixed];
	let wrap_key = Subkeys::of(record_key).wrap;
	let secret = Zeroizing::new(
		XChaCha20Poly1305::new(wrap_key.expose().into())
			.decrypt(XNonce::from_slice(wrap_nonce), Payload { msg: &header[fixed..], aad: &aad })
			.map_err(|_| Error::Crypto("the document's key does not open with this record key"))?,
	);
	let mut data_key = Secret32([0u8; 32]);
	data_key.0.copy_from_slice(&secret[..32]);
	let stream_nonce = &header[MAGIC.len() + 4..MAGIC.len() + 4 + STREAM_NONCE];
	let mut decryptor = Some(stream::DecryptorBE32::from_aead(
		XChaCha20Poly1305::new(data_key.expose().into()),
		stream_nonce.into(),
	));
	let mut commitment = Sha256::new();
	commitment.update(&secret[32..]);
	let mut buf = vec![0u8; CHUNK + TAG];
	let mut plaintext_len = 0u64;
	loop {
		let n = read_full(&mut input, &mut buf)?;
		let last = n < CHUNK + TAG || input.fill_buf()?.is_empty();
		if n < TAG {
			return Err(Error::Crypto("the stored file was cut short"));
		}
		let bad = |_| Error::Crypto("the stored file does not authenticate: it was changed or cut");
		let plain = Zeroizing::new(
			if last {
				decryptor.take().map(|d| d.decrypt_last(&buf[..n]))
			} else {
				decryptor.as_mut().map(|d| d.decrypt_next(&buf[..n]))
			}
			.ok_or(Error::Crypto("the stored file goes on after its last chunk"))?
			.map_err(bad)?,
		);
		commitment.update(&plain[..]);
		output.write_all(&plain)?;
		plaintext_len += plain.len() as u64;
		progress(n as u64);
		if last {
			break;
		}
	}
	output.flush()?;
	Ok(Opened { content_commitment: commitment.finalize().into(), plaintext_len })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::crypto::{record_key, sha256};
	use proptest::prelude::*;

	const PATIENT: [u8; 32] = [7u8; 32];

	fn seal(data: &[u8], key: &Secret32) -> (Sealed, Vec<u8>) {
		let (hash, _) = hash_reader(data, |_| {}).unwrap();
		let mut out = Vec::new();
		let sealed = encrypt(&PATIENT, 3, key, &hash, data, &mut out, |_| {}).unwrap();
		(sealed, out)
	}

	#[test]
	fn round_trip_keeps_every_byte_and_the_commitment() {
		let key = Secret32([1u8; 32]);
		for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
			let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
			let (sealed, blob) = seal(&data, &key);
			assert_eq!(sealed.ciphertext_hash, sha256(&blob));
			assert_eq!(sealed.ciphertext_len, blob.len() as u64);
			assert_eq!(ciphertext_epoch(&blob).unwrap(), 3);
			let mut back = Vec::new();
			let opened = decrypt(&PATIENT, &key, &blob[..], &mut back, |_| {}).unwrap();
			assert_eq!(back, data, "length {len}");
			assert_eq!(opened.content_commitment, sealed.content_commitment);
		}
	}

	#[test]
	fn same_document_same_epoch_gives_the_same_ciphertext() {
		let key = Secret32([2u8; 32]);
		assert_eq!(seal(b"note", &key).1, seal(b"note", &key).1);
		assert_ne!(seal(b"note", &key).1, seal(b"note", &Secret32([3u8; 32])).1);
		assert_ne!(
			seal(b"note", &key).0.content_commitment,
			seal(b"note.", &key).0.content_commitment
		);
	}

	#[test]
	fn wrong_key_wrong_patient_and_truncation_are_refused() {
		let key = Secret32([4u8; 32]);
		let data = vec![9u8; 2 * CHUNK + 5];
		let (_, blob) = seal(&data, &key);
		let mut sink = Vec::new();
		assert!(decrypt(&PATIENT, &Secret32([5u8; 32]), &blob[..], &mut sink, |_| {}).is_err());
		assert!(decrypt(&[8u8; 32], &key, &blob[..], &mut sink, |_| {}).is_err());
		// Dropping the last chunk leaves a stream whose final chunk is not marked last.
		let cut = &blob[..HEADER_LEN + CHUNK + TAG];
		assert!(decrypt(&PATIENT, &key, cut, &mut Vec::new(), |_| {}).is_err());
		assert!(decrypt(&PATIENT, &key, &blob[..HEADER_LEN - 1], &mut Vec::new(), |_| {}).is_err());
	}

	#[test]
	fn the_data_key_is_not_wrapped_under_the_record_key_itself() {
		let key = Secret32([12u8; 32]);
		let (_, blob) = seal(b"domain separation", &key);
		let fixed = HEADER_LEN - WRAPPED;
		let mut aad = PATIENT.to_vec();
		aad.extend_from_slice(&blob[..fixed]);
		let open = |k: &Secret32| {
			XChaCha20Poly1305::new(k.expose().into()).decrypt(
				XNonce::from_slice(&blob[fixed - WRAP_NONCE..fixed]),
				Payload { msg: &blob[fixed..HEADER_LEN], aad: &aad },
			)
		};
		assert!(open(&key).is_err(), "the record key itself must not be an AEAD key");
		assert!(open(&Subkeys::of(&key).wrap).is_ok(), "the wrap subkey is");
	}

	#[test]
	fn every_subkey_differs_from_the_others_and_from_the_record_key() {
		let key = record_key(&Secret32([13u8; 32]));
		let subkeys = Subkeys::of(&key);
		assert_ne!(subkeys.wrap, subkeys.derivation);
		assert_ne!(subkeys.wrap, key);
		assert_ne!(subkeys.derivation, key);
		let other = Subkeys::of(&record_key(&Secret32([14u8; 32])));
		assert_ne!(other.wrap, subkeys.wrap);
		assert_ne!(other.derivation, subkeys.derivation);
		// The data key and salt come from the derivation key, not the record key.
		let hash = sha256(b"a document");
		let doc = DocKeys::derive(&subkeys.derivation, &hash);
		assert_ne!(doc.data_key.0, hmac(key.expose(), &[b"data key", &hash]));
		assert_ne!(doc.salt.0, hmac(key.expose(), &[b"salt", &hash]));
	}

	#[test]
	fn the_old_format_is_refused_by_name() {
		let key = Secret32([15u8; 32]);
		let (_, mut blob) = seal(b"old", &key);
		blob[..8].copy_from_slice(OLD_MAGIC);
		let refused = decrypt(&PATIENT, &key, &blob[..], &mut Vec::new(), |_| {}).unwrap_err();
		assert!(refused.to_string().contains("EHRDOC1"), "{refused}");
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(32))]
		#[test]
		fn any_flipped_bit_is_detected(len in 0usize..(2 * CHUNK + 100), at in any::<prop::sample::Index>(), bit in 0u8..8) {
			let key = Secret32([11u8; 32]);
			let data = vec![0x5au8; len];
			let (_, mut blob) = seal(&data, &key);
			let i = at.index(blob.len());
			blob[i] ^= 1 << bit;
			let refused = decrypt(&PATIENT, &key, &blob[..], &mut Vec::new(), |_| {}).is_err();
			prop_assert!(refused);
		}
	}
}
