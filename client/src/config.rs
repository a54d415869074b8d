//! Settings: a TOML file, overridden by environment variables, overridden by flags.
//!
//! ```toml
//! node = "wss://ehr.hospital-a.example:443"   # EHR_NODE, --node
//! genesis_hash = "0x<hex>"                 # EHR_GENESIS_HASH
//! allow_insecure_node = false              # EHR_ALLOW_INSECURE_NODE=1, --allow-insecure-node
//! development = false                      # EHR_DEVELOPMENT=1, --dev
//! keystore = "/home/me/.local/share/ehr/keys"   # EHR_KEYSTORE
//! stores = ["/srv/ehr/blobs", "s3://hospital-a-ehr/blobs"]   # EHR_STORES, comma separated
//! emergency_key = "<hex X25519 public key>"  # EHR_EMERGENCY_KEY
//! insurance_key_file = "/etc/ehr/insurance.key"   # EHR_INSURANCE_KEY_FILE
//! max_document_bytes = 1073741824         # EHR_MAX_DOCUMENT_BYTES
//! ```
//! The file is `$EHR_CONFIG`, else `~/.config/ehr/config.toml` if it exists. S3 stores take their
//! credentials and endpoint from the usual `AWS_*` variables (`AWS_ENDPOINT` for an
//! S3-compatible service).
//!
//! `emergency_key` is the consortium's emergency X25519 public key every patient's record key is
//! escrowed for; `insurance_key_file` holds the consortium's 32-byte secret that keys insurance
//! number commitments (hex).
//!
//! # Which node the client trusts
//! The client believes what its node tells it (keys to seal record keys for, entries, grants), so
//! it only talks to the node the settings name, on the chain they name:
//! - `node` must be `wss://` (or `https://`) unless it is on this machine (`localhost`,
//!   127.0.0.0/8, `::1`): plain `ws://` to another machine can be read and answered by anyone on
//!   the way. `allow_insecure_node = true` lifts this, for a network that is itself trusted.
//! - `genesis_hash` is the hash of block 0 of the consortium's chain (the consortium publishes
//!   it with its chain spec); a node serving another chain is refused, naming both hashes.
//!   Outside development mode it is required: without it the client refuses and prints the
//!   node's hash with how to set it, since trusting whichever chain answers first is not enough
//!   for escrowed keys.
//!
//! # Development mode
//! `development = true` (or `EHR_DEVELOPMENT=1`, or `--dev`) is the client's own choice, never
//! the node's: only then do `emergency_key` and `insurance_key_file` default to the public
//! development keys, and `//Alice`-style development identities work. Since those keys are
//! public, a development client only talks to a node on this machine that says it runs a
//! development chain; `genesis_hash` is optional there.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{crypto::Secret32, keys::Identity, Error, Result};

/// Default node address.
pub const DEFAULT_NODE: &str = "ws://127.0.0.1:9944";
/// Default limit on a document's size: 1 GiB.
pub const DEFAULT_MAX_DOCUMENT: u64 = 1 << 30;

/// The settings file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
	node: Option<String>,
	keystore: Option<PathBuf>,
	stores: Option<Vec<String>>,
	emergency_key: Option<String>,
	insurance_key_file: Option<PathBuf>,
	max_document_bytes: Option<u64>,
	genesis_hash: Option<String>,
	allow_insecure_node: Option<bool>,
	development: Option<bool>,
}

/// Resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
	/// WebSocket URL of the node.
	pub node: String,
	/// Directory of the keystore.
	pub keystore: PathBuf,
	/// Off-chain store URLs (local directories or `s3://bucket/prefix`).
	pub stores: Vec<String>,
	/// The consortium's emergency public key, if configured.
	pub emergency_key: Option<[u8; 32]>,
	/// File holding the consortium's insurance commitment key, if configured.
	pub insurance_key_file: Option<PathBuf>,
	/// Largest document accepted, in bytes.
	pub max_document_bytes: u64,
	/// The genesis (block 0) hash of the chain the node must serve; required outside
	/// development mode.
	pub genesis_hash: Option<[u8; 32]>,
	/// Whether plain `ws://` or `http://` to a node on another machine is allowed.
	pub allow_insecure_node: bool,
	/// Development mode: the public development keys and `//Name` identities are used, and only
	/// a development chain on this machine is accepted.
	pub development: bool,
	/// Development mode against the local test network of four hospitals on this machine
	/// (`scripts/local-network.sh`), whose chain says `Local`: set by `--local-testnet` only,
	/// never by a file or the environment, since a consortium's own spec made from the local
	/// one also says `Local` until it is set to `Live`.
	pub local_testnet: bool,
}

