//! What an auditor does from the command line: the history of events, and the dashboard.

use clap::Subcommand;

use super::{
	output::{history_csv, history_text, Format},
	Context,
};

/// The auditor's commands, at the top level of `ehr`.
#[derive(Subcommand)]
pub enum AuditCommands {
	/// Every event touching an account (or all events) over a block range, for auditors.
	History {
		/// Only events touching this account.
		#[arg(long)]
		account: Option<String>,
		/// First block.
		#[arg(long, default_value_t = 1)]
		from: u64,
		/// Last block (default: the latest finalized).
		#[arg(long)]
		to: Option<u64>,
		/// How to print the events (`--json` is `--format json`).
		#[arg(long, value_enum, default_value = "text")]
		format: Format,
	},
	/// Totals and recent activity.
	Stats {
		/// How many recent blocks to show events of.
		#[arg(long, default_value_t = 100)]
		blocks: u64,
	},
}

/// Runs `command`.
pub async fn run(cx: &Context<'_>, command: &AuditCommands) -> anyhow::Result<()> {
	let client = cx.client;
	match command {
		AuditCommands::History { account, from, to, format } => {
			let subject = account.as_deref().map(|a| cx.account(a)).transpose()?;
			let events = client.history(subject.as_ref(), *from, *to).await?;
			match if cx.json() { Format::Json } else { *format } {
				Format::Json => println!("{}", serde_json::to_string_pretty(&events)?),
				Format::Csv => print!("{}", history_csv(&events)?),
				Format::Text => println!("{}", history_text(&events)),
			}
			Ok(())
		},
		AuditCommands::Stats { blocks } => {
			let stats = client.stats(*blocks).await?;
			cx.print(&stats, |s| {
				format!(
					"block {}\nadmins {}  professionals {} ({} active)  patients {}  records {}\nemergency accesses {} ({} unreviewed)  difficulty {} bits\nrecent activity:\n{}",
					s.finalized_block, s.admins, s.professionals, s.active_professionals, s.patients, s.records,
					s.emergency_accesses, s.unreviewed_emergency_accesses, s.difficulty, history_text(&s.recent)
				)
			})
		},
	}
}
