//! Settings: a TOML file, overridden by environment variables, overridden by flags.
//!
//! ```toml
//! node = "ws://127.0.0.1:9944"             # EHR_NODE
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
//! number commitments (hex). On the development chain both default to public development keys.

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
}

fn data_dir() -> PathBuf {
	dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("ehr")
}

fn env(name: &str) -> Option<String> {
	std::env::var(name).ok().filter(|v| !v.is_empty())
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
		})
	}

	/// The consortium's emergency public key; on a development chain, the public development
	/// key of `//Emergency`.
	pub fn emergency_key(&self, development: bool) -> Result<[u8; 32]> {
		match (self.emergency_key, development) {
			(Some(key), _) => Ok(key),
			(None, true) => Ok(Identity::dev("Emergency")?.encryption().public()),
			(None, false) => Err(Error::Config(
				"set emergency_key (or EHR_EMERGENCY_KEY) to the consortium's emergency public key"
					.into(),
			)),
		}
	}

	/// The consortium's insurance commitment key; on a development chain, a public development
	/// key.
	pub fn insurance_key(&self, development: bool) -> Result<Secret32> {
		match (&self.insurance_key_file, development) {
			(Some(path), _) => {
				let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
					Error::Config(format!("cannot read insurance_key_file {}: {e}", path.display()))
				})?);
				Ok(Secret32(parse_hex32(&text, "the insurance key file")?))
			},
			(None, true) => Ok(crate::crypto::kdf(b"ehr development chain", b"insurance key")),
			(None, false) => Err(Error::Config(
				"set insurance_key_file (or EHR_INSURANCE_KEY_FILE) to the consortium's insurance key"
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
