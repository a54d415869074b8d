//! Four hospitals on one machine: the four validators (Alice, Bob, Charlie and Dave) of the
//! `local` chain, or of a chain spec made from it, as four node processes on loopback, each
//! with its own database and fixed network identity (the network keys 0x00…01 to 0x00…04, the
//! nodes the `local` spec names), so a test can kill, pause, restart and damage them one at a
//! time; and the node of a hospital that joins later, which its own script started.

use std::{
	net::TcpListener,
	path::{Path, PathBuf},
	process::Command,
	time::{Duration, Instant},
};

use crate::Node;

/// The `local` chain spec's validators, in its authority order.
pub const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// One hospital's validator: where its database lives and how peers reach it.
pub struct Validator {
	pub name: &'static str,
	/// How this network starts its node; none for a node another process started.
	launch: Option<Launch>,
	p2p_port: u16,
	peer_id: Option<String>,
	/// The running process, if any.
	pub node: Option<Node>,
}

impl Validator {
	/// Its peer-to-peer address, once it has run and told its identity.
	fn address(&self) -> Option<String> {
		self.peer_id.as_ref().map(|id| format!("/ip4/127.0.0.1/tcp/{}/p2p/{id}", self.p2p_port))
	}

	/// How this network starts its node.
	fn launch(&self) -> &Launch {
		self.launch.as_ref().unwrap_or_else(|| panic!("{} runs in a process of its own", self.name))
	}

	/// The directory of its database.
	pub fn database(&self) -> PathBuf {
		self.launch().base_path.join("chains").join("ehr_local").join("paritydb")
	}
}

/// How the network starts a validator's node.
struct Launch {
	/// Whether its keys are the development keys of its name (`--alice`, …) that the chain
	/// spec names.
	development_keys: bool,
	/// Where its database and keystore are.
	base_path: PathBuf,
	/// Its network key (hex), fixed so that its identity stays the same across restarts.
	node_key: String,
}

/// The four validators; every process is killed when this is dropped.
pub struct Network {
	// Declared first, so the nodes are killed before their directory is removed.
	pub validators: Vec<Validator>,
	/// The chain spec every node runs (`local`, or a file).
	chain: String,
	_dir: tempfile::TempDir,
}

impl Network {
	/// Starts all four validators of chain spec `chain` (`local`, or the path of a spec made
	/// from it), each knowing the ones started before it.
	pub fn start(chain: &str) -> Network {
		let mut network = Network::prepare(chain);
		for i in 0..VALIDATORS.len() {
			network.start_validator(i);
		}
		network
	}

	/// The four validators of chain spec `chain`, none started yet (a spec with fewer
	/// hospitals uses the first ones).
	pub fn prepare(chain: &str) -> Network {
		let dir = tempfile::tempdir().expect("temp dir");
		let validators = VALIDATORS
			.iter()
			.enumerate()
			.map(|(i, name)| Validator {
				name,
				launch: Some(Launch {
					development_keys: true,
					base_path: dir.path().join(name),
					node_key: format!("{:064x}", i + 1),
				}),
				p2p_port: free_port(),
				peer_id: None,
				node: None,
			})
			.collect();
		Network { validators, chain: chain.to_owned(), _dir: dir }
	}

	/// Validator `i` starts from now on without the development keys of its name, as a node
	/// whose machine was reinstalled without its keystore: it follows the chain, but neither
	/// produces blocks nor votes on finality until its hospital registers new keys.
	pub fn without_keys(&mut self, i: usize) {
		let validator = &mut self.validators[i];
		let name = validator.name;
		validator.launch.as_mut().unwrap_or_else(|| panic!("{name} runs apart")).development_keys =
			false;
	}

	/// Takes in the validator node of a hospital that is not in the chain spec (`name`, such as
	/// "eve"), which another process started (`scripts/join-consortium.sh`) with peers on
	/// `p2p_port` as `peer_id`; the others restarted know it as a bootnode. Returns its index.
	pub fn attach(
		&mut self,
		name: &'static str,
		node: Node,
		p2p_port: u16,
		peer_id: &str,
	) -> usize {
		self.validators.push(Validator {
			name,
			launch: None,
			p2p_port,
			peer_id: Some(peer_id.to_owned()),
			node: Some(node),
		});
		self.validators.len() - 1
	}

	/// The peer-to-peer address of validator `i`, once it ran.
	pub fn address(&self, i: usize) -> String {
		let validator = &self.validators[i];
		validator.address().unwrap_or_else(|| panic!("{} never ran", validator.name))
	}

