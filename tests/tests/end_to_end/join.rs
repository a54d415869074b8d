//! A hospital joins and leaves by the README's commands (`chain-spec/README.md`):
//! `scripts/join-consortium.sh` on its machine, and the motions it prints run with the `ehr`
//! command by a hospital of the consortium. On the development chain, whose one hospital
//! decides alone; `network.rs` has four hospitals decide, with the same calls.

use std::{process::Command, time::Duration};

use ehr_client::{chain::AccountId, runtime, Client};
use ehr_tests::{
	client_binary,
	joining::{output, Joining},
	network::free_port,
	run_node, Node,
};

use crate::helpers::dev_settings;

/// `ehr` as the development chain's hospital, Alice, on `node`.
fn ehr_as_alice(node: &Node, args: &[&str]) -> String {
	output(
		Command::new(client_binary())
			.args(["--dev", "--node", &node.ws_url(), "--as", "//Alice"])
			.args(args),
	)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hospital_joins_and_leaves_by_the_readme_commands() {
	let tmp = tempfile::tempdir().expect("temp dir");
	let p2p_port = free_port();
	let mut consortium = Node::spawn_on(&["--dev", "--tmp"], p2p_port);
	let peer_id = consortium
		.wait_for_log(Duration::from_secs(30), |line| {
			let id = line.split("Local node identity is: ").nth(1)?;
			id.split_whitespace().next().map(str::to_owned)
		})
		.expect("the node's identity");
	let bootnode = format!("/ip4/127.0.0.1/tcp/{p2p_port}/p2p/{peer_id}");
	let spec = tmp.path().join("dev.json");
	std::fs::write(&spec, run_node(&["build-spec", "--chain", "dev"])).expect("spec");
	let genesis = consortium.block_hash(0).expect("genesis hash");

	// The joining hospital runs the README's one command on its machine.
	let mut joining = Joining::start(
		&spec,
		&genesis,
		"Eve's clinic",
		"eve",
		&[bootnode],
		&tmp.path().join("eve"),
	);

	// It prints the motion to pass; the consortium's hospital passes it.
	let motion = joining.motion();
	let motion: Vec<&str> = motion.iter().map(String::as_str).collect();
	ehr_as_alice(&consortium, &motion);
	joining.wait_for(Duration::from_secs(120), |l| l.contains("admitted"));
	joining.wait_for(Duration::from_secs(300), |l| l.contains("validates from the session"));

	let client = Client::connect(dev_settings(&consortium, tmp.path())).await.expect("connect");
	let view = client.consortium().await.expect("consortium");
	let eve = view.hospitals.iter().find(|h| h.name == "Eve's clinic").expect("Eve's clinic");
	assert!(eve.node.is_some(), "admitted with its node");
	let eve_account = eve.account.clone();
	let account: AccountId = eve_account.parse().expect("an account");
	let at = client.chain.finalized().await.expect("block");
	let keys = at
		.storage()
		.try_fetch(runtime::storage().session().next_keys(), (account,))
		.await
		.expect("session keys");
	assert!(keys.is_some(), "the node's keys are registered for the hospital");

	// It leaves by the consortium's motion: of two hospitals, both vote.
	let proposed = ehr_as_alice(
		&consortium,
		&["--json", "consortium", "propose", "remove-hospital", &eve_account],
	);
	let proposed: serde_json::Value = serde_json::from_str(&proposed).expect("JSON");
	let hash = proposed["hash"].as_str().expect("the motion's hash");
	output(joining.ehr(&consortium.ws_url()).args(["consortium", "vote", hash]));
	let view = client.consortium().await.expect("consortium");
	assert!(view.hospitals.iter().all(|h| h.name != "Eve's clinic"), "{view:?}");
}
