//! Four hospitals' validators on one machine, a fifth hospital joining and leaving, and faults:
//! one validator killed and restarted, two killed at once, one frozen for a minute, one with its
//! database damaged on disk. With more than two thirds of the validators, finality goes on;
//! with fewer, it stalls without finalizing anything conflicting and resumes when enough
//! return; every document sent meanwhile is on every node afterwards; the hospitals decide
//! with one of them down, and a hospital they admit validates (and votes for finality) until
//! they remove it.
//! How long each recovery took is printed (`--nocapture` shows it).

use std::{
	path::Path,
	time::{Duration, Instant},
};

use ehr_client::{
	chain::{AccountId, DocumentKind, ProfessionalKind},
	config::Settings,
	consortium::{self, Decision, Outcome},
	keys::Identity,
	ops::Client,
	Error,
};
use ehr_tests::{
	network::{self, Network, VALIDATORS},
	Node,
};

use crate::helpers::{register, register_patient, sample};

const ALICE: usize = 0;
const BOB: usize = 1;
const CHARLIE: usize = 2;
const DAVE: usize = 3;
/// A fifth hospital's node, started on the chain spec without keys: it joins.
const EVE: usize = 4;

/// A consortium client (not in development mode) of the node, pinned to its genesis.
fn settings(node: &Node, dir: &Path) -> Settings {
	let genesis = node.block_hash(0).expect("genesis hash");
	let mut genesis_hash = [0u8; 32];
	hex::decode_to_slice(genesis.trim_start_matches("0x"), &mut genesis_hash).expect("hex");
	let insurance_key = dir.join("insurance.key");
	std::fs::write(&insurance_key, hex::encode([9u8; 32])).expect("insurance key");
	Settings {
		node: node.ws_url(),
		keystore: dir.join("keys"),
		stores: vec![dir.join("a").display().to_string(), dir.join("b").display().to_string()],
		emergency_key: Some(Identity::dev("Emergency").expect("dev key").encryption().public()),
		insurance_key_file: Some(insurance_key),
		max_document_bytes: 1024 * 1024,
		genesis_hash: Some(genesis_hash),
		allow_insecure_node: false,
		development: false,
	}
}

/// Both nodes hold the same block at every height up to `up_to`: nothing conflicting was
/// finalized.
fn same_chain(network: &Network, a: usize, b: usize, up_to: u64) {
	for number in 1..=up_to {
		let (ours, theirs) =
			(network.node(a).block_hash(number), network.node(b).block_hash(number));
		assert!(ours.is_some(), "{} has no block {number}", VALIDATORS[a]);
		assert_eq!(
			ours, theirs,
			"{} and {} differ at block {number}",
			VALIDATORS[a], VALIDATORS[b]
		);
	}
}

/// How far validator `i` has finalized.
fn finalized(network: &Network, i: usize) -> u64 {
	network.node(i).finalized_number()
}

/// A doctor, a patient of the doctor's, and two documents, sent through `client`.
async fn documents(client: &Client, dir: &Path) -> (AccountId, Vec<Vec<u8>>) {
	let alice = Identity::dev("Alice").expect("dev key");
	let ferdie = Identity::dev("Ferdie").expect("dev key");
	register(client, &alice, &ferdie, "Dr Ferdie", ProfessionalKind::Doctor).await;
	let (patient, _) = register_patient(client, &ferdie, "NET 1").await.expect("register patient");
	let files = [
		(sample(dir, "prescription", 20_000, 3), DocumentKind::Prescription),
		(sample(dir, "note", 20_000, 4), DocumentKind::ClinicalNote),
	];
	let added = client.add_documents(&ferdie, &patient.account(), &files, None).await.expect("add");
	assert_eq!(added.len(), 2);
	let contents = files.iter().map(|(path, _)| std::fs::read(path).expect("document")).collect();
	(patient.account(), contents)
}

