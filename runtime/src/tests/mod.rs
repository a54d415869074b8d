//! Runtime-level tests: integrity, genesis presets, the permissioned transaction pool, and
//! the consortium's decisions.

mod consortium;

use super::*;
use codec::Encode;
use polkadot_sdk::{
	frame_support::traits::{IntegrityTest, WhitelistedStorageKeys},
	sp_core::{Pair, H256},
	sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		generic::Era,
		traits::TransactionExtension,
		transaction_validity::{
			InvalidTransaction, TransactionSource, TransactionValidity, TransactionValidityError,
		},
		BuildStorage,
	},
};

fn externalities(preset: &str) -> TestExternalities {
	let patch = genesis_config_presets::get_preset(&preset.into()).expect("preset exists");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serializes");
	let patch: serde_json::Value = serde_json::from_slice(&patch).expect("preset is JSON");
	json_merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).expect("preset is complete");
	let mut ext = TestExternalities::new(config.build_storage().expect("genesis builds"));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn json_merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				json_merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

#[test]
fn runtime_integrity_tests() {
	externalities(DEV_RUNTIME_PRESET)
		.execute_with(<AllPalletsWithSystem as IntegrityTest>::integrity_test);
}

#[test]
fn presets_are_listed() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(
		names,
		vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
	);
	assert!(genesis_config_presets::get_preset(&"no-such-preset".into()).is_none());
}

#[test]
fn development_preset_has_alice_as_validator_admin_and_sudo() {
	externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert!(pallet_ehr::Admins::<Runtime>::contains_key(&alice));
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(Grandpa::grandpa_authorities().len(), 1);
		assert_eq!(pallet_ehr::Difficulty::<Runtime>::get(), 8);
		assert_eq!(
			pallet_consortium::Members::<Runtime>::get().to_vec(),
			vec![Sr25519Keyring::Alice.to_account_id()]
		);
		assert_eq!(Consortium::ayes_needed(), 1);
		// A development node's network key is new at every start: no node is refused.
		assert_eq!(Consortium::authorized_peers(None), (Vec::new(), false));
	});
}

#[test]
fn local_testnet_has_four_validators_two_admins_and_no_sudo() {
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		assert_eq!(Grandpa::grandpa_authorities().len(), 4);
		assert_eq!(pallet_ehr::AdminCount::<Runtime>::get(), 2);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(pallet_consortium::Members::<Runtime>::get().len(), 4);
		assert_eq!(Consortium::ayes_needed(), 3);
		// The hospitals' nodes are those of the network keys 0x00…01 to 0x00…04, and peer
		// only with each other.
		let nodes: Vec<_> = (1u8..=4)
			.map(|i| {
				let mut secret = [0u8; 32];
				secret[31] = i;
				let key = polkadot_sdk::sp_core::ed25519::Pair::from_seed(&secret).public();
				pallet_consortium::NodeId(key.0)
			})
			.collect();
		let named: Vec<_> = genesis_config_presets::LOCAL_NODES
			.iter()
			.map(|id| pallet_consortium::NodeId::from_peer_id(id))
			.collect();
		assert_eq!(named, nodes.iter().copied().map(Some).collect::<Vec<_>>());
		let (mut peers, only) = Consortium::authorized_peers(Some(&nodes[0]));
		peers.sort();
		let mut others = nodes[1..].to_vec();
		others.sort();
		assert_eq!((peers, only), (others, true));
	});
}

#[test]
fn no_health_data_is_whitelisted() {
	// Whitelisted keys skip benchmark accounting; none of pallet-ehr's maps may be among them.
	let whitelisted = AllPalletsWithSystem::whitelisted_storage_keys();
	let ehr_prefix = polkadot_sdk::sp_io::hashing::twox_128(b"Ehr");
	assert!(whitelisted.iter().all(|key| !key.key.starts_with(&ehr_prefix)));
}

fn tx_extension(nonce: Nonce) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		pallet_ehr::CheckMembership::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		pallet_ehr::CheckNonceWithinQuota::from(nonce),
		frame_system::CheckWeight::new(),
		frame_system::WeightReclaim::new(),
	)
}