fn data_dir() -> PathBuf {
	dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("ehr")
}

fn env(name: &str) -> Option<String> {
	std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A yes/no environment variable: `1`, `true`, `yes`, `on` or `0`, `false`, `no`, `off`.
fn parse_flag(value: &str, name: &str) -> Result<bool> {
	match value.trim().to_ascii_lowercase().as_str() {
		"1" | "true" | "yes" | "on" => Ok(true),
		"0" | "false" | "no" | "off" => Ok(false),
		_ => Err(Error::Config(format!("{name} must be 1 or 0 (true or false), not `{value}`"))),
	}
}

/// Parses a 32-byte hex value.
pub fn parse_hex32(text: &str, what: &str) -> Result<[u8; 32]> {
	let mut out = [0u8; 32];
	hex::decode_to_slice(text.trim().trim_start_matches("0x"), &mut out)
		.map_err(|_| Error::Config(format!("{what} must be 32 bytes of hex")))?;
	Ok(out)
}

impl Settings {
	/// Reads the file (`path`, else `$EHR_CONFIG`, else the default place if it exists) and the
	/// environment.
	pub fn load(path: Option<&Path>) -> Result<Self> {
		let explicit = path.map(Path::to_path_buf).or_else(|| env("EHR_CONFIG").map(PathBuf::from));
		let file = match explicit {
			Some(path) => Some(read_file(&path)?),
			None => match dirs::config_dir().map(|d| d.join("ehr").join("config.toml")) {
				Some(path) if path.exists() => Some(read_file(&path)?),
				_ => None,
			},
		}
		.unwrap_or_default();
		Self::resolve(file, env)
	}

	/// The settings of `file`, overridden by the variables `env` gives.
	fn resolve(file: File, env: impl Fn(&str) -> Option<String>) -> Result<Self> {
		let env_flag = |name: &str| env(name).map(|value| parse_flag(&value, name)).transpose();
		let stores = match env("EHR_STORES") {
			Some(list) => {
				list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
			},
			None => {
				file.stores.unwrap_or_else(|| vec![data_dir().join("blobs").display().to_string()])
			},
		};
		if stores.is_empty() {
			return Err(Error::Config("no off-chain store is configured (stores)".into()));
		}
		let emergency_key = match env("EHR_EMERGENCY_KEY").or(file.emergency_key) {
			Some(hex) => Some(parse_hex32(&hex, "emergency_key")?),
			None => None,
		};
		let genesis_hash = match env("EHR_GENESIS_HASH").or(file.genesis_hash) {
			Some(hex) => Some(parse_hex32(&hex, "genesis_hash")?),
			None => None,
		};
		let allow_insecure_node =
			env_flag("EHR_ALLOW_INSECURE_NODE")?.or(file.allow_insecure_node).unwrap_or(false);
		let development = env_flag("EHR_DEVELOPMENT")?.or(file.development).unwrap_or(false);
		let max_document_bytes = match env("EHR_MAX_DOCUMENT_BYTES") {
			Some(text) => text.parse().map_err(|_| {
				Error::Config("EHR_MAX_DOCUMENT_BYTES must be a number of bytes".into())
			})?,
			None => file.max_document_bytes.unwrap_or(DEFAULT_MAX_DOCUMENT),
		};
		Ok(Self {
			node: env("EHR_NODE").or(file.node).unwrap_or_else(|| DEFAULT_NODE.to_string()),
			keystore: env("EHR_KEYSTORE")
				.map(PathBuf::from)
				.or(file.keystore)
				.unwrap_or_else(|| data_dir().join("keys")),
			stores,
			emergency_key,
			insurance_key_file: env("EHR_INSURANCE_KEY_FILE")
				.map(PathBuf::from)
				.or(file.insurance_key_file),
			max_document_bytes,
			genesis_hash,
			allow_insecure_node,
			development,
			local_testnet: false,
		})
	}

	/// The consortium's emergency public key; in development mode (the client's setting, never
	/// the node's claim) and when none is configured, the public development key of
	/// `//Emergency`.
	pub fn emergency_key(&self) -> Result<[u8; 32]> {
		match (self.emergency_key, self.development) {
			(Some(key), _) => Ok(key),
			(None, true) => Ok(Identity::dev("Emergency")?.encryption().public()),
			(None, false) => Err(Error::Config(
				"set emergency_key (or EHR_EMERGENCY_KEY) to the consortium's emergency public key (the public development key is used only in development mode: --dev or EHR_DEVELOPMENT=1)"
					.into(),
			)),
		}
	}

	/// The consortium's insurance commitment key; in development mode (the client's setting,
	/// never the node's claim) and when none is configured, a public development key.
	pub fn insurance_key(&self) -> Result<Secret32> {
		match (&self.insurance_key_file, self.development) {
			(Some(path), _) => {
				let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
					Error::Config(format!("cannot read insurance_key_file {}: {e}", path.display()))
				})?);
				Ok(Secret32(parse_hex32(&text, "the insurance key file")?))
			},
			(None, true) => Ok(crate::crypto::kdf(b"ehr development chain", b"insurance key")),
			(None, false) => Err(Error::Config(
				"set insurance_key_file (or EHR_INSURANCE_KEY_FILE) to the consortium's insurance key (the public development key is used only in development mode: --dev or EHR_DEVELOPMENT=1)"
					.into(),
			)),
		}
	}
}

