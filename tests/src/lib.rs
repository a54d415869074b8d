//! Helpers for the integration tests: spawn the real `ehr-node` binary on a temporary chain
//! and a free port, talk JSON-RPC to it, and stop it when the test ends.

use std::{
	io::{BufRead, BufReader, Read, Write},
	net::TcpStream,
	path::PathBuf,
	process::{Child, Command, Stdio},
	sync::mpsc,
	time::{Duration, Instant},
};

use serde_json::{json, Value};

pub mod browser;
pub mod http;
pub mod joining;
pub mod network;

/// The repository's root.
pub fn repo_root() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The node binary: `$EHR_NODE_BIN` if set, else `ehr-node` next to the test's own build
/// directory (both live in the same cargo target directory and profile).
pub fn node_binary() -> PathBuf {
	if let Some(path) = std::env::var_os("EHR_NODE_BIN") {
		return PathBuf::from(path);
	}
	let exe = std::env::current_exe().expect("test executable path");
	// <target>/<profile>/deps/<test> -> <target>/<profile>/ehr-node
	let profile_dir = exe.parent().and_then(|deps| deps.parent()).expect("target layout");
	let node = profile_dir.join("ehr-node");
	assert!(
		node.exists(),
		"{} does not exist: build it first with `cargo build --release -p ehr-node` \
		 (scripts/test.sh does)",
		node.display()
	);
	node
}

/// The `ehr` command line, built next to the node.
pub fn client_binary() -> PathBuf {
	let node = node_binary();
	let ehr = node.with_file_name("ehr");
	assert!(
		ehr.exists(),
		"{} does not exist: build it first with `cargo build --release -p ehr-client`",
		ehr.display()
	);
	ehr
}