/// `call` signed by `signer` with `nonce`, as a wallet would build it.
fn signed(call: RuntimeCall, signer: Sr25519Keyring, nonce: Nonce) -> UncheckedExtrinsic {
	let extension = tx_extension(nonce);
	let implicit = extension.implicit().expect("implicit data");
	let payload = (&call, &extension, &implicit).using_encoded(|p| {
		if p.len() > 256 {
			polkadot_sdk::sp_io::hashing::blake2_256(p).to_vec()
		} else {
			p.to_vec()
		}
	});
	let signature = signer.pair().sign(&payload);
	UncheckedExtrinsic::new_signed(call, signer.to_account_id().into(), signature.into(), extension)
}

/// A remark signed by `signer`.
fn signed_remark(signer: Sr25519Keyring) -> UncheckedExtrinsic {
	signed(RuntimeCall::System(frame_system::Call::remark { remark: b"hello".to_vec() }), signer, 0)
}

/// A call of an admin (Alice, also the sudo key) that always succeeds: setting, as sudo, the
/// difficulty the chain already has.
fn admin_call(nonce: Nonce) -> UncheckedExtrinsic {
	let set = RuntimeCall::Ehr(pallet_ehr::Call::set_difficulty { difficulty: 8 });
	signed(
		RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(set) }),
		Sr25519Keyring::Alice,
		nonce,
	)
}

fn validate(xt: UncheckedExtrinsic) -> TransactionValidity {
	Executive::validate_transaction(TransactionSource::External, xt, H256::repeat_byte(1))
}

#[test]
fn pool_refuses_non_members() {
	externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(
			validate(signed_remark(Sr25519Keyring::Eve)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner))
		);
		let admin = validate(admin_call(0));
		assert!(admin.is_ok(), "an admin is a member: {admin:?}");
	});
}

#[test]
fn blocks_refuse_non_members_too() {
	externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let outsider = Executive::apply_extrinsic(signed_remark(Sr25519Keyring::Eve));
		assert_eq!(outsider, Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner)));
	});
}

#[test]
fn members_cannot_remark_arbitrary_bytes() {
	externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let refused = TransactionValidityError::Invalid(InvalidTransaction::Call);
		assert_eq!(validate(signed_remark(Sr25519Keyring::Alice)), Err(refused));
		assert_eq!(Executive::apply_extrinsic(signed_remark(Sr25519Keyring::Alice)), Err(refused));
	});
}

#[test]
fn quotas_bound_what_an_account_gets_into_blocks() {
	externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let quotas = pallet_ehr::Quotas { window: 10, admin: 2, professional: 1, patient: 1 };
		pallet_ehr::QuotaSetting::<Runtime>::put(quotas);
		let exhausted = TransactionValidityError::Invalid(InvalidTransaction::Custom(
			pallet_ehr::refusal::QUOTA_EXHAUSTED,
		));
		// The pool takes no more than the quota left, counting those ahead in nonce order.
		assert!(validate(admin_call(1)).is_ok());
		assert_eq!(validate(admin_call(2)), Err(exhausted));
		// A block takes two, then refuses the third.
		assert!(Executive::apply_extrinsic(admin_call(0)).is_ok());
		assert!(Executive::apply_extrinsic(admin_call(1)).is_ok());
		assert_eq!(Executive::apply_extrinsic(admin_call(2)), Err(exhausted));
		// The next window, ten blocks on, starts afresh.
		System::set_block_number(System::block_number() + 10);
		let next = Executive::apply_extrinsic(admin_call(2));
		assert!(next.is_ok(), "{next:?}");
	});
}

#[test]
fn admins_go_first_and_light_users_before_heavy_ones() {
	externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let priority = |xt| validate(xt).expect("valid").priority;
		let admin = priority(admin_call(0));
		assert!(admin >= pallet_ehr::ADMIN_PRIORITY);
		// The later of an admin's own transactions has less quota left, so less priority.
		assert!(priority(admin_call(3)) < admin);
	});
}
