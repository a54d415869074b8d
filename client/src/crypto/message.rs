//! Messages about a patient: a text sealed to its recipients and signed by its sender.
//!
//! A message is one blob, the SCALE encoding of [`Sealed`]:
//!
//! - a random 32-byte **message key** encrypts the text with XChaCha20-Poly1305 under a random
//!   nonce; the associated data binds the version, the patient, the sender, the time and every
//!   recipient, so none of them can be changed without the tag failing;
//! - the message key is sealed to each reader's X25519 key with HPKE (the suite of
//!   [`super::envelope`]), the patient's and the reader's accounts bound in its `info`: one
//!   **key slot** per recipient, in the recipients' order, then one for the sender, so it can
//!   read what it sent; no slot for anyone else;
//! - a **key commitment**, `SHA-256("ehr message key commitment v1" ‖ message key)`, is part of
//!   what is signed, and a reader checks the key its slot gave against it: every reader opens
//!   the same text (the AEAD alone would let a sender make one ciphertext that opens to two
//!   texts under two keys);
//! - the sender's sr25519 key **signs** `"ehr message v1" ‖ SHA-256(everything before the
//!   signature)`, so a reader knows who wrote it without trusting the store or the chain.
//!
//! The text is UTF-8 without control characters other than line breaks and tabs, so that no
//! message can draw a fake line on a terminal.
//!
//! The chain's notice carries the blob's SHA-256; a reader checks the blob against it, then the
//! signature against the notice's sender, then opens its slot.

use chacha20poly1305::{
	aead::{Aead, KeyInit, Payload},
	XChaCha20Poly1305, XNonce,
};
use codec::{Decode, DecodeAll, Encode};
use hpke::{
	aead::ChaCha20Poly1305 as HpkeAead, kdf::HkdfSha256, kem::X25519HkdfSha256, Deserializable,
	OpModeR, OpModeS, Serializable,
};
use rand_core::{OsRng, TryRngCore, UnwrapErr};
use sha2::{Digest, Sha256};
use sp_core::{crypto::Pair as _, sr25519};
use zeroize::Zeroizing;

use super::{EncryptionKey, Secret32};
use crate::Error;

/// The format's version.
const VERSION: u8 = 1;
/// Longest text of one message, in bytes.
pub const MAX_TEXT: usize = 16 * 1024;
/// Largest blob a reader accepts: the longest text and the most key slots, with room to spare.
pub const MAX_BLOB: usize = 32 * 1024;
/// Most key slots: the runtime's largest recipient list and the sender.
const MAX_SLOTS: usize = 64;

/// The message key sealed to one reader.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct KeySlot {
	/// The reader's account.
	pub to: [u8; 32],
	/// HPKE's encapsulated key.
	pub encapped: [u8; 32],
	/// The sealed message key and its tag.
	pub sealed: Vec<u8>,
}

/// A sealed, signed message, as stored.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct Sealed {
	/// The format's version: 1.
	pub version: u8,
	/// The patient it is about.
	pub patient: [u8; 32],
	/// The sender's account.
	pub from: [u8; 32],
	/// The recipients' accounts, as the chain's notice names them.
	pub to: Vec<[u8; 32]>,
	/// When the sender wrote it, Unix milliseconds.
	pub sent_at: u64,
	/// One slot per recipient and one for the sender.
	pub slots: Vec<KeySlot>,
	/// SHA-256 of the message key, domain-separated: the key every slot must give.
	pub key_commitment: [u8; 32],
	/// The text's nonce.
	pub nonce: [u8; 24],
	/// The encrypted text and its tag.
	pub ciphertext: Vec<u8>,
	/// The sender's sr25519 signature (see the module's documentation).
	pub signature: [u8; 64],
}

/// A message as its reader sees it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Opened {
	/// The patient it is about.
	pub patient: [u8; 32],
	/// The sender's account.
	pub from: [u8; 32],
	/// The recipients' accounts.
	pub to: Vec<[u8; 32]>,
	/// When the sender wrote it, Unix milliseconds.
	pub sent_at: u64,
	/// The text.
	pub text: String,
}

