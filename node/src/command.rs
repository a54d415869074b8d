//! Dispatches the command line to the node or its subcommands.

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};
use ehr_runtime::opaque::Block;
#[cfg(feature = "benchmark")]
use polkadot_sdk::{
	frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE},
	sp_runtime::traits::HashingFor,
};
use polkadot_sdk::{
	sc_cli::{self, SubstrateCli},
	sc_network,
	sc_service::{self, PartialComponents},
	*,
};

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"EHR Consortium Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"the consortium's operations team".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" => Box::new(chain_spec::development_chain_spec()?),
			"" | "local" => Box::new(chain_spec::local_chain_spec()?),
			path => {
				Box::new(chain_spec::ChainSpec::from_json_file(std::path::PathBuf::from(path))?)
			},
		})
	}
}

/// Parses the command line and runs what it asks for.
pub fn run() -> sc_cli::Result<()> {
	let mut cli = Cli::from_args();
	choose_transaction_pool(&mut cli, std::env::args());

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config)?;
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		},
		#[cfg(feature = "benchmark")]
		Some(Subcommand::Benchmark(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| match cmd {
				// Pallet benchmarks run a runtime built with `runtime-benchmarks`, given with
				// `--runtime` (see scripts/benchmark.sh); the node itself needs no such build.
				BenchmarkCmd::Pallet(cmd) => {
					cmd.run_with_spec::<HashingFor<Block>, ()>(Some(config.chain_spec))
				},
				BenchmarkCmd::Block(cmd) => {
					let PartialComponents { client, .. } = service::new_partial(&config)?;
					cmd.run(client)
				},
				BenchmarkCmd::Machine(cmd) => {
					cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone())
				},
				// The database's read and write weights, measured on the chain's own state.
				#[cfg(feature = "storage-benchmark")]
				BenchmarkCmd::Storage(cmd) => {
					let PartialComponents { client, backend, .. } = service::new_partial(&config)?;
					let db = backend.expose_db();
					let storage = backend.expose_storage();
					let shared_trie_cache = backend.expose_shared_trie_cache();
					cmd.run(config, client, db, storage, shared_trie_cache)
				},
				#[cfg(not(feature = "storage-benchmark"))]
				BenchmarkCmd::Storage(_) => Err("this node was built without the storage \
					 benchmark: build it with `--features ehr-node/storage-benchmark` \
					 (scripts/benchmark.sh storage does)"
					.into()),
				// A block's and a transaction's own cost, from an administrator's cheapest call.
				BenchmarkCmd::Overhead(cmd) => {
					let PartialComponents { client, .. } = service::new_partial(&config)?;
					let builder = crate::benchmarking::MemberNoOpBuilder::new(&client)?;
					let inherents = crate::benchmarking::inherent_data()?;
					cmd.run(
						config.chain_spec.name().into(),
						client,
						inherents,
						Vec::new(),
						&builder,
						false,
					)
				},
				BenchmarkCmd::Extrinsic(_) => Err("extrinsic benchmarks are not wired: \
					 `benchmark pallet` weighs every call, `benchmark overhead` a transaction's \
					 own cost"
					.into()),
			})
		},
		#[cfg(not(feature = "benchmark"))]
		Some(Subcommand::Benchmark { .. }) => Err("this node was built without the benchmark \
			 commands: build it with `cargo build --release --locked --workspace --bin ehr-node \
			 --features ehr-node/benchmark` (scripts/benchmark.sh does)"
			.into()),
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		},
		None => {
			let runner = cli.create_runner(&cli.run)?;
			runner.run_node_until_exit(|config| async move {
				let database = config.database.path().map(|path| path.display().to_string());
				match network_backend(config.network.network_backend) {
					sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
						sc_network::NetworkWorker<
							Block,
							<Block as sp_runtime::traits::Block>::Hash,
						>,
					>(config),
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config)
					},
				}
				.map_err(|error| explain_start_error(error, database))
			})
		},
	}
}

/// The network backend the node runs: libp2p unless `--network-backend` names one. A
/// hospital's node switches to reserved-only peering while connected (once its hospital is
/// named) and drops a removed hospital's node from its reserved peers; litep2p's peer set (of
/// sc-network 0.60) keeps peers it had marked while switching modes connected after they are
/// no longer reserved, so a removed hospital's node would go on syncing.
fn network_backend(
	given: sc_network::config::NetworkBackendType,
) -> sc_network::config::NetworkBackendType {
	if std::env::args().any(|arg| arg.starts_with("--network-backend")) {
		given
	} else {
		sc_network::config::NetworkBackendType::Libp2p
	}
}

/// Runs the single-state transaction pool unless `--pool-type` chooses one.
///
/// The fork-aware pool, polkadot-sdk's default, follows every fork; Aura gives each slot one
/// author, so this chain seldom forks. Under a burst of transactions whose senders each have
/// tens of them in flight (a laboratory's system, the load generator), the fork-aware pool
/// dropped about 45 % of them, and with them every later transaction of their senders, which
/// then wait for a nonce that never comes (`ehr bench load`, 8,000 entries from 100
/// professionals: 4,434 included); the single-state pool included all 8,000.
fn choose_transaction_pool(cli: &mut Cli, args: impl Iterator<Item = String>) {
	let chosen =
		args.into_iter().any(|arg| arg == "--pool-type" || arg.starts_with("--pool-type="));
	if !chosen {
		cli.run.pool_config.pool_type = sc_cli::TransactionPoolType::SingleState;
	}
}

/// Why the node did not start, in the words an operator needs: a database it cannot open says
/// where it is and how the node recovers, beyond the database's own message.
fn explain_start_error(error: sc_service::Error, database: Option<String>) -> sc_cli::Error {
	match &error {
		sc_service::Error::Client(sp_blockchain::Error::Backend(message)) => {
			let at = database.map(|path| format!(" at {path}")).unwrap_or_default();
			sc_cli::Error::Application(
				format!(
					"the node's database{at} cannot be opened ({message}). If another node runs \
					 on it, stop that one. If it is damaged, stop this node, move the database \
					 aside (or remove it with `ehr-node purge-chain` and the same --chain and \
					 --base-path) and start again: the node resyncs from the other hospitals' \
					 nodes, checking every block it receives."
				)
				.into(),
			)
		},
		_ => sc_cli::Error::Service(error),
	}
}