fn read_file(path: &Path) -> Result<File> {
	let text = std::fs::read_to_string(path)
		.map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))?;
	toml::from_str(&text).map_err(|e| Error::Config(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn settings(toml_text: &str, vars: &[(&str, &str)]) -> Result<Settings> {
		let file: File = toml::from_str(toml_text).unwrap();
		let vars: Vec<(String, String)> =
			vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
		Settings::resolve(file, |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
	}

	#[test]
	fn development_keys_need_the_clients_own_development_setting() {
		let plain = settings("", &[]).unwrap();
		assert!(!plain.development);
		assert!(plain.emergency_key().is_err());
		assert!(plain.insurance_key().is_err());

		let dev_key = Identity::dev("Emergency").unwrap().encryption().public();
		for dev in [settings("development = true", &[]), settings("", &[("EHR_DEVELOPMENT", "1")])]
		{
			let dev = dev.unwrap();
			assert!(dev.development);
			assert_eq!(dev.emergency_key().unwrap(), dev_key);
			assert!(dev.insurance_key().is_ok());
		}
		// The variable overrides the file, both ways.
		assert!(!settings("development = true", &[("EHR_DEVELOPMENT", "0")]).unwrap().development);
		assert!(settings("", &[("EHR_DEVELOPMENT", "maybe")]).is_err());
	}

	#[test]
	fn a_configured_emergency_key_wins_even_in_development_mode() {
		let key = "ab".repeat(32);
		let dev =
			settings(&format!("development = true\nemergency_key = \"0x{key}\""), &[]).unwrap();
		assert_eq!(dev.emergency_key().unwrap(), [0xab; 32]);
	}

	#[test]
	fn genesis_hash_and_insecure_node_are_read_from_file_and_environment() {
		let hash = "12".repeat(32);
		let file =
			settings(&format!("genesis_hash = \"0x{hash}\"\nallow_insecure_node = true"), &[])
				.unwrap();
		assert_eq!(file.genesis_hash, Some([0x12; 32]));
		assert!(file.allow_insecure_node);
		let env = settings(
			"",
			&[("EHR_GENESIS_HASH", &"34".repeat(32)), ("EHR_ALLOW_INSECURE_NODE", "true")],
		)
		.unwrap();
		assert_eq!(env.genesis_hash, Some([0x34; 32]));
		assert!(env.allow_insecure_node);
		let none = settings("", &[]).unwrap();
		assert_eq!(none.genesis_hash, None);
		assert!(!none.allow_insecure_node);
		assert!(settings("", &[("EHR_GENESIS_HASH", "0x1234")]).is_err());
		assert!(toml::from_str::<File>("genesis = \"0x00\"").is_err(), "unknown keys are refused");
	}
}