/// A reader: the key that opens its slot and the account the slot is named for.
pub struct Reader<'a> {
	/// The reader's X25519 key.
	pub key: &'a EncryptionKey,
	/// The accounts its slot may be named for: its own, and the patient's for the patient.
	pub names: Vec<[u8; 32]>,
}

fn key_commitment(key: &[u8]) -> [u8; 32] {
	let mut hasher = Sha256::new();
	hasher.update(b"ehr message key commitment v1");
	hasher.update(key);
	hasher.finalize().into()
}

/// Whether `text` holds a control character other than a line break or a tab.
fn has_control_characters(text: &str) -> bool {
	text.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

fn slot_info(patient: &[u8; 32], to: &[u8; 32]) -> Vec<u8> {
	let mut info = b"ehr message key v1".to_vec();
	info.extend_from_slice(patient);
	info.extend_from_slice(to);
	info
}

fn text_aad(patient: &[u8; 32], from: &[u8; 32], to: &[[u8; 32]], sent_at: u64) -> Vec<u8> {
	(b"ehr message text v1", VERSION, patient, from, to, sent_at).encode()
}

impl Sealed {
	/// What the signature covers.
	fn signed_payload(&self) -> Vec<u8> {
		let unsigned = (
			self.version,
			&self.patient,
			&self.from,
			&self.to,
			self.sent_at,
			&self.slots,
			&self.key_commitment,
			&self.nonce,
			&self.ciphertext,
		)
			.encode();
		let mut payload = b"ehr message v1".to_vec();
		payload.extend_from_slice(&Sha256::digest(unsigned));
		payload
	}

	/// The blob's bytes.
	pub fn to_bytes(&self) -> Vec<u8> {
		self.encode()
	}

	/// The blob's SHA-256, which the chain's notice carries.
	pub fn digest(&self) -> [u8; 32] {
		Sha256::digest(self.encode()).into()
	}

	/// A blob read from a store, checked against the notice's `digest`.
	pub fn from_bytes(bytes: &[u8], digest: &[u8; 32]) -> Result<Self, Error> {
		if bytes.len() > MAX_BLOB {
			return Err(Error::Integrity("the message is larger than any message can be".into()));
		}
		if Sha256::digest(bytes).as_slice() != digest {
			return Err(Error::Integrity("the message's blob does not match its notice".into()));
		}
		let sealed = Self::decode_all(&mut &bytes[..])
			.map_err(|_| Error::Integrity("the message's blob is malformed".into()))?;
		if sealed.version != VERSION || sealed.slots.len() > MAX_SLOTS {
			return Err(Error::Integrity("the message's blob is of an unknown format".into()));
		}
		let names: Vec<[u8; 32]> = sealed.slots.iter().map(|slot| slot.to).collect();
		let expected: Vec<[u8; 32]> =
			sealed.to.iter().copied().chain(std::iter::once(sealed.from)).collect();
		if names != expected {
			return Err(Error::Integrity(
				"the message's key slots are not its recipients' and its sender's".into(),
			));
		}
		Ok(sealed)
	}

	/// Whether the sender's signature holds.
	pub fn signature_holds(&self) -> bool {
		sr25519::Pair::verify(
			&sr25519::Signature::from_raw(self.signature),
			self.signed_payload(),
			&sr25519::Public::from_raw(self.from),
		)
	}

	/// Opens the slot of `reader` and the text, after checking the signature.
	pub fn open(&self, reader: &Reader) -> Result<Opened, Error> {
		if !self.signature_holds() {
			return Err(Error::Integrity("the message's signature is not its sender's".into()));
		}
		let slot = self
			.slots
			.iter()
			.find(|slot| reader.names.contains(&slot.to))
			.ok_or(Error::Crypto("the message was not sealed to this key"))?;
		let encapped = <X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(&slot.encapped)
			.map_err(|_| Error::Crypto("the message's key slot is malformed"))?;
		let key = Zeroizing::new(
			hpke::single_shot_open::<HpkeAead, HkdfSha256, X25519HkdfSha256>(
				&OpModeR::Base,
				reader.key.secret(),
				&encapped,
				&slot_info(&self.patient, &slot.to),
				&slot.sealed,
				&[],
			)
			.map_err(|_| Error::Crypto("the message was not sealed to this key"))?,
		);
		if key.len() != 32 || key_commitment(&key) != self.key_commitment {
			return Err(Error::Integrity(
				"the message's key slot does not hold the key its sender committed to".into(),
			));
		}
		let text = XChaCha20Poly1305::new(key[..].into())
			.decrypt(
				XNonce::from_slice(&self.nonce),
				Payload {
					msg: &self.ciphertext,
					aad: &text_aad(&self.patient, &self.from, &self.to, self.sent_at),
				},
			)
			.map_err(|_| Error::Integrity("the message's text does not decrypt".into()))?;
		let text = String::from_utf8(text)
			.map_err(|_| Error::Integrity("the message's text is not UTF-8".into()))?;
		if has_control_characters(&text) {
			return Err(Error::Integrity("the message's text holds control characters".into()));
		}
		Ok(Opened {
			patient: self.patient,
			from: self.from,
			to: self.to.clone(),
			sent_at: self.sent_at,
			text,
		})
	}
}

/// A message to seal.
pub struct Draft<'a> {
	/// The patient it is about.
	pub patient: [u8; 32],
	/// The recipients: account and X25519 key each.
	pub to: &'a [([u8; 32], [u8; 32])],
	/// When it is written, Unix milliseconds.
	pub sent_at: u64,
	/// The text.
	pub text: &'a str,
}

