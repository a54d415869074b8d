//! The local keystore: one file per name, `<name>.json`, with the secret URI sealed by
//! XChaCha20-Poly1305 under a key stretched from the passphrase by Argon2id.

use std::{
	fs,
	io::Write,
	path::{Path, PathBuf},
};

use chacha20poly1305::{
	aead::{Aead, KeyInit, Payload},
	XChaCha20Poly1305, XNonce,
};
use rand_core::{OsRng, TryRngCore};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::Identity;
use crate::{
	seeds::{Bridge, RecordSeeds},
	Error, Result,
};

/// A keystore entry as stored on disk.
#[derive(Serialize, Deserialize)]
struct KeyFile {
	version: u32,
	name: String,
	account: String,
	encryption_key: String,
	argon2: Argon2Params,
	nonce: String,
	sealed_uri: String,
	/// For a patient's key it moved to: the bridges to its earlier keys' seeds, sealed like the
	/// URI (nonce ‖ ciphertext, hex).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	sealed_bridges: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Copy)]
struct Argon2Params {
	memory_kib: u32,
	iterations: u32,
	lanes: u32,
	#[serde(with = "hex_bytes")]
	salt: [u8; 16],
}

mod hex_bytes {
	use serde::{Deserialize, Deserializer, Serializer};
	pub fn serialize<S: Serializer>(bytes: &[u8; 16], s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&hex::encode(bytes))
	}
	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 16], D::Error> {
		let text = String::deserialize(d)?;
		let mut out = [0u8; 16];
		hex::decode_to_slice(text, &mut out).map_err(serde::de::Error::custom)?;
		Ok(out)
	}
}

/// What `ehr key list` shows of a key: never its secret.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KeyInfo {
	/// The name it is stored under.
	pub name: String,
	/// Its account (SS58).
	pub account: String,
	/// Its X25519 public key (hex).
	pub encryption_key: String,
}

/// A directory of passphrase-encrypted keys.
pub struct Keystore {
	dir: PathBuf,
}

fn check_name(name: &str) -> Result<()> {
	let ok = !name.is_empty()
		&& name.len() <= 64
		&& name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
	if ok {
		Ok(())
	} else {
		Err(Error::Input(format!(
			"`{name}` is not a key name: use 1 to 64 letters, digits, `-` or `_`"
		)))
	}
}

fn stretch(passphrase: &str, params: &Argon2Params) -> Result<Zeroizing<[u8; 32]>> {
	let argon = argon2::Argon2::new(
		argon2::Algorithm::Argon2id,
		argon2::Version::V0x13,
		argon2::Params::new(params.memory_kib, params.iterations, params.lanes, Some(32))
			.map_err(|e| Error::Key(format!("bad key file parameters: {e}")))?,
	);
	let mut key = Zeroizing::new([0u8; 32]);
	argon
		.hash_password_into(passphrase.as_bytes(), &params.salt, &mut key[..])
		.map_err(|e| Error::Key(format!("cannot stretch the passphrase: {e}")))?;
	Ok(key)
}

impl Keystore {
	/// The keystore in `dir`, created (readable by its owner only) on first use.
	pub fn open(dir: impl Into<PathBuf>) -> Self {
		Self { dir: dir.into() }
	}

	/// Where the keys are.
	pub fn dir(&self) -> &Path {
		&self.dir
	}

	fn path(&self, name: &str) -> PathBuf {
		self.dir.join(format!("{name}.json"))
	}

	/// Seals `uri` under `passphrase` as `name`. Refuses to overwrite an existing key.
	pub fn add(&self, name: &str, uri: &str, passphrase: &str) -> Result<KeyInfo> {
		self.add_with_bridges(name, uri, &[], passphrase)
	}

