//! How results are printed: as JSON with `--json`, else as text, one renderer per view.

use clap::ValueEnum;
use ehr_client::{
	audit::HistoryEvent,
	chain::Receipt,
	views::{EntryView, GrantView},
};
use serde::Serialize;

/// How a list of events is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
	/// One line per event.
	Text,
	/// A JSON array.
	Json,
	/// Comma-separated values, with a header line.
	Csv,
}

/// Prints `value` as pretty JSON if `json`, else as `text` makes it (nothing if empty).
pub fn print<T: Serialize>(
	json: bool,
	value: &T,
	text: impl FnOnce(&T) -> String,
) -> anyhow::Result<()> {
	if json {
		println!("{}", serde_json::to_string_pretty(value)?);
	} else {
		let out = text(value);
		if !out.is_empty() {
			println!("{out}");
		}
	}
	Ok(())
}

/// A transaction's receipt, in one line.
pub fn receipt_text(r: &Receipt) -> String {
	format!("{} finalized in block {} ({})", r.call, r.block, r.block_hash)
}

/// Several receipts, one per line.
pub fn receipts_text(receipts: &[Receipt]) -> String {
	receipts.iter().map(receipt_text).collect::<Vec<_>>().join("\n")
}

/// A patient's entries, as a table.
pub fn entries_text(entries: &[EntryView]) -> String {
	let mut out = format!(
		"{:>5}  {:<18} {:<16} {:>5}  {:<48} block\n",
		"index", "kind", "specialty", "epoch", "author"
	);
	for e in entries {
		out.push_str(&format!(
			"{:>5}  {:<18} {:<16} {:>5}  {:<48} {}{}\n",
			e.index,
			e.kind,
			e.specialty,
			e.key_epoch,
			e.author,
			e.block,
			e.amends.map(|a| format!("  (amends {a})")).unwrap_or_default()
		));
	}
	out.trim_end().to_string()
}

/// Grants, one per line.
pub fn grants_text(grants: &[GrantView]) -> String {
	if grants.is_empty() {
		return "none".into();
	}
	grants
		.iter()
		.map(|g| {
			format!(
				"{}{}  {}  epoch {}  {}{}",
				g.account,
				g.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default(),
				g.scope,
				g.key_epoch,
				if g.live { "live" } else { "not live" },
				g.expires_at.map(|b| format!(", expires at block {b}")).unwrap_or_default()
			)
		})
		.collect::<Vec<_>>()
		.join("\n")
}

/// Events, one per line.
pub fn history_text(events: &[HistoryEvent]) -> String {
	events
		.iter()
		.map(|e| {
			let fields: Vec<String> = e.fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
			format!("#{:<6} {:<24} {}", e.block, e.event, fields.join(" "))
		})
		.collect::<Vec<_>>()
		.join("\n")
}

/// `cell` as a spreadsheet will not take for a formula: a leading `=`, `+`, `-` or `@` gets an
/// apostrophe in front.
fn inert(cell: String) -> String {
	if cell.starts_with(['=', '+', '-', '@']) {
		format!("'{cell}")
	} else {
		cell
	}
}

/// Events as CSV, with a header line.
pub fn history_csv(events: &[HistoryEvent]) -> anyhow::Result<String> {
	let mut writer = csv::Writer::from_writer(Vec::new());
	writer.write_record(["block", "event_index", "event", "fields"])?;
	for e in events {
		let fields: Vec<String> = e.fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
		writer.write_record([
			e.block.to_string(),
			e.event_index.to_string(),
			inert(e.event.clone()),
			inert(fields.join(";")),
		])?;
	}
	Ok(String::from_utf8(writer.into_inner()?)?)
}