	/// Starts validator `i` on its database, with every other validator that ever ran as a
	/// bootnode.
	pub fn start_validator(&mut self, i: usize) {
		if let Err(log) = self.try_start_validator(i) {
			panic!("{} did not start:\n{log}", self.validators[i].name);
		}
	}

	/// [`Network::start_validator`], or everything the node logged when it did not start (a
	/// damaged database may stop it).
	pub fn try_start_validator(&mut self, i: usize) -> Result<(), String> {
		let bootnodes: Vec<String> = self
			.validators
			.iter()
			.enumerate()
			.filter(|(j, _)| *j != i)
			.filter_map(|(_, v)| v.address())
			.collect();
		let validator = &mut self.validators[i];
		assert!(validator.node.is_none(), "{} is already running", validator.name);
		let launch = validator.launch();
		let flag = format!("--{}", validator.name);
		let base_path = launch.base_path.display().to_string();
		let mut args = vec![
			"--chain",
			&self.chain,
			"--validator",
			"--base-path",
			&base_path,
			"--node-key",
			&launch.node_key,
		];
		if launch.development_keys {
			args.push(&flag);
		}
		if !bootnodes.is_empty() {
			args.push("--bootnodes");
			args.extend(bootnodes.iter().map(String::as_str));
		}
		let mut node = Node::try_spawn_on(&args, validator.p2p_port)?;
		if validator.peer_id.is_none() {
			validator.peer_id = node.wait_for_log(Duration::from_secs(30), |line| {
				line.split("Local node identity is: ")
					.nth(1)
					.map(|id| id.split_whitespace().next().unwrap_or_default().to_owned())
			});
			assert!(validator.peer_id.is_some(), "{} told no identity", validator.name);
		}
		validator.node = Some(node);
		Ok(())
	}

	/// Kills validator `i` (as a crash would: no shutdown).
	pub fn kill(&mut self, i: usize) {
		let node = self.validators[i].node.take();
		assert!(node.is_some(), "{} is not running", self.validators[i].name);
		drop(node);
	}

	/// Freezes validator `i`'s process (`SIGSTOP`) or lets it go on (`SIGCONT`).
	pub fn pause(&self, i: usize, paused: bool) {
		let pid = self.node(i).pid().to_string();
		let signal = if paused { "-STOP" } else { "-CONT" };
		let status = Command::new("kill").args([signal, &pid]).status().expect("kill runs");
		assert!(status.success(), "kill {signal} {pid}");
	}

	/// The network key of validator `i`'s node (hex, as `--node-key` takes it).
	pub fn network_key(&self, i: usize) -> &str {
		&self.validators[i].launch().node_key
	}

	/// The peer id of validator `i`'s node, once it ran.
	pub fn peer_id(&self, i: usize) -> &str {
		let validator = &self.validators[i];
		validator.peer_id.as_deref().unwrap_or_else(|| panic!("{} never ran", validator.name))
	}

	/// The running node of validator `i`.
	pub fn node(&self, i: usize) -> &Node {
		self.validators[i]
			.node
			.as_ref()
			.unwrap_or_else(|| panic!("{} is not running", self.validators[i].name))
	}

	/// The database directory of validator `i`.
	pub fn database(&self, i: usize) -> PathBuf {
		self.validators[i].database()
	}

	/// Waits until validator `i` has finalized block `number`; returns how long it took.
	pub fn wait_finalized(&self, i: usize, number: u64, timeout: Duration) -> Option<Duration> {
		let start = Instant::now();
		self.node(i)
			.wait_until(timeout, |n| n.finalized_number() >= number)
			.then(|| start.elapsed())
	}
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|listener| listener.local_addr())
		.map(|addr| addr.port())
		.expect("a free port")
}

/// Damages the database under `dir` as a failing disk would: bytes flipped all over its files,
/// and its small metadata file (the first thing read) unreadable. Returns how many files.
pub fn damage(dir: &Path) -> usize {
	let mut damaged = 0;
	for entry in std::fs::read_dir(dir).expect("database directory").flatten() {
		let path = entry.path();
		if path.is_dir() {
			damaged += damage(&path);
			continue;
		}
		let mut bytes = std::fs::read(&path).expect("database file");
		if path.file_name().is_some_and(|name| name == "metadata") {
			bytes = vec![0xff, 0xfe, 0x00, 0x17];
		} else if bytes.len() >= 64 {
			for at in (17..bytes.len()).step_by(bytes.len() / 16 + 1) {
				bytes[at] ^= 0x5a;
			}
		} else {
			continue;
		}
		std::fs::write(&path, bytes).expect("write database file");
		damaged += 1;
	}
	damaged
}
