//! Runs the README's walkthrough, command for command, against a real development node: the
//! README is what a newcomer follows, so it must work as written.

use std::process::Command;

use ehr_tests::{client_binary, repo_root, Node};

/// The walkthrough's shell commands, with each line marked `# refused N` turned into a check that
/// the command fails with exit status N.
fn walkthrough_script() -> String {
	let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
	let start = readme.find("<!-- walkthrough:start -->").expect("walkthrough start marker");
	let end = readme.find("<!-- walkthrough:end -->").expect("walkthrough end marker");
	let block = &readme[start..end];
	let body = block
		.split_once("```sh\n")
		.and_then(|(_, rest)| rest.rsplit_once("```"))
		.map(|(body, _)| body)
		.expect("a sh code block between the markers");
	let mut script = String::from("set -euo pipefail\n");
	for line in body.lines() {
		match line.split_once("# refused") {
			Some((command, status)) => {
				let status: u8 = status.trim().parse().expect("`# refused N`: the exit status");
				let shown = command.trim().replace('\'', "");
				script.push_str(&format!(
					"status=0; {command} || status=$?\n\
					 if [ $status -ne {status} ]; then echo 'expected status {status}, not '$status': {shown}' >&2; exit 1; fi\n"
				));
			},
			None => {
				script.push_str(line);
				script.push('\n');
			},
		}
	}
	script
}

#[test]
fn the_readme_walkthrough_runs_as_written() {
	let node = Node::dev();
	let home = tempfile::tempdir().expect("temp home");
	let work = home.path().join("work");
	std::fs::create_dir_all(&work).expect("work dir");
	let bin = client_binary();
	let target = bin.parent().and_then(|release| release.parent()).expect("target dir");
	let output = Command::new("bash")
		.arg("-c")
		.arg(walkthrough_script())
		.current_dir(&work)
		.env_clear()
		.env("PATH", std::env::var("PATH").unwrap_or_default())
		.env("HOME", home.path())
		.env("CARGO_TARGET_DIR", target)
		.env("EHR_NODE", node.ws_url())
		.output()
		.expect("bash runs");
	let stdout = String::from_utf8_lossy(&output.stdout);
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(
		output.status.success(),
		"the walkthrough failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
	);

	// What a newcomer should see along the way.
	for expected in [
		"patient 5",
		"was already registered",
		"entry 1 Prescription finalized in block",
		"entry 2 Imaging finalized in block",
		"entry 3 ClinicalNote finalized in block",
		"entry 4 ClinicalNote finalized in block",
		"Repaired",
		"the chain verifies",
		"EmergencyAccessReviewed",
		"Justified",
	] {
		assert!(stdout.contains(expected), "the output lacks `{expected}`\n{stdout}");
	}
	for expected in [
		"has no grant from",
		"does not let break-glass access add Prescription documents",
		"not a member of the consortium",
		"nothing was revoked",
		"KindMayNotBreakGlass",
		"ehr rotate-key",
	] {
		assert!(stderr.contains(expected), "the errors lack `{expected}`\n{stderr}");
	}
	let csv = std::fs::read_to_string(work.join("audit.csv")).expect("audit.csv");
	assert!(csv.starts_with("block,event_index,event,fields\n"));
	assert_eq!(csv.matches("RecordAdded").count(), 4, "{csv}");
	// No secret reached the terminal: the phrases of the development keys and the passphrases.
	for secret in ["bottom drive obey lake", "the staff keystore passphrase", "own passphrase"] {
		assert!(!stdout.contains(secret) && !stderr.contains(secret), "`{secret}` was printed");
	}
}
