//! A consortium of two hospitals whose finality stalled from the start: Bob's machine was
//! reinstalled without its keystore, so his node follows the chain but cannot vote on finality,
//! and GRANDPA needs both. Blocks still come (in Alice's slots), and with `Follow::Best` the
//! hospitals recover in them, as `chain-spec/README.md` tells operators: Bob's hospital
//! registers new keys made on his node, and once a session has ended since, the hospitals vote
//! `note_stalled`; at the next session GRANDPA moves by force to the new keys, and both nodes
//! finalize again. A client waiting for finality gets nowhere on such a chain meanwhile.

use std::time::{Duration, Instant};

use ehr_client::{
	chain::{Follow, ReviewOutcome},
	consortium::{self, Decision, Outcome},
	keys::Identity,
	runtime, Client, Error,
};
use ehr_tests::{network::Network, run_node, Node};
use serde_json::Value;

use crate::network::settings;

const ALICE: usize = 0;
const BOB: usize = 1;

/// The `local` spec with its first two hospitals only: GRANDPA needs both of them.
fn two_hospitals_spec(dir: &std::path::Path) -> String {
	let spec = run_node(&["build-spec", "--chain", "local", "--disable-default-bootnode"]);
	let mut spec: Value = serde_json::from_str(&spec).expect("a JSON spec");
	let patch = &mut spec["genesis"]["runtimeGenesis"]["patch"];
	for (pallet, list) in [("consortium", "hospitals"), ("session", "keys")] {
		patch[pallet][list].as_array_mut().expect("a list").truncate(2);
	}
	let path = dir.join("two-hospitals.json");
	std::fs::write(&path, spec.to_string()).expect("write the spec");
	path.display().to_string()
}

/// The session the node's best block is in.
async fn session(client: &Client) -> u32 {
	let at = client.chain.finalized().await.expect("best block");
	let index = at
		.storage()
		.try_fetch(runtime::storage().session().current_index(), ())
		.await
		.expect("session index");
	index.map_or(0, |value| value.decode().expect("a session index"))
}

/// Waits (at most `timeout`) until the session is past `index`.
async fn session_after(client: &Client, index: u32, timeout: Duration) {
	let deadline = Instant::now() + timeout;
	while session(client).await <= index {
		assert!(Instant::now() < deadline, "session {index} did not end");
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hospitals_recover_from_stalled_finality_by_their_vote() {
	let tmp = tempfile::tempdir().expect("temp dir");
	let spec = two_hospitals_spec(tmp.path());
	let mut net = Network::prepare(&spec);
	net.start_validator(ALICE);
	net.without_keys(BOB);
	net.start_validator(BOB);
	let alice_node = net.node(ALICE);
	assert!(
		alice_node.wait_until(Duration::from_secs(120), |n| n.block_number(None) >= 3),
		"Alice's node makes blocks"
	);
	assert_eq!(alice_node.finalized_number(), 0, "GRANDPA needs Bob's vote too");

	let [alice, bob] = ["Alice", "Bob"].map(|name| Identity::dev(name).expect("dev key"));
	for dir in ["a", "b", "c"] {
		std::fs::create_dir_all(tmp.path().join(dir)).expect("client directory");
	}
	// A client that waits for finality waits for ever: the chain includes its transaction
	// (refused, as there is no such emergency access to review), but never finalizes it.
	let waiting =
		Client::connect(settings(alice_node, &tmp.path().join("a"))).await.expect("connect");
	let review = waiting.review_emergency(&alice, 7, ReviewOutcome::Justified);
	let stuck = tokio::time::timeout(Duration::from_secs(20), review).await;
	assert!(stuck.is_err(), "a transaction was final on a chain that finalizes nothing");

	// Bob's hospital makes keys on its node and registers them, on best blocks.
	let mut at_bob = Client::connect(settings(net.node(BOB), &tmp.path().join("b")))
		.await
		.expect("connect to Bob's node");
	at_bob.chain.set_follow(Follow::Best);
	let started = Instant::now();
	at_bob.set_node_keys(&bob).await.expect("Bob registers new keys");
	let keys_set_in = session(&at_bob).await;

	// Once the session ends (the new keys are queued), the hospitals force the finality set.
	let mut client =
		Client::connect(settings(net.node(ALICE), &tmp.path().join("c"))).await.expect("connect");
	client.chain.set_follow(Follow::Best);
	session_after(&client, keys_set_in, Duration::from_secs(300)).await;
	let decision = Decision::NoteStalled { delay: 1, best_finalized: 0 };
	let proposed = client.propose(&alice, &decision).await.expect("Alice proposes");
	assert_eq!(proposed.outcome, Outcome::Open { ayes: 1, threshold: 2 });
	let hash = consortium::parse_motion_hash(&proposed.hash).expect("hash");
	let carried = client.vote(&bob, hash, true).await.expect("Bob votes");
	assert_eq!(carried.outcome, Outcome::Executed);

	// At the next session, GRANDPA moves to Alice's and Bob's new keys, and both finalize.
	for i in [ALICE, BOB] {
		let node: &Node = net.node(i);
		assert!(
			node.wait_until(Duration::from_secs(300), |n| n.finalized_number() > 0),
			"finality did not resume"
		);
	}
	let recovered = started.elapsed();
	let finalized = net.node(ALICE).finalized_number().min(net.node(BOB).finalized_number());
	for number in 1..=finalized {
		assert_eq!(net.node(ALICE).block_hash(number), net.node(BOB).block_hash(number));
	}
	assert_eq!(net.node(ALICE).grandpa_set_size(), 2);
	println!(
		"stalled finality: resumed {} s after Bob set new keys, at block {}",
		recovered.as_secs(),
		finalized
	);
	// And a client waiting for finality gets its answers again.
	let refused = waiting
		.review_emergency(&bob, 7, ReviewOutcome::Justified)
		.await
		.expect_err("no such access");
	assert!(matches!(&refused, Error::Refused { .. }), "{refused}");
}
