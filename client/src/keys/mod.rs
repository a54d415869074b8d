//! Accounts and their keys; the passphrase-encrypted local keystore is [`Keystore`].
//!
//! One secret URI (a BIP-39 phrase with an optional derivation path, or a development name such
//! as `//Alice`) gives an account everything it needs:
//! - the **sr25519 key** that signs its transactions;
//! - the **X25519 key** others wrap record keys for: RFC 9180 `DeriveKeyPair` over
//!   `HKDF-SHA256(sr25519 secret, "ehr x25519 v1")`;
//! - for a patient, the **record master secret** its per-epoch record keys come from
//!   (see [`crate::crypto`]).
//!
//! The keystore holds one file per name, `<name>.json`, with the secret URI sealed by
//! XChaCha20-Poly1305 under a key stretched from the passphrase by Argon2id. Secrets are wiped
//! from memory when dropped and never printed.

use rand_core::{OsRng, TryRngCore};
use sp_core::{crypto::Pair as _, sr25519};
use subxt::utils::AccountId32;
use zeroize::Zeroizing;

use crate::{
	crypto::{kdf, EncryptionKey, SeedChain},
	seeds::{Bridge, RecordSeeds},
	Error, Result,
};

/// Names of the development accounts the dev chain knows.
pub const DEV_NAMES: [&str; 8] =
	["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie", "Emergency", "Mallory"];

/// Passphrases shorter than this are used only after a warning.
pub const WEAK_PASSPHRASE: usize = 12;

/// An account that can sign, receive wrapped keys and, as a patient, derive its record keys.
pub struct Identity {
	pair: sr25519::Pair,
	encryption: EncryptionKey,
	record_master: crate::crypto::Secret32,
	/// For a patient that moved to this key: the seeds of the chains of its earlier keys.
	bridges: Vec<Bridge>,
}

impl std::fmt::Debug for Identity {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("Identity").field("account", &self.account()).finish_non_exhaustive()
	}
}

impl Identity {
	/// The identity of a secret URI: a phrase with optional `//hard` and `/soft` junctions, or
	/// `//Name` for a development account.
	pub fn from_uri(uri: &str) -> Result<Self> {
		let (pair, _) = sr25519::Pair::from_string_with_seed(uri, None)
			.map_err(|e| Error::Key(format!("not a valid secret phrase or URI: {e:?}")))?;
		Ok(Self::from_pair(pair))
	}

	/// A development account (`Alice`, `Bob`, … as in [`DEV_NAMES`]), from the public development
	/// phrase. For tests and the development chain only.
	pub fn dev(name: &str) -> Result<Self> {
		Self::from_uri(&format!("//{name}"))
	}

	/// A new identity with a fresh 12-word phrase, returned for the owner to write down.
	pub fn generate() -> Result<(Self, Zeroizing<String>)> {
		let mut entropy = Zeroizing::new([0u8; 16]);
		OsRng.try_fill_bytes(&mut entropy[..]).map_err(|e| Error::Random(e.to_string()))?;
		let mnemonic = bip39::Mnemonic::from_entropy(&entropy[..])
			.map_err(|e| Error::Key(format!("cannot make a phrase: {e}")))?;
		let phrase = Zeroizing::new(mnemonic.to_string());
		Ok((Self::from_uri(&phrase)?, phrase))
	}

	fn from_pair(pair: sr25519::Pair) -> Self {
		let raw = Zeroizing::new(pair.to_raw_vec());
		let ikm = kdf(&raw, b"ehr x25519 v1");
		let encryption = EncryptionKey::derive(ikm.expose());
		let record_master = kdf(&raw, b"ehr record master v1");
		Self { pair, encryption, record_master, bridges: Vec::new() }
	}

	/// This identity, as a patient that moved to it from earlier keys whose chains `bridges`
	/// close.
	pub fn with_bridges(mut self, bridges: Vec<Bridge>) -> Self {
		self.bridges = bridges;
		self
	}

	/// The bridges to the seed chains of the patient's earlier keys, oldest first.
	pub fn bridges(&self) -> &[Bridge] {
		&self.bridges
	}

	/// The account id.
	pub fn account(&self) -> AccountId32 {
		AccountId32(self.pair.public().0)
	}

	/// The X25519 key pair.
	pub fn encryption(&self) -> &EncryptionKey {
		&self.encryption
	}

	/// The record seed chain this account has as a patient.
	pub fn seed_chain(&self) -> SeedChain {
		SeedChain::from_master(&self.record_master)
	}

	/// The record seeds of `epoch` of the patient this identity is: from its own chain, with
	/// the bridges to its earlier keys'.
	pub fn record_seeds(&self, epoch: u32) -> Result<RecordSeeds> {
		let bridges = self.bridges.iter().filter(|b| b.last_epoch < epoch).cloned().collect();
		RecordSeeds::new(epoch, self.seed_chain().seed(epoch)?, bridges)
	}

	/// Signs `message` with the sr25519 key.
	pub fn sign(&self, message: &[u8]) -> [u8; 64] {
		self.pair.sign(message).0
	}
}

mod keystore;

pub use keystore::{create_private_dir, KeyInfo, Keystore};

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dev_accounts_are_the_well_known_ones() {
		let alice = Identity::dev("Alice").unwrap();
		assert_eq!(alice.account().to_string(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert_ne!(
			alice.encryption().public(),
			Identity::dev("Bob").unwrap().encryption().public()
		);
	}

	#[test]
	fn one_phrase_gives_the_same_keys_every_time() {
		let (a, phrase) = Identity::generate().unwrap();
		let b = Identity::from_uri(&phrase).unwrap();
		assert_eq!(a.account(), b.account());
		assert_eq!(a.encryption().public(), b.encryption().public());
		assert_eq!(
			a.seed_chain().seed(0).unwrap().expose(),
			b.seed_chain().seed(0).unwrap().expose()
		);
		assert_eq!(phrase.split(' ').count(), 12);
		assert!(Identity::from_uri("not a phrase at all").is_err());
	}
}
