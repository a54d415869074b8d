//! The named genesis presets the node's chain specs are built from.
//!
//! - `development`: Alice alone is the consortium's hospital, validates, and is the only admin
//!   and the sudo key.
//! - `local_testnet`: four hospitals (Alice, Bob, Charlie, Dave), each validating, so that one
//!   can fail without stopping finality and three of them decide; Alice and Bob are admins; no
//!   sudo key; one-minute sessions.
//!
//! A real consortium makes its own spec from `local_testnet` with its hospitals' keys (see
//! `chain-spec/README.md`).

use crate::{AccountId, RuntimeGenesisConfig, SessionKeys};
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_support::build_struct_json_patch,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	*,
};
use serde_json::Value;

/// A validator: the hospital's account (its validator id), and its node's Aura (sr25519) and
/// GRANDPA (ed25519) keys.
type Validator = (AccountId, AuraId, GrandpaId);

/// The genesis of an EHR chain: its hospitals (account and name), the session keys of their
/// validators (the first session's validator set), its first admins, and an optional sudo key.
fn ehr_genesis(
	hospitals: Vec<(AccountId, &str)>,
	validators: Vec<Validator>,
	session_length: Option<crate::BlockNumber>,
	admins: Vec<AccountId>,
	sudo: Option<AccountId>,
) -> Value {
	let hospitals = hospitals
		.into_iter()
		.map(|(account, name)| (account, alloc::string::String::from(name)))
		.collect::<Vec<_>>();
	let keys = validators
		.into_iter()
		.map(|(account, aura, grandpa)| (account.clone(), account, SessionKeys { aura, grandpa }))
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		session: pallet_session::GenesisConfig { keys },
		sudo: pallet_sudo::GenesisConfig { key: sudo },
		consortium: pallet_consortium::GenesisConfig { hospitals, session_length },
		ehr: pallet_ehr::GenesisConfig { admins },
	})
}

/// The validator of a development hospital: the keyring account, with the keys the node's
/// `--alice`, `--bob`, … flags put in its keystore.
fn validator(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> Validator {
	(aura.to_account_id(), aura.public().into(), grandpa.public().into())
}

/// A development hospital: the keyring account, named after it ("Alice's hospital").
fn hospital(key: Sr25519Keyring) -> (AccountId, &'static str) {
	let name = match key {
		Sr25519Keyring::Alice => "Alice's hospital",
		Sr25519Keyring::Bob => "Bob's hospital",
		Sr25519Keyring::Charlie => "Charlie's hospital",
		Sr25519Keyring::Dave => "Dave's hospital",
		_ => "A development hospital",
	};
	(key.to_account_id(), name)
}

/// The `development` preset.
pub fn development_config_genesis() -> Value {
	ehr_genesis(
		vec![hospital(Sr25519Keyring::Alice)],
		vec![validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		None,
		vec![Sr25519Keyring::Alice.to_account_id()],
		Some(Sr25519Keyring::Alice.to_account_id()),
	)
}

/// The `local_testnet` preset.
pub fn local_config_genesis() -> Value {
	ehr_genesis(
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave]
			.into_iter()
			.map(hospital)
			.collect(),
		vec![
			validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		// One-minute sessions, so that a test network changes validators within two minutes.
		Some(crate::MINUTES),
		vec![Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id()],
		None,
	)
}

/// The preset with the given id, serialized.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