	/// Seals `uri`, and the `bridges` of a patient that moves to it, under `passphrase` as
	/// `name`. Refuses to overwrite an existing key.
	pub fn add_with_bridges(
		&self,
		name: &str,
		uri: &str,
		bridges: &[Bridge],
		passphrase: &str,
	) -> Result<KeyInfo> {
		check_name(name)?;
		if passphrase.is_empty() {
			return Err(Error::Input("the passphrase is empty".into()));
		}
		let identity = Identity::from_uri(uri)?;
		let path = self.path(name);
		if path.exists() {
			return Err(Error::Input(format!(
				"a key named `{name}` already exists in {}; choose another name",
				self.dir.display()
			)));
		}
		let mut salt = [0u8; 16];
		let mut nonce = [0u8; 24];
		OsRng.try_fill_bytes(&mut salt).map_err(|e| Error::Random(e.to_string()))?;
		OsRng.try_fill_bytes(&mut nonce).map_err(|e| Error::Random(e.to_string()))?;
		let argon2 = Argon2Params { memory_kib: 64 * 1024, iterations: 3, lanes: 1, salt };
		let key = stretch(passphrase, &argon2)?;
		let account = identity.account().to_string();
		let sealed = XChaCha20Poly1305::new(key.as_ref().into())
			.encrypt(
				XNonce::from_slice(&nonce),
				Payload { msg: uri.as_bytes(), aad: format!("{name}/{account}").as_bytes() },
			)
			.map_err(|_| Error::Crypto("sealing the key failed"))?;
		let sealed_bridges = if bridges.is_empty() {
			None
		} else {
			let mut nonce = [0u8; 24];
			OsRng.try_fill_bytes(&mut nonce).map_err(|e| Error::Random(e.to_string()))?;
			let plain = RecordSeeds::bridges_to_bytes(bridges)?;
			let sealed = XChaCha20Poly1305::new(key.as_ref().into())
				.encrypt(
					XNonce::from_slice(&nonce),
					Payload { msg: &plain, aad: format!("{name}/{account}/bridges").as_bytes() },
				)
				.map_err(|_| Error::Crypto("sealing the key failed"))?;
			Some(hex::encode([&nonce[..], &sealed].concat()))
		};
		let info = KeyInfo {
			name: name.to_string(),
			account: account.clone(),
			encryption_key: hex::encode(identity.encryption().public()),
		};
		let file = KeyFile {
			version: 1,
			name: name.to_string(),
			account,
			encryption_key: info.encryption_key.clone(),
			argon2,
			nonce: hex::encode(nonce),
			sealed_uri: hex::encode(sealed),
			sealed_bridges,
		};
		let text = serde_json::to_string_pretty(&file)
			.map_err(|e| Error::Key(format!("cannot write the key file: {e}")))?;
		create_private_dir(&self.dir)?;
		let mut out = fs::OpenOptions::new();
		out.write(true).create_new(true);
		#[cfg(unix)]
		{
			use std::os::unix::fs::OpenOptionsExt;
			out.mode(0o600);
		}
		out.open(&path)?.write_all(text.as_bytes())?;
		Ok(info)
	}

	/// The keys stored, by name.
	pub fn list(&self) -> Result<Vec<KeyInfo>> {
		let mut keys = Vec::new();
		let entries = match fs::read_dir(&self.dir) {
			Ok(entries) => entries,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(keys),
			Err(e) => return Err(e.into()),
		};
		for entry in entries {
			let path = entry?.path();
			if path.extension().is_some_and(|e| e == "json") {
				let file = self.read(&path)?;
				keys.push(KeyInfo {
					name: file.name,
					account: file.account,
					encryption_key: file.encryption_key,
				});
			}
		}
		keys.sort_by(|a, b| a.name.cmp(&b.name));
		Ok(keys)
	}

	/// The public part of `name`, without its passphrase.
	pub fn info(&self, name: &str) -> Result<KeyInfo> {
		check_name(name)?;
		let file = self.read(&self.path(name))?;
		Ok(KeyInfo { name: file.name, account: file.account, encryption_key: file.encryption_key })
	}