/// Seals `draft` to its recipients and to the sender (account `from`, X25519 key
/// `own_key`), and signs it with `sign`, the sender's sr25519 key.
pub fn seal(
	draft: &Draft,
	from: [u8; 32],
	own_key: [u8; 32],
	sign: impl Fn(&[u8]) -> [u8; 64],
) -> Result<Sealed, Error> {
	if draft.text.trim().is_empty() {
		return Err(Error::Input("a message needs some text".into()));
	}
	if has_control_characters(draft.text) {
		return Err(Error::Input(
			"a message may hold line breaks and tabs, but no other control characters".into(),
		));
	}
	if draft.text.len() > MAX_TEXT {
		return Err(Error::Input(format!(
			"a message holds at most {MAX_TEXT} bytes of text; this one has {}",
			draft.text.len()
		)));
	}
	if draft.to.is_empty() || draft.to.len() >= MAX_SLOTS {
		return Err(Error::Input(format!(
			"a message goes to between 1 and {} recipients",
			MAX_SLOTS - 1
		)));
	}
	let key = Secret32::random()?;
	let mut nonce = [0u8; 24];
	OsRng.try_fill_bytes(&mut nonce).map_err(|e| Error::Random(e.to_string()))?;
	let to: Vec<[u8; 32]> = draft.to.iter().map(|(account, _)| *account).collect();
	let ciphertext = XChaCha20Poly1305::new(key.expose().into())
		.encrypt(
			XNonce::from_slice(&nonce),
			Payload {
				msg: draft.text.as_bytes(),
				aad: &text_aad(&draft.patient, &from, &to, draft.sent_at),
			},
		)
		.map_err(|_| Error::Crypto("encrypting the message failed"))?;
	let mut slots = Vec::with_capacity(draft.to.len() + 1);
	for (account, public) in draft.to.iter().chain(std::iter::once(&(from, own_key))) {
		slots.push(seal_slot(&draft.patient, account, public, &key)?);
	}
	let mut sealed = Sealed {
		version: VERSION,
		patient: draft.patient,
		from,
		to,
		sent_at: draft.sent_at,
		slots,
		key_commitment: key_commitment(key.expose()),
		nonce,
		ciphertext,
		signature: [0; 64],
	};
	sealed.signature = sign(&sealed.signed_payload());
	Ok(sealed)
}

