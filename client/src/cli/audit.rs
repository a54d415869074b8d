//! What an auditor does from the command line: the history of events, and the dashboard.

use clap::Subcommand;

use ehr_client::audit::{Page, Stats};

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
	/// Totals and recent activity: the latest events of the last blocks, a page at a time.
	Stats {
		/// How many recent blocks to count events of.
		#[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
		blocks: u64,
		/// Events per page.
		#[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
		events: u64,
		/// Which page, 1 being the newest events.
		#[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
		page: u64,
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
		AuditCommands::Stats { blocks, events, page } => {
			let page = Page { size: *events as usize, number: *page as usize };
			let stats = client.stats(*blocks, page).await?;
			cx.print(&stats, stats_text)
		},
	}
}

/// The dashboard, in words: the totals, then the page of recent events asked for.
fn stats_text(s: &Stats) -> String {
	let (from, to) = s.recent_blocks;
	let first = (s.page.number - 1) * s.page.size + 1;
	let shown = if s.recent.is_empty() {
		format!("no events on page {} of blocks {from} to {to}", s.page.number)
	} else {
		let last = first + s.recent.len() - 1;
		let more = if last < s.recent_total {
			format!("; --page {} for older ones", s.page.number + 1)
		} else {
			String::new()
		};
		format!(
			"events {first} to {last} of {} in blocks {from} to {to}, newest first{more}:\n{}",
			s.recent_total,
			history_text(&s.recent)
		)
	};
	format!(
		"block {}\nadmins {}  professionals {} ({} active)  patients {}  records {}\nemergency accesses {} ({} unreviewed)  difficulty {} bits\nrecent activity: {shown}",
		s.finalized_block,
		s.admins,
		s.professionals,
		s.active_professionals,
		s.patients,
		s.records,
		s.emergency_accesses,
		s.unreviewed_emergency_accesses,
		s.difficulty
	)
}