/// Alice's hospital proposes admitting Eve's; Charlie's and Dave's vote aye, and Dave's vote
/// (the third of four) carries it; nobody votes twice.
async fn consortium_admits_a_hospital(client: &Client) {
	let [alice, charlie, dave, eve] =
		["Alice", "Charlie", "Dave", "Eve"].map(|name| Identity::dev(name).expect("dev key"));
	let admit = Decision::AdmitHospital { hospital: eve.account(), name: "Eve's clinic".into() };
	let proposed = client.propose(&alice, &admit).await.expect("propose");
	assert_eq!(proposed.outcome, Outcome::Open { ayes: 1, threshold: 3 });
	let motions = client.motions().await.expect("motions");
	assert_eq!(motions.len(), 1);
	assert!(motions[0].proposal.contains("Eve's clinic"), "{}", motions[0].proposal);
	let hash = consortium::parse_motion_hash(&proposed.hash).expect("hash");
	let voted = client.vote(&charlie, hash, true).await.expect("Charlie votes");
	assert_eq!(voted.outcome, Outcome::Open { ayes: 2, threshold: 3 });
	let twice = client.vote(&charlie, hash, true).await.expect_err("a second vote");
	assert!(matches!(&twice, Error::Refused { error, .. } if error == "DuplicateVote"), "{twice}");
	let carried = client.vote(&dave, hash, true).await.expect("Dave votes");
	assert_eq!(carried.outcome, Outcome::Executed);
	let view = client.consortium().await.expect("consortium");
	assert!(view.hospitals.iter().any(|h| h.name == "Eve's clinic"));
	assert_eq!((view.hospitals.len(), view.ayes_needed), (5, 4));
	assert!(client.motions().await.expect("motions").is_empty());
}

/// Eve's hospital leaves: it proposes its own removal, and Alice's, Charlie's and Dave's votes
/// make the four of five it needs (Bob's node is frozen; his hospital does not vote).
async fn consortium_removes_a_hospital(client: &Client) {
	let [alice, charlie, dave, eve] =
		["Alice", "Charlie", "Dave", "Eve"].map(|name| Identity::dev(name).expect("dev key"));
	let proposed =
		client.propose(&eve, &Decision::RemoveHospital(eve.account())).await.expect("propose");
	assert_eq!(proposed.outcome, Outcome::Open { ayes: 1, threshold: 4 });
	let hash = consortium::parse_motion_hash(&proposed.hash).expect("hash");
	for voter in [&alice, &charlie] {
		client.vote(voter, hash, true).await.expect("vote");
	}
	let removed = client.vote(&dave, hash, true).await.expect("vote");
	assert_eq!(removed.outcome, Outcome::Executed);
	assert_eq!(client.consortium().await.expect("consortium").hospitals.len(), 4);
}

