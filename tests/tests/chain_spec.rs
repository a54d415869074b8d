//! The committed chain specs in chain-spec/ must be what the node builds from the runtime's
//! presets. Regenerate them with `scripts/chain-specs.sh` when the runtime changes.

use ehr_tests::{repo_root, run_node};
use serde_json::Value;

/// The spec without the runtime's code, which depends on the exact build, and with its code
/// checked to be a wasm blob.
fn comparable(mut spec: Value, source: &str) -> Value {
	let code = spec["genesis"]["runtimeGenesis"]
		.as_object_mut()
		.and_then(|genesis| genesis.remove("code"))
		.unwrap_or_else(|| panic!("{source} has no runtime code"));
	let code = code.as_str().unwrap_or_default();
	assert!(code.starts_with("0x") && code.len() > 100_000, "{source}: runtime code missing");
	spec
}

fn check(chain: &str, file: &str) {
	let built: Value = serde_json::from_str(&run_node(&[
		"build-spec",
		"--chain",
		chain,
		"--disable-default-bootnode",
	]))
	.expect("the node prints JSON");
	let path = repo_root().join("chain-spec").join(file);
	let committed: Value = serde_json::from_str(
		&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
	)
	.expect("committed spec is JSON");
	assert_eq!(
		comparable(committed, file),
		comparable(built, chain),
		"chain-spec/{file} drifted from the runtime's `{chain}` preset: run scripts/chain-specs.sh"
	);
}

#[test]
fn development_spec_is_current() {
	check("dev", "dev.json");
}

#[test]
fn local_spec_is_current() {
	check("local", "local.json");
}

#[test]
fn development_spec_names_alice_as_hospital_admin_and_validator() {
	let spec: Value =
		serde_json::from_str(&run_node(&["build-spec", "--chain", "dev"])).expect("JSON");
	let patch = &spec["genesis"]["runtimeGenesis"]["patch"];
	let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
	assert_eq!(patch["ehr"]["admins"][0], alice);
	assert_eq!(patch["sudo"]["key"], alice);
	assert_eq!(patch["consortium"]["hospitals"][0][0], alice);
	// The first session's validators: Alice's hospital, with her node's Aura key.
	let keys = patch["session"]["keys"].as_array().expect("session keys");
	assert_eq!(keys.len(), 1);
	assert_eq!(keys[0][0], alice);
	assert_eq!(keys[0][2]["aura"], alice);
}
