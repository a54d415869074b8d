//! `try-runtime` checks of this runtime's upgrade against snapshots of live development chains
//! of earlier releases.
//!
//! Each check starts a chain of a committed release (`tests/fixtures/dev-spec-*.json`), writes
//! to it what the walkthrough writes (a doctor, a patient, a document), takes a snapshot of its
//! whole state at the finalized block, and runs this runtime's migrations on the snapshot with
//! every `pre_upgrade`/`post_upgrade` check, a decode of every stored value and every pallet's
//! `try_state`; then runs them once more and checks that the second run changes nothing.
//!
//! The runtime must be built with its `try-runtime` feature, which must not reach the node's
//! build: `scripts/test.sh` runs this on its own,
//! `SKIP_WASM_BUILD=1 cargo test --release -p ehr-tests --features try-runtime --test try_runtime`.

use ehr_client::{
	chain::{DocumentKind, ProfessionalKind},
	keys::Identity,
	Client,
};
use ehr_runtime::{Executive, Runtime};
use ehr_tests::Node;
use polkadot_sdk::{
	frame_support::traits::{GetStorageVersion, StorageVersion},
	frame_try_runtime::UpgradeCheckSelect,
	sp_io::{self, TestExternalities},
	sp_runtime::StateVersion,
};
use serde_json::json;

#[allow(dead_code)]
#[path = "end_to_end/helpers.rs"]
mod helpers;

/// A chain of the committed release `spec`, with a doctor, a patient and a document written
/// by the client of this release.
async fn live_chain(spec: &str, version: u64) -> Node {
	let node = Node::release(spec, version);
	assert_eq!(node.spec_version(), version, "{spec} runs its own release");

	let tmp = tempfile::tempdir().expect("temp dir");
	let client = Client::connect(helpers::dev_settings(&node, tmp.path())).await.expect("connect");
	let alice = Identity::dev("Alice").expect("dev key");
	let bob = Identity::dev("Bob").expect("dev key");
	helpers::register(&client, &alice, &bob, "Dr Bob", ProfessionalKind::Doctor).await;
	let (patient, _) =
		helpers::register_patient(&client, &bob, "SNAPSHOT 1").await.expect("patient");
	let file = helpers::sample(tmp.path(), "note", 4_000, 3);
	client
		.add_documents(&bob, &patient.account(), &[(file, DocumentKind::ClinicalNote)], None)
		.await
		.expect("document");
	node
}

/// Every key and value of `node`'s state at its finalized block, as test externalities.
fn snapshot(node: &Node) -> TestExternalities {
	let head = node.rpc("chain_getFinalizedHead", json!([])).expect("finalized head");
	let pairs = node.rpc("state_getPairs", json!(["0x", head])).expect("the state's pairs");
	let pairs = pairs.as_array().expect("a list of pairs");
	let bytes = |value: &serde_json::Value| {
		hex::decode(value.as_str().expect("hex").trim_start_matches("0x")).expect("hex")
	};
	let mut ext = TestExternalities::new_empty();
	for pair in pairs {
		ext.insert(bytes(&pair[0]), bytes(&pair[1]));
	}
	assert!(pairs.len() > 20, "a snapshot of a live chain has its pallets' state");
	ext
}

/// Runs this runtime's migrations and checks on `ext`, then again, and checks that the second
/// run left the state as the first did.
fn upgrade_checked(ext: &mut TestExternalities) {
	ext.execute_with(|| {
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			.unwrap_or_else(|e| panic!("the upgrade's checks fail: {e:?}"));
		assert_eq!(
			pallet_ehr::Pallet::<Runtime>::on_chain_storage_version(),
			StorageVersion::new(3),
			"pallet-ehr's storage is at this release's version"
		);
		assert_eq!(
			pallet_consortium::Pallet::<Runtime>::on_chain_storage_version(),
			pallet_consortium::Pallet::<Runtime>::in_code_storage_version(),
		);
		let once = sp_io::storage::root(StateVersion::V1);
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			.unwrap_or_else(|e| panic!("the second run's checks fail: {e:?}"));
		assert_eq!(sp_io::storage::root(StateVersion::V1), once, "a second run changed the state");
	});
}

/// What the walkthrough wrote is still there, in this release's types.
fn nothing_lost(ext: &mut TestExternalities) {
	ext.execute_with(|| {
		let bob = Identity::dev("Bob").expect("dev key").account();
		let bob = ehr_runtime::AccountId::new(bob.0);
		let doctor = pallet_ehr::Professionals::<Runtime>::get(&bob).expect("Dr Bob is kept");
		assert_eq!(doctor.hospital, None, "a professional of before is the consortium's");
		let counts = pallet_ehr::Pallet::<Runtime>::counts();
		assert_eq!((counts.professionals, counts.patients, counts.records), (1, 1, 2));
		assert!(
			pallet_ehr::Admins::<Runtime>::iter_values().all(|admin| admin.hospital.is_none()),
			"the admins of before serve the whole consortium"
		);
		assert_eq!(
			pallet_ehr::ConsortiumAdminCount::<Runtime>::get(),
			pallet_ehr::AdminCount::<Runtime>::get()
		);
	});
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrade_from_the_last_release_passes_try_runtime_on_a_live_snapshot() {
	let node = live_chain("dev-spec-103.json", 103).await;
	let mut ext = snapshot(&node);
	drop(node);
	upgrade_checked(&mut ext);
	nothing_lost(&mut ext);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrade_from_a_chain_without_consortium_passes_try_runtime_on_a_live_snapshot() {
	let node = live_chain("dev-spec-101.json", 101).await;
	let mut ext = snapshot(&node);
	drop(node);
	upgrade_checked(&mut ext);
	nothing_lost(&mut ext);
	ext.execute_with(|| {
		assert_eq!(
			pallet_consortium::Hospitals::<Runtime>::iter_keys().count(),
			1,
			"the migration founds the consortium from the chain's validator"
		);
	});
}