/// Runs the node with `args` and returns its standard output; panics with its standard error
/// if it fails.
pub fn run_node(args: &[&str]) -> String {
	let output = Command::new(node_binary()).args(args).output().expect("node starts");
	assert!(
		output.status.success(),
		"ehr-node {args:?} failed: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// A running node, killed when dropped if this process started it.
pub struct Node {
	/// The node's process, when this process started it.
	child: Option<Child>,
	/// The port of its JSON-RPC server (HTTP and WebSocket).
	pub rpc_port: u16,
	/// Everything it logged so far is sent here by a reader thread.
	log: mpsc::Receiver<String>,
	/// The log lines read so far.
	pub lines: Vec<String>,
}

impl Node {
	/// Starts `ehr-node --dev --tmp` on free ports and waits for its RPC server.
	pub fn dev() -> Node {
		Node::spawn(&["--dev", "--tmp"])
	}

	/// Starts a development chain of an earlier release, from its committed spec
	/// (`tests/fixtures/<spec>`), with Alice validating alone under network key `node_key`.
	pub fn release(spec: &str, node_key: u64) -> Node {
		let spec = repo_root().join("tests/fixtures").join(spec).display().to_string();
		let node_key = format!("{node_key:064x}");
		let args = ["--chain", &spec, "--alice", "--validator", "--force-authoring", "--tmp"];
		Node::spawn(&[&args[..], &["--node-key", &node_key]].concat())
	}

	/// Starts the node with `args` plus free RPC/P2P ports and no telemetry or prometheus.
	pub fn spawn(args: &[&str]) -> Node {
		Node::spawn_on(args, 0)
	}

	/// Starts the node with `args`, peer-to-peer on `p2p_port` (0: any free port), RPC on a free
	/// port, and no telemetry or prometheus.
	pub fn spawn_on(args: &[&str], p2p_port: u16) -> Node {
		Node::try_spawn_on(args, p2p_port)
			.unwrap_or_else(|log| panic!("no RPC server in the log:\n{log}"))
	}

	/// [`Node::spawn_on`], or, when the node does not start its RPC server (it stopped, or took
	/// two minutes), everything it logged.
	pub fn try_spawn_on(args: &[&str], p2p_port: u16) -> Result<Node, String> {
		let p2p_port = p2p_port.to_string();
		let mut child = Command::new(node_binary())
			.args(args)
			.args(["--rpc-port", "0", "--port", &p2p_port, "--no-prometheus", "--no-telemetry"])
			.arg("--no-mdns")
			.stdout(Stdio::null())
			.stderr(Stdio::piped())
			.spawn()
			.expect("ehr-node starts");
		let stderr = child.stderr.take().expect("piped stderr");
		let (tx, log) = mpsc::channel();
		std::thread::spawn(move || {
			for line in BufReader::new(stderr).lines().map_while(Result::ok) {
				if tx.send(line).is_err() {
					break;
				}
			}
		});
		let mut node = Node { child: Some(child), rpc_port: 0, log, lines: Vec::new() };
		let port = node
			.wait_for_log(Duration::from_secs(120), |line| {
				line.split("Running JSON-RPC server: addr=")
					.nth(1)
					.and_then(|rest| rest.split([',', ' ']).next())
					.and_then(|addr| addr.rsplit(':').next())
					.and_then(|port| port.parse::<u16>().ok())
			})
			.ok_or_else(|| node.lines.join("\n"))?;
		node.rpc_port = port;
		Ok(node)
	}

	/// A node another process started (such as `scripts/join-consortium.sh`), reached at its
	/// RPC port; its log is not read, and it is not stopped when this is dropped.
	pub fn attach(rpc_port: u16) -> Node {
		let (_, log) = mpsc::channel();
		Node { child: None, rpc_port, log, lines: Vec::new() }
	}

	/// Reads log lines until `find` returns something or `timeout` passes.
	pub fn wait_for_log<T>(
		&mut self,
		timeout: Duration,
		mut find: impl FnMut(&str) -> Option<T>,
	) -> Option<T> {
		for line in &self.lines {
			if let Some(found) = find(line) {
				return Some(found);
			}
		}
		let deadline = Instant::now() + timeout;
		while let Some(left) = deadline.checked_duration_since(Instant::now()) {
			match self.log.recv_timeout(left) {
				Ok(line) => {
					let found = find(&line);
					self.lines.push(line);
					if found.is_some() {
						return found;
					}
				},
				Err(_) => return None,
			}
		}
		None
	}

	/// The node's process id, if this process started it.
	pub fn pid(&self) -> u32 {
		self.child.as_ref().expect("a node this process started").id()
	}

	/// The hash of block `number` on this node's chain, if it has one.
	pub fn block_hash(&self, number: u64) -> Option<String> {
		let hash = self.rpc("chain_getBlockHash", json!([number])).ok()?;
		hash.as_str().map(str::to_owned)
	}

	/// Drains the log lines the node wrote so far.
	pub fn drain_log(&mut self) -> &[String] {
		while let Ok(line) = self.log.try_recv() {
			self.lines.push(line);
		}
		&self.lines
	}

	/// Calls JSON-RPC `method` with `params` over HTTP and returns its `result`.
	pub fn rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		let body =
			json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
		let mut stream = TcpStream::connect(("127.0.0.1", self.rpc_port))
			.map_err(|e| format!("connect: {e}"))?;
		stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
		write!(
			stream,
			"POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{}",
			self.rpc_port,
			body.len(),
			body
		)
		.map_err(|e| format!("send: {e}"))?;
		let mut response = String::new();
		stream.read_to_string(&mut response).map_err(|e| format!("read: {e}"))?;
		let json = response.split("\r\n\r\n").nth(1).ok_or("no HTTP body")?;
		let value: Value = serde_json::from_str(json).map_err(|e| format!("{e}: {json}"))?;
		match value.get("error") {
			Some(error) => Err(error.to_string()),
			None => Ok(value["result"].clone()),
		}
	}

	/// The node's WebSocket URL.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// The runtime's metadata at `version` (16 describes view functions), as the bytes the
	/// client's code generation reads.
	pub fn metadata_at_version(&self, version: u32) -> Vec<u8> {
		let arg = format!("0x{}", hex::encode(version.to_le_bytes()));
		let result = self
			.rpc("state_call", json!(["Metadata_metadata_at_version", arg]))
			.expect("Metadata_metadata_at_version");
		let bytes =
			hex::decode(result.as_str().expect("hex").trim_start_matches("0x")).expect("hex");
		// Option<OpaqueMetadata>: a `Some` byte, then the bytes with their compact length.
		assert_eq!(bytes.first(), Some(&1), "the runtime has no metadata version {version}");
		let (len, prefix) = match bytes[1] & 0b11 {
			0 => (u32::from(bytes[1] >> 2), 1),
			1 => (u32::from(u16::from_le_bytes([bytes[1], bytes[2]]) >> 2), 2),
			2 => (u32::from_le_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) >> 2, 4),
			_ => panic!("metadata larger than 1 GiB"),
		};
		let start = 1 + prefix;
		bytes[start..start + len as usize].to_vec()
	}

	/// The number of the block with `hash`, or of the best block when `hash` is `None`.
	pub fn block_number(&self, hash: Option<&str>) -> u64 {
		let params = match hash {
			Some(hash) => json!([hash]),
			None => json!([]),
		};
		let header = self.rpc("chain_getHeader", params).expect("chain_getHeader");
		let number = header["number"].as_str().expect("hex block number");
		u64::from_str_radix(number.trim_start_matches("0x"), 16).expect("block number")
	}

	/// The spec version of the runtime the node runs at its best block.
	pub fn spec_version(&self) -> u64 {
		let version = self.rpc("state_getRuntimeVersion", json!([])).expect("runtime version");
		version["specVersion"].as_u64().expect("spec version")
	}

	/// The number of the latest finalized block.
	pub fn finalized_number(&self) -> u64 {
		let head = self.rpc("chain_getFinalizedHead", json!([])).expect("finalized head");
		self.block_number(head.as_str())
	}

	/// How many validators finalize blocks after the finalized head: the GRANDPA authorities
	/// the runtime names there.
	pub fn grandpa_set_size(&self) -> usize {
		let head = self.rpc("chain_getFinalizedHead", json!([])).expect("finalized head");
		let result = self
			.rpc("state_call", json!(["GrandpaApi_grandpa_authorities", "0x", head]))
			.expect("GrandpaApi_grandpa_authorities");
		let bytes =
			hex::decode(result.as_str().expect("hex").trim_start_matches("0x")).expect("hex");
		// A SCALE vector of fewer than 64 (key, weight) pairs: its length in one byte.
		assert_eq!(bytes[0] & 0b11, 0, "more than 63 GRANDPA authorities");
		usize::from(bytes[0] >> 2)
	}

	/// Waits until `condition` holds, polling every half second.
	pub fn wait_until(&self, timeout: Duration, mut condition: impl FnMut(&Node) -> bool) -> bool {
		let deadline = Instant::now() + timeout;
		while Instant::now() < deadline {
			if condition(self) {
				return true;
			}
			std::thread::sleep(Duration::from_millis(500));
		}
		condition(self)
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if let Some(child) = &mut self.child {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}
