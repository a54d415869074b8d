//! Four hospitals' validators on one machine, running the previous release
//! (`tests/fixtures/local-spec-102.json`: the `local` spec of spec version 102, whose hospitals
//! had no nodes on record). They vote to upgrade it to this runtime while a doctor adds
//! documents, name their nodes, and from then on their nodes peer only with each other. A
//! fifth hospital joins and leaves by the commands of `chain-spec/README.md`: its node, started
//! by `scripts/join-consortium.sh`, gets no blocks until the hospitals pass the motion the
//! script printed, validates (and votes for finality) once the script registered its keys, and
//! gets no more blocks once the hospitals passed the motion for its removal, which it proposed
//! itself with `ehr`. Meanwhile, faults: one validator killed and restarted, two killed at once,
//! one frozen for a minute, one with its database damaged on disk. With more than two thirds of
//! the validators, finality goes on; with fewer, it stalls without finalizing anything
//! conflicting and resumes when enough return; every document sent meanwhile is on every node
//! afterwards; the hospitals decide with one of them down.
//! How long each recovery took is printed (`--nocapture` shows it).

use std::{
	path::Path,
	process::Command,
	time::{Duration, Instant},
};

use ehr_client::{
	chain::{AccountId, DocumentKind, ProfessionalKind},
	config::Settings,
	consortium::{self, Decision, NodeId, NodeKey, Outcome},
	keys::{Identity, Keystore},
	Client, Error,
};
use ehr_tests::{
	joining::{ehr_as, output, Joining, PASSPHRASE},
	network::{self, Network, VALIDATORS},
	repo_root, Node,
};

use crate::helpers::{register, register_patient, sample};

const ALICE: usize = 0;
const BOB: usize = 1;
const CHARLIE: usize = 2;
const DAVE: usize = 3;
/// A fifth hospital's node, started by `scripts/join-consortium.sh`: it joins.
const EVE: usize = 4;

