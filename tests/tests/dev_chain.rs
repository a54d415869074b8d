//! The development chain the README's run command starts: it produces and finalizes blocks,
//! serves the EHR pallet's state, and keeps health data out of its logs.

use ehr_tests::Node;
use serde_json::json;
use std::time::Duration;

/// GRANDPA votes for the best block itself, so a new block is final within a second or so, not
/// two blocks (12 s) later: every write a doctor makes waits for it.
#[test]
fn dev_chain_produces_and_finalizes_blocks() {
	let node = Node::dev();
	assert!(
		node.wait_until(Duration::from_secs(90), |n| n.finalized_number() >= 2),
		"no block finalized within 90 s"
	);
	assert!(node.block_number(None) >= node.finalized_number());
	// The finalized head is read first: the best block can only have moved on since.
	assert!(
		node.wait_until(Duration::from_secs(30), |n| {
			let finalized = n.finalized_number();
			finalized == n.block_number(None)
		}),
		"the best block never became final: votes lag behind it"
	);
}

/// Whether hex-encoded `metadata` holds `name` (SCALE strings are their UTF-8 bytes).
fn mentions(metadata: &str, name: &str) -> bool {
	let hex: String = name.bytes().map(|b| format!("{b:02x}")).collect();
	metadata.contains(&hex)
}

#[test]
fn dev_chain_runs_the_ehr_runtime_with_its_view_functions() {
	let node = Node::dev();
	let version = node.rpc("state_getRuntimeVersion", json!([])).expect("runtime version");
	assert_eq!(version["specName"], "ehr-runtime");
	let metadata = node.rpc("state_getMetadata", json!([])).expect("metadata");
	let metadata = metadata.as_str().expect("hex metadata");
	for name in ["Ehr", "add_record", "log_access", "CheckMembership", "RecordAdded"] {
		assert!(mentions(metadata, name), "metadata lacks {name}");
	}
	// View functions are described from metadata version 16 on.
	let v16 = node
		.rpc("state_call", json!(["Metadata_metadata_at_version", "0x10000000"]))
		.expect("metadata v16");
	let v16 = v16.as_str().expect("hex metadata");
	for name in ["counts", "patient_chain", "patients_of", "doctors_of"] {
		assert!(mentions(v16, name), "metadata v16 lacks view function {name}");
	}
}

#[test]
fn dev_chain_refuses_garbage_and_carries_on() {
	let node = Node::dev();
	assert!(node.rpc("author_submitExtrinsic", json!(["0x0400"])).is_err());
	// A feeless chain exposes no payment API.
	assert!(node.rpc("payment_queryInfo", json!(["0x00"])).is_err());
	let before = node.block_number(None);
	assert!(
		node.wait_until(Duration::from_secs(30), |n| n.block_number(None) > before),
		"the chain stopped after a malformed extrinsic"
	);
}

#[test]
fn node_logs_hold_no_secret_phrases() {
	let mut node = Node::dev();
	node.wait_until(Duration::from_secs(60), |n| n.block_number(None) >= 2);
	let log = node.drain_log().join("\n");
	for secret in [
		"bottom drive obey lake",
		"0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a",
	] {
		assert!(!log.contains(secret), "the node logged a development secret");
	}
}

/// The transaction pool the node logged it created.
fn pool_type(args: &[&str]) -> String {
	let mut node = Node::spawn(args);
	let created = node.wait_for_log(Duration::from_secs(30), |line| {
		let (_, rest) = line.split_once("Creating transaction pool")?;
		let (_, kind) = rest.split_once("txpool_type=")?;
		kind.split_whitespace().next().map(str::to_owned)
	});
	created.unwrap_or_else(|| panic!("the node told no pool:\n{}", node.drain_log().join("\n")))
}

/// The single-state pool, unless the operator chooses another: under a burst the fork-aware one
/// dropped transactions and stranded their senders' later ones (docs/BENCHMARKS.md).
#[test]
fn the_node_runs_the_single_state_pool_unless_told_otherwise() {
	assert_eq!(pool_type(&["--dev", "--tmp"]), "SingleState");
	assert_eq!(pool_type(&["--dev", "--tmp", "--pool-type", "fork-aware"]), "ForkAware");
	assert_eq!(pool_type(&["--dev", "--tmp", "--pool-type=fork-aware"]), "ForkAware");
}
