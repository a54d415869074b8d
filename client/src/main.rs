//! `ehr`: the command line of the EHR consortium chain. A thin layer over [`ehr_client`]:
//! it parses arguments, unlocks the key it is told to act as, calls one operation and prints the
//! result as text, or as JSON with `--json`. Every failure prints one line saying what went wrong
//! and exits with the status of its class ([`ehr_client::error`]): 2 for a usage error, 3 a
//! key, 4 the configuration, 5 the node, 6 not on chain, 7 no right, 8 refused by the chain,
//! 9 a store, 10 data that does not verify, 11 a local file, 1 anything else.

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ehr_client::{chain::Follow, keys::Keystore, Client};

mod cli;
mod ui;

use cli::{
	admin::AdminCommand, audit::AuditCommands, bench::BenchCommand, consortium::ConsortiumCommand,
	context::Global, key::KeyCommand, message::MessageCommand, patient::PatientCommands,
	professional::ProfessionalCommands, reader::ReaderCommands, Context,
};

/// Electronic health records on the consortium chain.
#[derive(Parser)]
#[command(name = "ehr", version, about, propagate_version = true)]
struct Cli {
	#[command(flatten)]
	global: Global,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Manage the local keystore.
	#[command(subcommand)]
	Key(KeyCommand),
	/// Administrator actions.
	#[command(subcommand)]
	Admin(AdminCommand),
	/// The consortium's decisions (hospitals): admins, hospitals, settings, key releases and
	/// runtime upgrades, as motions the hospitals vote on.
	#[command(subcommand)]
	Consortium(ConsortiumCommand),
	/// Messages about a patient, sealed to the patient or the professionals who may read its
	/// records.
	#[command(subcommand)]
	Message(MessageCommand),
	#[command(flatten)]
	Professional(ProfessionalCommands),
	#[command(flatten)]
	Patient(PatientCommands),
	#[command(flatten)]
	Reader(ReaderCommands),
	#[command(flatten)]
	Audit(AuditCommands),
	/// Measure the chain: a load of transactions, a doctor's wait for a document, the client's
	/// own work on one (on a development or local test chain only).
	#[command(subcommand)]
	Bench(BenchCommand),
	/// The web application, on this machine only, acting as the key given with --as: it prints
	/// the link (with this session's secret) to open in a browser.
	Ui {
		/// The port on 127.0.0.1 to serve on (0: any free port).
		#[arg(long, default_value_t = 8740)]
		port: u16,
	},
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	let runtime = match tokio::runtime::Runtime::new() {
		Ok(rt) => rt,
		Err(e) => {
			eprintln!("error: cannot start: {e}");
			return ExitCode::FAILURE;
		},
	};
	match runtime.block_on(run(cli)) {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("error: {e:#}");
			ExitCode::from(exit_code(&e))
		},
	}
}

/// The status to exit with after `error`: its class's, if the library's error is behind it; a
/// local file's, if a file could not be read or written.
fn exit_code(error: &anyhow::Error) -> u8 {
	if let Some(e) = error.chain().find_map(|cause| cause.downcast_ref::<ehr_client::Error>()) {
		return e.class().exit_code();
	}
	if error.chain().any(|cause| cause.is::<std::io::Error>()) {
		return ehr_client::Class::Local.exit_code();
	}
	1
}

async fn run(cli: Cli) -> anyhow::Result<()> {
	let global = &cli.global;
	let settings = global.settings()?;
	let keystore = Keystore::open(&settings.keystore);
	if let Command::Key(command) = &cli.command {
		return cli::key::run(global.json, &keystore, command);
	}
	let mut client = Client::connect(settings.clone()).await?;
	if global.best_blocks {
		client.chain.set_follow(Follow::Best);
	}
	let cx = Context { global, settings: &settings, keystore: &keystore, client: &client };
	match &cli.command {
		Command::Key(command) => cli::key::run(global.json, &keystore, command),
		Command::Admin(command) => cli::admin::run(&cx, command).await,
		Command::Consortium(command) => cli::consortium::run(&cx, command).await,
		Command::Message(command) => cli::message::run(&cx, command).await,
		Command::Professional(command) => cli::professional::run(&cx, command).await,
		Command::Patient(command) => cli::patient::run(&cx, command).await,
		Command::Reader(command) => cli::reader::run(&cx, command).await,
		Command::Audit(command) => cli::audit::run(&cx, command).await,
		Command::Bench(command) => cli::bench::run(&cx, command).await,
		Command::Ui { port } => {
			let me = cx.me()?;
			let name = global.as_key.clone().unwrap_or_default();
			ui::serve(client, me, name, *port).await
		},
	}
}
