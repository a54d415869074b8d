//! The node's command line.

#[cfg(feature = "benchmark")]
use polkadot_sdk::frame_benchmarking_cli;
use polkadot_sdk::sc_cli;

/// The node's command line: run the node, or one of the subcommands.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management tools.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmark the runtime's pallets, blocks, storage and this machine.
	#[cfg(feature = "benchmark")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Benchmarks: this node was built without them (`--features benchmark` builds them).
	#[cfg(not(feature = "benchmark"))]
	#[command(disable_help_flag = true)]
	Benchmark {
		#[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
		args: Vec<String>,
	},

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
