//! A running chain of the previous release upgraded to this runtime while a doctor adds
//! documents. `tests/fixtures/dev-spec-101.json` is the development chain spec of spec version
//! 101 (no consortium, no sessions: its validator was fixed at genesis), with that runtime's
//! code, as the release committed it. The upgrade's migration founds its consortium from its
//! validator, which goes on producing and finalizing blocks through sessions, and nothing
//! written before, during or after the upgrade is lost.

use std::time::Duration;

use ehr_client::{
	chain::{DocumentKind, ProfessionalKind},
	keys::Identity,
	Client,
};
use ehr_tests::{repo_root, Node};
use serde_json::Value;

use crate::helpers::{dev_settings, register, register_patient, sample};

/// This release's runtime code, as the committed development spec carries it.
fn this_runtime() -> Vec<u8> {
	let spec = std::fs::read_to_string(repo_root().join("chain-spec/dev.json")).expect("spec");
	let spec: Value = serde_json::from_str(&spec).expect("JSON");
	let code = spec["genesis"]["runtimeGenesis"]["code"].as_str().expect("code");
	hex::decode(code.trim_start_matches("0x")).expect("hex")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_chain_upgrades_while_documents_are_added() {
	let node = Node::release("dev-spec-101.json", 7);
	assert_eq!(node.spec_version(), 101);
	let tmp = tempfile::tempdir().expect("temp dir");
	let client = Client::connect(dev_settings(&node, tmp.path())).await.expect("connect");
	let alice = Identity::dev("Alice").expect("dev key");
	let bob = Identity::dev("Bob").expect("dev key");
	register(&client, &alice, &bob, "Dr Bob", ProfessionalKind::Doctor).await;
	let (patient, _) = register_patient(&client, &bob, "UPGRADE 1").await.expect("patient");
	let patient = patient.account();
	let files: Vec<_> =
		(0..4u8).map(|i| sample(tmp.path(), &format!("doc-{i}"), 5_000, i + 2)).collect();
	let add = |i: usize| {
		let file = [(files[i].clone(), DocumentKind::ClinicalNote)];
		let (client, bob) = (&client, &bob);
		async move { client.add_documents(bob, &patient, &file, None).await.expect("add") }
	};
	add(0).await;

	// The sudo key of the old development chain upgrades it (that runtime has no consortium
	// to vote), while the doctor goes on writing.
	let code = this_runtime();
	let (upgraded, _) = tokio::join!(client.sudo_upgrade(&alice, code), add(1));
	upgraded.expect("upgrade");
	assert!(
		node.wait_until(Duration::from_secs(60), |n| n.spec_version() > 101),
		"the chain still runs spec {}",
		node.spec_version()
	);
	add(2).await;
	add(3).await;

	// Every document reads back; the validator's hospital founded the consortium.
	assert_eq!(client.records(&patient).await.expect("records").len(), 5);
	for (index, file) in files.iter().enumerate() {
		let out = tmp.path().join(format!("read-{index}"));
		client.read_document(&bob, &patient, index as u32 + 1, &out, false).await.expect("read");
		assert_eq!(std::fs::read(&out).expect("read"), std::fs::read(file).expect("file"));
	}
	let consortium = client.consortium().await.expect("consortium");
	assert_eq!(consortium.hospitals.len(), 1);
	assert_eq!(consortium.hospitals[0].account, alice.account().to_string());
	assert_eq!(consortium.hospitals[0].name, "Validator 1");
}