	fn read(&self, path: &Path) -> Result<KeyFile> {
		let text = fs::read_to_string(path).map_err(|e| match e.kind() {
			std::io::ErrorKind::NotFound => Error::Key(format!(
				"no key `{}` in {} (see `ehr key list`)",
				path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default(),
				self.dir.display()
			)),
			_ => Error::Io(e),
		})?;
		serde_json::from_str(&text)
			.map_err(|e| Error::Key(format!("{} is not a key file: {e}", path.display())))
	}

	/// Unlocks `name` with `passphrase`.
	pub fn unlock(&self, name: &str, passphrase: &str) -> Result<Identity> {
		check_name(name)?;
		let file = self.read(&self.path(name))?;
		let key = stretch(passphrase, &file.argon2)?;
		let nonce = hex::decode(&file.nonce)
			.ok()
			.filter(|n| n.len() == 24)
			.ok_or_else(|| Error::Key(format!("key file of `{name}` is damaged")))?;
		let sealed = hex::decode(&file.sealed_uri)
			.map_err(|_| Error::Key(format!("key file of `{name}` is damaged")))?;
		let uri = Zeroizing::new(
			XChaCha20Poly1305::new(key.as_ref().into())
				.decrypt(
					XNonce::from_slice(&nonce),
					Payload {
						msg: &sealed,
						aad: format!("{}/{}", file.name, file.account).as_bytes(),
					},
				)
				.map_err(|_| Error::WrongPassphrase(name.to_string()))?,
		);
		let uri = std::str::from_utf8(&uri)
			.map_err(|_| Error::Key(format!("key file of `{name}` is damaged")))?;
		let identity = Identity::from_uri(uri)?;
		if identity.account().to_string() != file.account {
			return Err(Error::Key(format!("key file of `{name}` does not match its account")));
		}
		let bridges = match &file.sealed_bridges {
			None => Vec::new(),
			Some(text) => {
				let bytes = hex::decode(text)
					.ok()
					.filter(|b| b.len() > 24)
					.ok_or_else(|| Error::Key(format!("key file of `{name}` is damaged")))?;
				let (nonce, sealed) = bytes.split_at(24);
				let plain = Zeroizing::new(
					XChaCha20Poly1305::new(key.as_ref().into())
						.decrypt(
							XNonce::from_slice(nonce),
							Payload {
								msg: sealed,
								aad: format!("{}/{}/bridges", file.name, file.account).as_bytes(),
							},
						)
						.map_err(|_| Error::Key(format!("key file of `{name}` is damaged")))?,
				);
				RecordSeeds::bridges_from_bytes(&plain)?
			},
		};
		Ok(identity.with_bridges(bridges))
	}
}

/// Creates `dir` (and its parents) readable by its owner only.
pub fn create_private_dir(dir: &Path) -> Result<()> {
	let mut builder = fs::DirBuilder::new();
	builder.recursive(true);
	#[cfg(unix)]
	{
		use std::os::unix::fs::DirBuilderExt;
		builder.mode(0o700);
	}
	builder.create(dir)?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn keystore_round_trip_and_wrong_passphrase() {
		let dir = tempfile::tempdir().unwrap();
		let store = Keystore::open(dir.path().join("keys"));
		let info = store.add("dr-house", "//Bob", "correct horse battery").unwrap();
		assert_eq!(info.account, Identity::dev("Bob").unwrap().account().to_string());
		assert_eq!(store.list().unwrap(), vec![info.clone()]);
		let text = fs::read_to_string(store.path("dr-house")).unwrap();
		assert!(!text.contains("Bob"), "the URI must not be stored in clear");
		let bob = store.unlock("dr-house", "correct horse battery").unwrap();
		assert_eq!(bob.account().to_string(), info.account);
		assert!(matches!(store.unlock("dr-house", "wrong"), Err(Error::WrongPassphrase(_))));
		assert!(store.add("dr-house", "//Bob", "x").is_err(), "never overwrites");
		assert!(store.add("../evil", "//Bob", "x").is_err());
		assert!(matches!(store.unlock("nobody", "x"), Err(Error::Key(_))));
	}
}