/// A consortium client (not in development mode) of the node, pinned to its genesis.
pub fn settings(node: &Node, dir: &Path) -> Settings {
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
		local_testnet: false,
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

/// This release's runtime code, as the committed `local` spec carries it.
fn this_runtime() -> Vec<u8> {
	let spec = std::fs::read_to_string(repo_root().join("chain-spec/local.json")).expect("spec");
	let spec: serde_json::Value = serde_json::from_str(&spec).expect("JSON");
	let code = spec["genesis"]["runtimeGenesis"]["code"].as_str().expect("code");
	hex::decode(code.trim_start_matches("0x")).expect("hex")
}

/// The hospitals upgrade their chain by vote: Charlie's proposes approving this runtime, Dave's
/// and Bob's votes carry it, and Dave's applies it.
async fn consortium_upgrades_the_runtime(client: &Client) {
	let [bob, charlie, dave] =
		["Bob", "Charlie", "Dave"].map(|name| Identity::dev(name).expect("dev key"));
	let code = this_runtime();
	let approve = Decision::AuthorizeUpgrade { code_hash: consortium::blake2_256(&code) };
	let proposed = client.propose(&charlie, &approve).await.expect("propose the upgrade");
	let hash = consortium::parse_motion_hash(&proposed.hash).expect("hash");
	client.vote(&dave, hash, true).await.expect("Dave votes");
	let carried = client.vote(&bob, hash, true).await.expect("Bob votes");
	assert_eq!(carried.outcome, Outcome::Executed);
	client.apply_upgrade(&dave, code).await.expect("apply the upgrade");
}

/// Alice's hospital proposes admitting Eve's, as the joining script printed the motion
/// (`admission`), with `ehr` and its key in its keystore (at `keys`); Charlie's and Dave's vote
/// aye, and Dave's vote (the third of four) carries it; nobody votes twice.
async fn consortium_admits_a_hospital(client: &Client, mut admission: Command) {
	let [charlie, dave] = ["Charlie", "Dave"].map(|name| Identity::dev(name).expect("dev key"));
	let proposed = output(&mut admission);
	let proposed: serde_json::Value = serde_json::from_str(&proposed).expect("JSON");
	assert_eq!(
		proposed["outcome"],
		serde_json::json!({ "status": "open", "ayes": 1, "threshold": 3 })
	);
	let motions = client.motions().await.expect("motions");
	assert_eq!(motions.len(), 1);
	assert!(motions[0].proposal.contains("Eve's clinic"), "{}", motions[0].proposal);
	let hash = proposed["hash"].as_str().expect("the motion's hash");
	let hash = consortium::parse_motion_hash(hash).expect("hash");
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

/// With Bob's node frozen, the other four hospitals still decide: Alice's proposes (keeping
/// sessions at ten blocks), and Charlie's, Dave's and Eve's votes make the four of five it needs.
async fn consortium_decides_with_one_frozen(client: &Client, eve: &Identity) {
	let [alice, charlie, dave] =
		["Alice", "Charlie", "Dave"].map(|name| Identity::dev(name).expect("dev key"));
	let proposed = client.propose(&alice, &Decision::SetSessionLength(10)).await.expect("propose");
	assert_eq!(proposed.outcome, Outcome::Open { ayes: 1, threshold: 4 });
	let hash = consortium::parse_motion_hash(&proposed.hash).expect("hash");
	for voter in [&charlie, &dave] {
		client.vote(voter, hash, true).await.expect("vote");
	}
	let carried = client.vote(eve, hash, true).await.expect("vote");
	assert_eq!(carried.outcome, Outcome::Executed);
}

/// Eve's hospital leaves: it proposes its own removal with `ehr` on its node, as
/// `chain-spec/README.md` says, and Alice's, Charlie's and Dave's votes make the four of five it
/// needs.
async fn consortium_removes_a_hospital(client: &Client, eve: &Joining, eve_node: &Node) {
	let [alice, charlie, dave] =
		["Alice", "Charlie", "Dave"].map(|name| Identity::dev(name).expect("dev key"));
	let account = eve.identity().account().to_string();
	let proposed = output(eve.ehr(&eve_node.ws_url()).args([
		"--json",
		"consortium",
		"propose",
		"remove-hospital",
		&account,
	]));
	let proposed: serde_json::Value = serde_json::from_str(&proposed).expect("JSON");
	assert_eq!(
		proposed["outcome"],
		serde_json::json!({ "status": "open", "ayes": 1, "threshold": 4 })
	);
	let hash =
		consortium::parse_motion_hash(proposed["hash"].as_str().expect("hash")).expect("hash");
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
	let previous_release = repo_root().join("tests/fixtures/local-spec-102.json");
	let mut net = Network::start(&previous_release.display().to_string());
	for (i, name) in VALIDATORS.iter().enumerate() {
		assert!(
			net.wait_finalized(i, 2, Duration::from_secs(120)).is_some(),
			"{name} finalized nothing"
		);
	}
	assert_eq!(net.node(ALICE).spec_version(), 102);
	let client = Client::connect(settings(net.node(ALICE), tmp.path())).await.expect("connect");

	// The hospitals vote to upgrade to this runtime while a doctor writes; every node runs it
	// from then on.
	let upgrading = Instant::now();
	let ((patient, contents), ()) =
		tokio::join!(documents(&client, tmp.path()), consortium_upgrades_the_runtime(&client));
	for (i, name) in VALIDATORS.iter().enumerate() {
		let upgraded = net.node(i).wait_until(Duration::from_secs(60), |n| n.spec_version() > 102);
		assert!(upgraded, "{name} still runs spec {}", net.node(i).spec_version());
	}
	eprintln!(
		"upgrade by vote: every node runs this runtime {:?} after the proposal",
		upgrading.elapsed()
	);

	// Each hospital names its node; from then on the hospitals' nodes peer only with each
	// other.
	let hospitals = ["Alice", "Bob", "Charlie", "Dave"].map(|n| Identity::dev(n).expect("dev key"));
	let name = |i: usize| {
		let (client, hospital) = (&client, &hospitals[i]);
		let key = NodeKey::from_hex(net.network_key(i)).expect("node key");
		assert_eq!(key.node(), NodeId::parse(net.peer_id(i)).expect("peer id"));
		async move { client.set_node(hospital, &key).await.expect("name the node") }
	};
	tokio::join!(name(ALICE), name(BOB), name(CHARLIE), name(DAVE));
	let view = client.consortium().await.expect("consortium");
	assert!(view.hospitals.iter().all(|h| h.node.is_some()), "{view:?}");

	// A fifth hospital joins by the README's command: its script starts its node, makes its
	// key and prints the motion to pass. Its node, not admitted yet, gets no blocks.
	let genesis = net.node(ALICE).block_hash(0).expect("genesis hash");
	let bootnodes = [net.address(ALICE), net.address(BOB)];
	let eve_dir = tmp.path().join("eve");
	let mut joining =
		Joining::start(&previous_release, &genesis, "Eve's clinic", "eve", &bootnodes, &eve_dir);
	let motion = joining.motion();
	let peer_id = motion.iter().skip_while(|word| *word != "--node-id").nth(1).expect("node id");
	assert_eq!(net.attach("eve", joining.node(), joining.p2p_port, peer_id), EVE);
	let outside = Instant::now();
	let best = net.node(ALICE).block_number(None);
	assert!(net
		.node(ALICE)
		.wait_until(Duration::from_secs(60), |n| n.block_number(None) >= best + 3));
	assert_eq!(net.node(EVE).block_number(None), 0, "an unknown node got blocks");
	eprintln!("eve's node, unknown: no block in {:?}", outside.elapsed());

	// Alice's hospital runs the motion with `ehr` and its key; three of the four admit it. The
	// node then syncs, and the script has it make its keys and registers them: it validates
	// from the session after next.
	let alice_keys = tmp.path().join("alice-keys");
	Keystore::open(&alice_keys).add("alice", "//Alice", PASSPHRASE).expect("Alice's key");
	let mut admission = ehr_as(&alice_keys, "alice", &net.node(ALICE).ws_url(), &genesis);
	admission.arg("--json").args(&motion);
	consortium_admits_a_hospital(&client, admission).await;
	let admitted = finalized(&net, ALICE);
	let joining_at = Instant::now();
	net.wait_finalized(EVE, admitted, Duration::from_secs(120)).expect("Eve's node syncs");
	eprintln!("eve's node, admitted: synced {admitted} blocks in {:?}", joining_at.elapsed());
	assert_eq!(net.node(EVE).grandpa_set_size(), 4);
	// (Setting keys waits for the node to follow the chain, up to five minutes.)
	joining.wait_for(Duration::from_secs(330), |line| line.contains("validates from the session"));
	let keys_set = Instant::now();
	let eve = joining.identity();

	// While Eve's node waits for its session, faults that any validator set must survive.
	// One validator killed: the others still make more than two thirds; finality goes on.
	net.kill(DAVE);
	let from = finalized(&net, ALICE);
	let took = net
		.wait_finalized(ALICE, from + 3, Duration::from_secs(90))
		.expect("finality continues without Dave");
	eprintln!("dave killed: 3 more blocks finalized in {took:?}");

	// Documents are sent while it is down.
	let ferdie = Identity::dev("Ferdie").expect("dev key");
	let note = sample(tmp.path(), "while-dave-is-down", 20_000, 5);
	let file = [(note.clone(), DocumentKind::ClinicalNote)];
	client.add_documents(&ferdie, &patient, &file, None).await.expect("add while Dave is down");

	// Restarted on its database, it catches up with the very same finalized blocks, and serves
	// the documents sent while it was down.
	let target = finalized(&net, ALICE);
	let restarted = Instant::now();
	net.start_validator(DAVE);
	net.wait_finalized(DAVE, target, Duration::from_secs(120)).expect("Dave catches up");
	eprintln!("dave restarted: caught up to block {target} in {:?}", restarted.elapsed());
	same_chain(&net, ALICE, DAVE, target);
	let at_dave = Client::connect(settings(net.node(DAVE), tmp.path())).await.expect("connect");
	assert_eq!(at_dave.records(&patient).await.expect("records").len(), 4);
	// What was written before and during the upgrade, and while Dave was down, reads back.
	let contents = [contents, vec![std::fs::read(&note).expect("note")]].concat();
	for (index, content) in contents.iter().enumerate() {
		let out = tmp.path().join(format!("read-at-dave-{index}"));
		let index = index as u32 + 1;
		at_dave.read_document(&ferdie, &patient, index, &out, false).await.expect("read at Dave");
		assert_eq!(&std::fs::read(&out).expect("read"), content);
	}

	// One validator frozen for a minute: the others go on finalizing (three of four, or four of
	// five once Eve's node validates), and the hospitals decide by four of five votes, Eve's
	// among them. The frozen one recovers when it thaws.
	net.pause(BOB, true);
	let from = finalized(&net, ALICE);
	let frozen = Instant::now();
	consortium_decides_with_one_frozen(&client, &eve).await;
	tokio::time::sleep(Duration::from_secs(60).saturating_sub(frozen.elapsed())).await;
	assert!(finalized(&net, ALICE) >= from + 3, "finality stopped while Bob was frozen");
	net.pause(BOB, false);
	let target = finalized(&net, ALICE);
	let took = net
		.wait_finalized(BOB, target, Duration::from_secs(120))
		.expect("Bob recovers after a minute frozen");
	eprintln!("bob frozen for 60 s: caught up {} blocks in {took:?}", target - from);
	same_chain(&net, ALICE, BOB, target);

	// By now Eve's node validates.
	wait_set_size(&net, ALICE, 5);
	eprintln!("eve joined the validators {:?} after setting its keys", keys_set.elapsed());

	// Two killed: three of five cannot finalize. Blocks still come, but none that Charlie and
	// Dave never saw is finalized, and nothing conflicting either.
	let seen = net.node(CHARLIE).block_number(None).max(net.node(DAVE).block_number(None));
	net.kill(CHARLIE);
	net.kill(DAVE);
	let best = net.node(ALICE).block_number(None);
	tokio::time::sleep(Duration::from_secs(24)).await;
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

	// Eve's hospital leaves: the other hospitals' nodes drop its node at once (until the
	// validator set changes, the four finalize as four of five), and it leaves the validators
	// from the session after next; the four go on, and it gets no more blocks.
	consortium_removes_a_hospital(&client, &joining, net.node(EVE)).await;
	let removed = Instant::now();
	wait_set_size(&net, ALICE, 4);
	eprintln!("eve left the validators {:?} after its removal", removed.elapsed());
	// (It may still author blocks of its own, which nobody takes: none is finalized.)
	let eve_finalized = finalized(&net, EVE);
	let from = finalized(&net, ALICE);
	net.wait_finalized(ALICE, from + 3, Duration::from_secs(60)).expect("the four finalize");
	assert_eq!(finalized(&net, EVE), eve_finalized, "a removed hospital's node still follows");
	assert!(eve_finalized < from + 3);

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