/// Waits until the validators finalizing after node `i`'s finalized head number `size`;
/// returns how long it took.
fn wait_set_size(network: &Network, i: usize, size: usize) -> Duration {
	let start = Instant::now();
	assert!(
		network.node(i).wait_until(Duration::from_secs(240), |n| n.grandpa_set_size() == size),
		"the validator set never became {size}"
	);
	start.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hospitals_keep_finalizing_through_faults_and_changes() {
	let tmp = tempfile::tempdir().expect("temp dir");
	let mut net = Network::start();
	for (i, name) in VALIDATORS.iter().enumerate() {
		assert!(
			net.wait_finalized(i, 2, Duration::from_secs(120)).is_some(),
			"{name} finalized nothing"
		);
	}
	let client = Client::connect(settings(net.node(ALICE), tmp.path())).await.expect("connect");

	// A fifth hospital joins: its node follows the chain, three of the four admit the
	// hospital, its node makes its keys and registers them, and it validates from the session
	// after next.
	assert_eq!(net.add_node("eve"), EVE);
	assert_eq!(net.node(EVE).grandpa_set_size(), 4);
	consortium_admits_a_hospital(&client).await;
	// Eve's node sets keys once it has finalized the admission too.
	let admitted = finalized(&net, ALICE);
	net.wait_finalized(EVE, admitted, Duration::from_secs(60)).expect("Eve's node syncs");
	let at_eve = Client::connect(settings(net.node(EVE), tmp.path())).await.expect("connect");
	let eve = Identity::dev("Eve").expect("dev key");
	let keys_set = Instant::now();
	at_eve.set_node_keys(&eve).await.expect("Eve's node keys");

	// One validator killed: four of five still make more than two thirds; finality goes on.
	net.kill(DAVE);
	let from = finalized(&net, ALICE);
	let took = net
		.wait_finalized(ALICE, from + 3, Duration::from_secs(90))
		.expect("finality continues without Dave");
	eprintln!("dave killed: 3 more blocks finalized in {took:?}");

	// Documents are sent while it is down.
	let (patient, contents) = documents(&client, tmp.path()).await;

	// Restarted on its database, it catches up with the very same finalized blocks, and serves
	// the documents sent while it was down.
	let target = finalized(&net, ALICE);
	let restarted = Instant::now();
	net.start_validator(DAVE);
	net.wait_finalized(DAVE, target, Duration::from_secs(120)).expect("Dave catches up");
	eprintln!("dave restarted: caught up to block {target} in {:?}", restarted.elapsed());
	same_chain(&net, ALICE, DAVE, target);
	let at_dave = Client::connect(settings(net.node(DAVE), tmp.path())).await.expect("connect");
	assert_eq!(at_dave.records(&patient).await.expect("records").len(), 3);
	let ferdie = Identity::dev("Ferdie").expect("dev key");
	let out = tmp.path().join("read-at-dave");
	at_dave.read_document(&ferdie, &patient, 2, &out, false).await.expect("read through Dave");
	assert_eq!(std::fs::read(&out).expect("read"), contents[1]);

	// By now Eve's node validates.
	wait_set_size(&net, ALICE, 5);
	eprintln!("eve joined the validators {:?} after setting its keys", keys_set.elapsed());

	// Two killed: three of five cannot finalize. Blocks still come, but none that Charlie and
	// Dave never saw is finalized, and nothing conflicting either.
	let seen = net.node(CHARLIE).block_number(None).max(net.node(DAVE).block_number(None));
	net.kill(CHARLIE);
	net.kill(DAVE);
	let best = net.node(ALICE).block_number(None);
	tokio::time::sleep(Duration::from_secs(30)).await;
	let (stalled_at, bob_stalled_at) = (finalized(&net, ALICE), finalized(&net, BOB));
	assert!(stalled_at <= seen, "three of five validators finalized block {stalled_at}");
	assert!(bob_stalled_at <= seen, "three of five validators finalized block {bob_stalled_at}");
	assert!(net.node(ALICE).block_number(None) > best, "the others stopped producing blocks");
	same_chain(&net, ALICE, BOB, stalled_at.min(bob_stalled_at));
	// A fourth returns: finality resumes, which takes Eve's votes too.
	let returned = Instant::now();
	net.start_validator(CHARLIE);
	net.wait_finalized(ALICE, stalled_at + 2, Duration::from_secs(120))
		.expect("finality resumes with four of five");
	eprintln!("stalled with three: resumed {:?} after Charlie returned", returned.elapsed());
	same_chain(&net, ALICE, EVE, stalled_at + 2);
	net.start_validator(DAVE);
	let target = finalized(&net, ALICE);
	net.wait_finalized(DAVE, target, Duration::from_secs(120)).expect("Dave catches up");

	// One validator frozen for a minute: the others go on, and decide: Eve's hospital leaves,
	// by four of five votes. The frozen one recovers when it thaws.
	net.pause(BOB, true);
	let from = finalized(&net, ALICE);
	let frozen = Instant::now();
	consortium_removes_a_hospital(&client).await;
	let removed = Instant::now();
	tokio::time::sleep(Duration::from_secs(60).saturating_sub(frozen.elapsed())).await;
	assert!(finalized(&net, ALICE) >= from + 3, "finality stopped while Bob was frozen");
	net.pause(BOB, false);
	let target = finalized(&net, ALICE);
	let took = net
		.wait_finalized(BOB, target, Duration::from_secs(120))
		.expect("Bob recovers after a minute frozen");
	eprintln!("bob frozen for 60 s: caught up {} blocks in {took:?}", target - from);
	same_chain(&net, ALICE, BOB, target);

	// Eve's node leaves the validators from the session after next; the four go on.
	wait_set_size(&net, ALICE, 4);
	eprintln!("eve left the validators {:?} after its removal", removed.elapsed());

	// A damaged database: the node refuses to start, says where the database is and what to do,
	// and serves nothing.
	net.kill(CHARLIE);
	let files = network::damage(&net.database(CHARLIE));
	assert!(files > 0, "no database files to damage");
	let restarted = Instant::now();
	let log = net.try_start_validator(CHARLIE).expect_err("Charlie started on a damaged database");
	let error = log.lines().find(|line| line.contains("cannot be opened"));
	assert!(error.is_some_and(|e| e.contains("database at")), "unclear:\n{log}");
	eprintln!(
		"charlie's damaged database: refused in {:?}: {}",
		restarted.elapsed(),
		error.unwrap_or_default()
	);
	// Whatever Charlie did, the others still agree and finalize: three of four.
	let from = finalized(&net, ALICE);
	net.wait_finalized(BOB, from + 1, Duration::from_secs(90)).expect("the network goes on");
	same_chain(&net, ALICE, BOB, from);
}
