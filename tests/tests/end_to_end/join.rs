//! A hospital joins and leaves by the README's commands (`chain-spec/README.md`):
//! `scripts/join-consortium.sh` on its machine, and the motions it prints run with the `ehr`
//! command by a hospital of the consortium. On the development chain, whose one hospital
//! decides alone; `network.rs` has four hospitals decide, with the same calls.

use std::{
	io::{BufRead, BufReader},
	os::unix::process::CommandExt,
	process::{Child, Command, Stdio},
	sync::mpsc,
	time::Duration,
};

use ehr_client::{chain::AccountId, ops::Client, runtime};
use ehr_tests::{client_binary, network::free_port, node_binary, repo_root, run_node, Node};

use crate::helpers::dev_settings;

/// The joining hospital's script, in a process group of its own so that the node it starts
/// stops with it.
struct Joining {
	script: Child,
	lines: mpsc::Receiver<String>,
	said: Vec<String>,
}

impl Joining {
	/// The first line the script prints that `find` accepts, within `timeout`.
	fn wait_for(&mut self, timeout: Duration, find: impl Fn(&str) -> bool) -> String {
		let deadline = std::time::Instant::now() + timeout;
		while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
			match self.lines.recv_timeout(left) {
				Ok(line) => {
					self.said.push(line.clone());
					if find(&line) {
						return line;
					}
				},
				Err(_) => break,
			}
		}
		panic!("the script did not get there; it said:\n{}", self.said.join("\n"));
	}
}

impl Drop for Joining {
	fn drop(&mut self) {
		let group = format!("-{}", self.script.id());
		let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
		let _ = self.script.wait();
	}
}

/// `ehr` as the development chain's hospital, Alice, on `node`.
fn ehr_as_alice(node: &Node, args: &[&str]) -> String {
	let output = Command::new(client_binary())
		.args(["--dev", "--node", &node.ws_url(), "--as", "//Alice"])
		.args(args)
		.output()
		.expect("ehr runs");
	assert!(output.status.success(), "ehr {args:?}: {}", String::from_utf8_lossy(&output.stderr));
	String::from_utf8_lossy(&output.stdout).into_owned()
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
	let target = node_binary().parent().and_then(|p| p.parent()).expect("target dir").to_owned();
	let rpc_port = free_port().to_string();
	let mut script = Command::new(repo_root().join("scripts/join-consortium.sh"));
	script
		.args(["--prebuilt", "--chain", &spec.display().to_string(), "--name", "Eve's clinic"])
		.args(["--key", "eve", "--base-path", &tmp.path().join("eve").display().to_string()])
		.args(["--rpc-port", &rpc_port, "--bootnodes", &bootnode])
		.env("CARGO_TARGET_DIR", &target)
		.env("EHR_KEYSTORE", tmp.path().join("eve-keys"))
		.env("EHR_PASSPHRASE", "a passphrase of Eve's clinic")
		.env("EHR_GENESIS_HASH", &genesis)
		.stdout(Stdio::piped())
		.stderr(Stdio::null())
		.process_group(0);
	let mut child = script.spawn().expect("the script starts");
	let stdout = child.stdout.take().expect("piped");
	let (tx, lines) = mpsc::channel();
	std::thread::spawn(move || {
		for line in BufReader::new(stdout).lines().map_while(Result::ok) {
			if tx.send(line).is_err() {
				break;
			}
		}
	});
	let mut joining = Joining { script: child, lines, said: Vec::new() };

	// It prints the motion to pass; the consortium's hospital passes it.
	let motion =
		joining.wait_for(Duration::from_secs(120), |l| l.contains("propose admit-hospital"));
	// "admit with: ehr consortium propose admit-hospital <account> --name … --node-proof …"
	let motion = motion.split_once("ehr ").expect("an ehr command").1.to_owned();
	let proposed = Command::new("sh")
		.arg("-c")
		.arg(format!(
			"'{}' --dev --node '{}' --as //Alice {motion}",
			client_binary().display(),
			consortium.ws_url()
		))
		.output()
		.expect("ehr runs");
	assert!(proposed.status.success(), "{motion}: {}", String::from_utf8_lossy(&proposed.stderr));
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
	let voted = Command::new(client_binary())
		.args(["--node", &consortium.ws_url(), "--as", "eve", "consortium", "vote", hash])
		.env("EHR_KEYSTORE", tmp.path().join("eve-keys"))
		.env("EHR_PASSPHRASE", "a passphrase of Eve's clinic")
		.env("EHR_GENESIS_HASH", &genesis)
		.output()
		.expect("ehr runs");
	assert!(voted.status.success(), "{}", String::from_utf8_lossy(&voted.stderr));
	let view = client.consortium().await.expect("consortium");
	assert!(view.hospitals.iter().all(|h| h.name != "Eve's clinic"), "{view:?}");
}
