//! A hospital's node of the EHR consortium chain.

// `sc_cli::Error`, which every subcommand returns, is polkadot-sdk's and large; boxing it here
// would only add noise to each call.
#![allow(clippy::result_large_err)]

#[cfg(feature = "benchmark")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod peers;
mod rpc;
mod service;

use std::process::ExitCode;

/// Runs the command line; an error is printed in words, not as a debug dump.
fn main() -> ExitCode {
	match command::run() {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("Error: {error}");
			ExitCode::FAILURE
		},
	}
}
