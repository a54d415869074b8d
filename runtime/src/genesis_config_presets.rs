//! The named genesis presets the node's chain specs are built from.
//!
//! - `development`: Alice alone is the consortium's hospital, validates, and is the only admin
//!   and the sudo key.
//! - `local_testnet`: four hospitals (Alice, Bob, Charlie, Dave), each validating, so that one
//!   can fail without stopping finality and three of them decide; Alice and Bob are admins; no
//!   sudo key; one-minute sessions. Their nodes are those of the network keys 0x00…01 to
//!   0x00…04 (`--node-key`), in that order: only those nodes peer with each other.
//!
//! A real consortium makes its own spec from `local_testnet` with its hospitals' keys (see
//! `chain-spec/README.md`).

use crate::{AccountId, RuntimeGenesisConfig, SessionKeys};
use alloc::{vec, vec::Vec};
use pallet_consortium::NodeId;
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

/// The genesis of an EHR chain: its hospitals (account, name, node), the session keys of their
/// validators (the first session's validator set), its first admins, and an optional sudo key.
fn ehr_genesis(
	hospitals: Vec<(AccountId, &str, Option<NodeId>)>,
	validators: Vec<Validator>,
	session_length: Option<crate::BlockNumber>,
	admins: Vec<AccountId>,
	sudo: Option<AccountId>,
) -> Value {
	let hospitals = hospitals
		.into_iter()
		.map(|(account, name, node)| (account, alloc::string::String::from(name), node))
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

/// The peer ids of the network keys 0x00…01 to 0x00…04: the local test network's nodes
/// (the runtime's tests check them against the keys).
pub const LOCAL_NODES: [&str; 4] = [
	"12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp",
	"12D3KooWHdiAxVd8uMQR1hGWXccidmfCwLqcMpGwR6QcTP6QRMuD",
	"12D3KooWSCufgHzV4fCwRijfH2k3abrpAJxTKxEvN1FDuRXA2U9x",
	"12D3KooWSsChzF81YDUKpe9Uk5AHV5oqAaXAcWNSPYgoLauUk4st",
];

/// A development hospital: the keyring account, named after it ("Alice's hospital"), with
/// its node on the local test network.
fn hospital(key: Sr25519Keyring) -> (AccountId, &'static str, Option<NodeId>) {
	let (name, node) = match key {
		Sr25519Keyring::Alice => ("Alice's hospital", 0),
		Sr25519Keyring::Bob => ("Bob's hospital", 1),
		Sr25519Keyring::Charlie => ("Charlie's hospital", 2),
		Sr25519Keyring::Dave => ("Dave's hospital", 3),
		_ => ("A development hospital", usize::MAX),
	};
	(key.to_account_id(), name, LOCAL_NODES.get(node).and_then(|id| NodeId::from_peer_id(id)))
}

/// The `development` preset.
pub fn development_config_genesis() -> Value {
	// The development node's network key is new at every start (`--dev`): its hospital names
	// no node, and the node refuses no peer.
	let (alice, name, _) = hospital(Sr25519Keyring::Alice);
	ehr_genesis(
		vec![(alice, name, None)],
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
