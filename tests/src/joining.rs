//! A hospital joining a running consortium by the command `chain-spec/README.md` gives it,
//! `scripts/join-consortium.sh`, and hospitals acting with `ehr` on keys of their keystores.

use std::{
	io::{BufRead, BufReader},
	os::unix::process::CommandExt,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::mpsc,
	time::{Duration, Instant},
};

use ehr_client::keys::{Identity, Keystore};

use crate::{client_binary, network::free_port, node_binary, repo_root, Node};

/// The passphrase of every keystore key the tests make.
pub const PASSPHRASE: &str = "a passphrase of the hospital's";

/// `ehr` acting as key `key` of the keystore at `keystore` (sealed with [`PASSPHRASE`]), on the
/// node at `node_url` of the consortium's chain whose genesis hash is `genesis`.
pub fn ehr_as(keystore: &Path, key: &str, node_url: &str, genesis: &str) -> Command {
	let mut command = Command::new(client_binary());
	command
		.args(["--node", node_url, "--as", key])
		.env("EHR_KEYSTORE", keystore)
		.env("EHR_PASSPHRASE", PASSPHRASE)
		.env("EHR_GENESIS_HASH", genesis);
	command
}

/// Runs `command` and returns its standard output; panics with its error output if it fails.
pub fn output(command: &mut Command) -> String {
	let output = command.output().expect("the command runs");
	assert!(
		output.status.success(),
		"{command:?} failed: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The joining hospital's script, running in a process group of its own so that the node it
/// starts stops with it (when this is dropped).
pub struct Joining {
	script: Child,
	lines: mpsc::Receiver<String>,
	said: Vec<String>,
	/// The port of its node's JSON-RPC server (on loopback).
	pub rpc_port: u16,
	/// The port its node takes peers on.
	pub p2p_port: u16,
	/// The hospital's keystore, where the script made its key.
	pub keystore: PathBuf,
	/// The name of the hospital's key in it.
	pub key: String,
	/// The consortium's genesis hash, which the script checks the chain spec against.
	pub genesis: String,
}

impl Joining {
	/// Runs the script, with already built binaries (`--prebuilt`), for the hospital `name`
	/// whose key is to be `key`, on the chain spec at `spec` whose genesis hash is `genesis`,
	/// knowing the consortium's nodes at `bootnodes`. Its node's database, network key and log,
	/// and the hospital's keystore, live under `dir`.
	pub fn start(
		spec: &Path,
		genesis: &str,
		name: &str,
		key: &str,
		bootnodes: &[String],
		dir: &Path,
	) -> Joining {
		let target = node_binary().parent().and_then(|p| p.parent()).expect("target").to_owned();
		let (rpc_port, p2p_port) = (free_port(), free_port());
		let keystore = dir.join("keys");
		let mut script = Command::new(repo_root().join("scripts/join-consortium.sh"));
		script
			.args(["--prebuilt", "--chain", &spec.display().to_string(), "--name", name])
			.args(["--key", key, "--base-path", &dir.join("node").display().to_string()])
			.args(["--rpc-port", &rpc_port.to_string(), "--bootnodes"])
			.args(bootnodes)
			.args(["--", "--port", &p2p_port.to_string()])
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
			.env("CARGO_TARGET_DIR", &target)
			.env("EHR_KEYSTORE", &keystore)
			.env("EHR_PASSPHRASE", PASSPHRASE)
			.env("EHR_GENESIS_HASH", genesis)
			.stdout(Stdio::piped())
			.stderr(Stdio::piped())
			.process_group(0);
		let mut child = script.spawn().expect("the script starts");
		let (tx, lines) = mpsc::channel();
		// What it prints and what it complains about, in one stream, so that a failure shows
		// both.
		let stdout = child.stdout.take().expect("piped");
		let stderr = child.stderr.take().expect("piped");
		forward(BufReader::new(stdout), tx.clone());
		forward(BufReader::new(stderr), tx);
		Joining {
			script: child,
			lines,
			said: Vec::new(),
			rpc_port,
			p2p_port,
			keystore,
			key: key.to_owned(),
			genesis: genesis.to_owned(),
		}
	}

	/// The first line the script prints that `find` accepts, within `timeout`; panics with what
	/// it said if none.
	pub fn wait_for(&mut self, timeout: Duration, find: impl Fn(&str) -> bool) -> String {
		let deadline = Instant::now() + timeout;
		while let Some(left) = deadline.checked_duration_since(Instant::now()) {
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

	/// The motion the script asks the consortium to pass to admit the hospital, as the
	/// arguments of the `ehr` command it prints.
	pub fn motion(&mut self) -> Vec<String> {
		// "admit with: ehr consortium propose admit-hospital <account> --name "…" --node-id …"
		let line = self.wait_for(Duration::from_secs(120), |l| l.contains("admit-hospital"));
		let (_, command) = line.split_once("ehr ").expect("an ehr command");
		shell_words(command)
	}

	/// Its node, reached at its RPC port.
	pub fn node(&self) -> Node {
		Node::attach(self.rpc_port)
	}

	/// The hospital's key, unlocked from its keystore (once the script made it).
	pub fn identity(&self) -> Identity {
		Keystore::open(&self.keystore).unlock(&self.key, PASSPHRASE).expect("the hospital's key")
	}

	/// `ehr` acting as the hospital, on the node at `node_url`.
	pub fn ehr(&self, node_url: &str) -> Command {
		ehr_as(&self.keystore, &self.key, node_url, &self.genesis)
	}
}

/// Sends every line `reader` reads to `tx`, from a thread of its own.
fn forward(reader: impl BufRead + Send + 'static, tx: mpsc::Sender<String>) {
	std::thread::spawn(move || {
		for line in reader.lines().map_while(Result::ok) {
			if tx.send(line).is_err() {
				break;
			}
		}
	});
}

/// The words of a command line as a shell splits them, for words that are plain or in double
/// quotes.
fn shell_words(line: &str) -> Vec<String> {
	let (mut words, mut word, mut quoted, mut started) = (Vec::new(), String::new(), false, false);
	for c in line.chars() {
		match c {
			'"' => (quoted, started) = (!quoted, true),
			c if c.is_whitespace() && !quoted => {
				if started {
					words.push(std::mem::take(&mut word));
					started = false;
				}
			},
			c => {
				word.push(c);
				started = true;
			},
		}
	}
	if started {
		words.push(word);
	}
	words
}

impl Drop for Joining {
	fn drop(&mut self) {
		let group = format!("-{}", self.script.id());
		let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
		let _ = self.script.wait();
	}
}

#[cfg(test)]
mod tests {
	use super::shell_words;

	#[test]
	fn a_printed_command_splits_as_a_shell_splits_it() {
		let line =
			r#"  ehr consortium propose admit-hospital 5Grw --name "Eve's  clinic" --node-id 12D3"#;
		let words = shell_words(line);
		assert_eq!(
			words,
			["ehr", "consortium", "propose", "admit-hospital", "5Grw", "--name", "Eve's  clinic"]
				.into_iter()
				.chain(["--node-id", "12D3"])
				.collect::<Vec<_>>()
		);
		assert_eq!(shell_words(r#"a "" b"#), ["a", "", "b"]);
	}
}