fn seal_slot(
	patient: &[u8; 32],
	to: &[u8; 32],
	public: &[u8; 32],
	key: &Secret32,
) -> Result<KeySlot, Error> {
	let pk = <X25519HkdfSha256 as hpke::Kem>::PublicKey::from_bytes(public)
		.map_err(|_| Error::Crypto("a recipient's encryption key is not an X25519 key"))?;
	let (encapped, sealed) = hpke::single_shot_seal::<HpkeAead, HkdfSha256, X25519HkdfSha256, _>(
		&OpModeS::Base,
		&pk,
		&slot_info(patient, to),
		key.expose(),
		&[],
		&mut UnwrapErr(OsRng),
	)
	.map_err(|_| Error::Crypto("sealing the message key failed"))?;
	let mut bytes = [0u8; 32];
	bytes.copy_from_slice(&encapped.to_bytes());
	Ok(KeySlot { to: *to, encapped: bytes, sealed })
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::keys::Identity;

	const PATIENT: [u8; 32] = [7u8; 32];

	fn account(identity: &Identity) -> [u8; 32] {
		identity.account().0
	}

	fn sealed_by(sender: &Identity, to: &[&Identity], text: &str) -> Sealed {
		let to: Vec<_> = to.iter().map(|r| (account(r), r.encryption().public())).collect();
		let draft = Draft { patient: PATIENT, to: &to, sent_at: 1_700_000_000_000, text };
		seal(&draft, account(sender), sender.encryption().public(), |m| sender.sign(m)).unwrap()
	}

	fn reader(identity: &Identity) -> Reader<'_> {
		Reader { key: identity.encryption(), names: vec![account(identity)] }
	}

	#[test]
	fn recipients_and_the_sender_read_it_and_nobody_else() {
		let (alice, bob, carol, eve) = (
			Identity::dev("Alice").unwrap(),
			Identity::dev("Bob").unwrap(),
			Identity::dev("Charlie").unwrap(),
			Identity::dev("Eve").unwrap(),
		);
		let sealed = sealed_by(&alice, &[&bob, &carol], "Take 5 mg twice a day.");
		let bytes = sealed.to_bytes();
		let stored = Sealed::from_bytes(&bytes, &sealed.digest()).unwrap();
		for who in [&alice, &bob, &carol] {
			let opened = stored.open(&reader(who)).unwrap();
			assert_eq!(opened.text, "Take 5 mg twice a day.");
			assert_eq!(opened.from, account(&alice));
			assert_eq!(opened.to, vec![account(&bob), account(&carol)]);
		}
		assert!(matches!(stored.open(&reader(&eve)), Err(Error::Crypto(_))));
		// Eve's key under Bob's name opens nothing either.
		let posing = Reader { key: eve.encryption(), names: vec![account(&bob)] };
		assert!(stored.open(&posing).is_err());
		assert!(!bytes.windows(5).any(|w| w == b"Take "), "the text is not in clear");
	}

	#[test]
	fn a_changed_blob_or_signature_is_caught() {
		let (alice, bob, eve) = (
			Identity::dev("Alice").unwrap(),
			Identity::dev("Bob").unwrap(),
			Identity::dev("Eve").unwrap(),
		);
		let sealed = sealed_by(&alice, &[&bob], "hello");
		let digest = sealed.digest();
		let mut bytes = sealed.to_bytes();
		*bytes.last_mut().unwrap() ^= 1;
		assert!(matches!(Sealed::from_bytes(&bytes, &digest), Err(Error::Integrity(_))));
		assert!(Sealed::from_bytes(b"short", &Sha256::digest(b"short").into()).is_err());

		// Eve re-signs Alice's message as her own: the text's binding to Alice fails.
		let mut forged = sealed.clone();
		forged.from = account(&eve);
		forged.signature = eve.sign(&forged.signed_payload());
		assert!(forged.signature_holds());
		assert!(matches!(forged.open(&reader(&bob)), Err(Error::Integrity(_))));

		// A recipient dropped from the list breaks the signature.
		let mut trimmed = sealed.clone();
		trimmed.to.clear();
		assert!(!trimmed.signature_holds());
		assert!(matches!(trimmed.open(&reader(&bob)), Err(Error::Integrity(_))));

		// A time changed after signing breaks it too.
		let mut redated = sealed.clone();
		redated.sent_at += 1;
		assert!(!redated.signature_holds());

		// Trailing bytes, and a slot for someone the notice does not name, are refused.
		let mut longer = sealed.to_bytes();
		longer.push(0);
		let digest: [u8; 32] = Sha256::digest(&longer).into();
		assert!(matches!(Sealed::from_bytes(&longer, &digest), Err(Error::Integrity(_))));
		let mut hidden = sealed.clone();
		hidden.slots.push(hidden.slots[0].clone());
		hidden.slots[1].to = account(&eve);
		assert!(matches!(
			Sealed::from_bytes(&hidden.to_bytes(), &hidden.digest()),
			Err(Error::Integrity(_))
		));
	}

	#[test]
	fn every_reader_opens_the_key_the_sender_committed_to() {
		let (alice, bob, carol) = (
			Identity::dev("Alice").unwrap(),
			Identity::dev("Bob").unwrap(),
			Identity::dev("Charlie").unwrap(),
		);
		// Alice gives Carol a slot with another key than Bob's, and signs it all.
		let sealed = sealed_by(&alice, &[&bob, &carol], "one text for all");
		let other = Secret32::random().unwrap();
		let mut split = sealed.clone();
		split.slots[1] =
			seal_slot(&PATIENT, &account(&carol), &carol.encryption().public(), &other).unwrap();
		split.signature = alice.sign(&split.signed_payload());
		assert!(split.signature_holds());
		assert!(split.open(&reader(&bob)).is_ok());
		assert!(matches!(split.open(&reader(&carol)), Err(Error::Integrity(_))));
	}

	#[test]
	fn control_characters_are_refused_both_ways() {
		let alice = Identity::dev("Alice").unwrap();
		let bob = Identity::dev("Bob").unwrap();
		let to = [(account(&bob), bob.encryption().public())];
		let own = alice.encryption().public();
		let fake = "ok\r#0 block 1 from patient\x1b[2K";
		let draft = Draft { patient: PATIENT, to: &to, sent_at: 0, text: fake };
		assert!(matches!(
			seal(&draft, account(&alice), own, |m| alice.sign(m)),
			Err(Error::Input(_))
		));
		let draft = Draft { patient: PATIENT, to: &to, sent_at: 0, text: "two\nlines\tand a tab" };
		let sealed = seal(&draft, account(&alice), own, |m| alice.sign(m)).unwrap();
		assert_eq!(sealed.open(&reader(&bob)).unwrap().text, "two\nlines\tand a tab");
	}

	#[test]
	fn empty_oversized_or_unaddressed_messages_are_refused() {
		let alice = Identity::dev("Alice").unwrap();
		let bob = Identity::dev("Bob").unwrap();
		let to = [(account(&bob), bob.encryption().public())];
		let sign = |m: &[u8]| alice.sign(m);
		let own = alice.encryption().public();
		let long = "x".repeat(MAX_TEXT + 1);
		for (to, text) in [(&to[..], "  "), (&to[..], long.as_str()), (&[][..], "hi")] {
			let draft = Draft { patient: PATIENT, to, sent_at: 0, text };
			assert!(matches!(seal(&draft, account(&alice), own, sign), Err(Error::Input(_))));
		}
		let longest = "x".repeat(MAX_TEXT);
		let draft = Draft { patient: PATIENT, to: &to, sent_at: 0, text: &longest };
		assert!(seal(&draft, account(&alice), own, sign).unwrap().to_bytes().len() < MAX_BLOB);
	}
}
