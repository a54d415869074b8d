//! Measuring the chain from the command line: `ehr bench load`, `ehr bench doctor` and
//! `ehr bench pipeline`.

use std::{fmt::Write, time::Duration};

use clap::{Subcommand, ValueEnum};
use ehr_client::{
	bench::{BlockFigures, DoctorReport, LoadCall, LoadReport, Pace},
	Error,
};

use super::Context;

/// What a load's transactions do.
#[derive(Clone, Copy, ValueEnum)]
pub enum CallArg {
	/// Add an entry to a patient's chain, as a document upload does.
	AddRecord,
	/// Log a read of a patient's first entry: the cheapest call a member sends.
	LogAccess,
}

/// Measurements of the chain, run on a development or local test chain only (what they write
/// can never be deleted). `load` and `doctor` act as an admin (--as), who registers the
/// professionals and patients they need, with keys made for the run.
#[derive(Subcommand)]
pub enum BenchCommand {
	/// Send many transactions, made and signed beforehand, and report what the chain did with
	/// them: per block, how many went in, how full it was and what ended it; the rate over the
	/// full blocks; the time to a block and to finality.
	Load {
		/// Professionals sending, side by side (each within its role's quota).
		#[arg(long, default_value_t = 100)]
		professionals: usize,
		/// Patients written about, shared out among the professionals.
		#[arg(long, default_value_t = 400)]
		patients: usize,
		/// Entries to add (reads to log, with --call log-access).
		#[arg(long, default_value_t = 20_000)]
		count: usize,
		/// The call each transaction makes.
		#[arg(long, value_enum, default_value = "add-record")]
		call: CallArg,
		/// Entries of one patient per transaction: more than one sends `add_records`, as the
		/// upload of a study of many images does (at most the runtime's `MaxBatchEntries`).
		#[arg(long, default_value_t = 1)]
		batch: u32,
		/// Transactions per second (default: as fast as the node takes them).
		#[arg(long)]
		rate: Option<f64>,
		/// Most transactions sent and not yet final (the node's pool holds them until then:
		/// keep it below its limit, `--pool-limit`, 8,192 by default). Fewer when they are
		/// large: at most 16 MiB of them, below the pool's 20 MiB.
		#[arg(long, default_value_t = 6_000)]
		in_flight: usize,
		/// Seconds to wait, with nothing sent, included or finalized, before giving up on the
		/// rest.
		#[arg(long, default_value_t = 60)]
		stall: u64,
	},
	/// Add documents one at a time, as a doctor does, and time each from the call to its
	/// entry finalized.
	Doctor {
		/// Documents, one after the other.
		#[arg(long, default_value_t = 20)]
		documents: usize,
		/// Bytes of each.
		#[arg(long, default_value_t = 64 * 1024)]
		size: usize,
	},
	/// Time the client's work on one document (hash, encrypt, store) against raw SHA-256 and
	/// XChaCha20-Poly1305 over memory. It writes one blob of random bytes to the stores.
	Pipeline {
		/// Bytes of the document.
		#[arg(long, default_value_t = 16 * 1024 * 1024)]
		size: usize,
	},
}

/// Runs `command`.
pub async fn run(cx: &Context<'_>, command: &BenchCommand) -> anyhow::Result<()> {
	let client = cx.client;
	match command {
		BenchCommand::Load {
			professionals,
			patients,
			count,
			call,
			batch,
			rate,
			in_flight,
			stall,
		} => {
			if *count == 0 {
				return Err(Error::Input("a load of 0 entries measures nothing".into()).into());
			}
			let call = match (call, *batch) {
				(_, 0) => return Err(Error::Input("--batch must be at least 1".into()).into()),
				(CallArg::AddRecord, 1) => LoadCall::AddRecord,
				(CallArg::AddRecord, batch) => LoadCall::AddRecords(batch),
				(CallArg::LogAccess, 1) => LoadCall::LogAccess,
				(CallArg::LogAccess, _) => {
					return Err(Error::Input("--batch is for add-record only".into()).into())
				},
			};
			let admin = cx.me()?;
			let cast = client.register_cast(&admin, *professionals, *patients).await?;
			let pace =
				Pace { rate: *rate, in_flight: *in_flight, stall: Duration::from_secs(*stall) };
			let report = client.run_load(&cast, call, *count, &pace).await?;
			cx.print(&report, load_text)
		},
		BenchCommand::Doctor { documents, size } => {
			let admin = cx.me()?;
			let cast = client.register_cast(&admin, 1, 1).await?;
			let report = client.doctor_wait(&cast, *documents, *size).await?;
			cx.print(&report, doctor_text)
		},
		BenchCommand::Pipeline { size } => {
			let report = client.measure_pipeline(*size).await?;
			cx.print(&report, |r| {
				let mut out = format!("a document of {} bytes:\n", r.size);
				for s in &r.steps {
					let _ = writeln!(out, "  {:<48} {:>9.1} MB/s", s.step, s.mb_per_second);
				}
				out
			})
		},
	}
}

fn block_line(b: &BlockFigures) -> String {
	let failed = if b.failed.is_empty() {
		String::new()
	} else {
		let names: Vec<String> = b.failed.iter().map(|(e, n)| format!("{n} {e}")).collect();
		format!("  failed: {}", names.join(", "))
	};
	format!(
		"  #{:<7} {:>6} {:>6} {:>6.1} % {:>6.1} %  {}{failed}",
		b.number, b.ours, b.done, b.weight_percent, b.length_percent, b.ended_by
	)
}

fn load_text(r: &LoadReport) -> String {
	let mut out = String::new();
	let _ = writeln!(
		out,
		"{} × {} from {} professionals about {} patients (made in {:.1} s, sent in {:.1} s)",
		r.transactions,
		r.call.name(),
		r.professionals,
		r.patients,
		r.prepare_seconds,
		r.send_seconds
	);
	let _ = writeln!(out, "  block     ours   done  weight  length  ended by");
	for b in &r.blocks {
		let _ = writeln!(out, "{}", block_line(b));
	}
	match &r.sustained {
		Some(s) => {
			let _ = writeln!(
				out,
				"sustained: {:.0}/s over {} full blocks ({} in {:.1} s), blocks {:.1} % full by weight, {:.1} % by length",
				s.per_second, s.blocks, s.done, s.seconds, s.weight_percent, s.length_percent
			);
		},
		None => {
			let _ = writeln!(out, "sustained: too few blocks (send more transactions)");
		},
	}
	let _ = writeln!(
		out,
		"sent {}, included {}, done {}, not included {}, not sent {}",
		r.sent, r.included, r.done, r.not_included, r.not_sent
	);
	for (error, n) in &r.failed {
		let _ = writeln!(out, "failed in a block: {n} × {error}");
	}
	for (reason, n) in &r.refused {
		let _ = writeln!(out, "refused: {n} × {reason}");
	}
	if let Some(l) = &r.to_block {
		let _ = writeln!(out, "sent → in a block: {l}");
	}
	if let Some(l) = &r.to_final {
		let _ = writeln!(out, "sent → finalized:  {l}");
	}
	out
}

fn doctor_text(r: &DoctorReport) -> String {
	let Some(l) = &r.to_final else { return "no document added".into() };
	let mut out = format!(
		"{} documents of {} bytes, one at a time, from the call to finalized: {l}\n",
		r.documents, r.size
	);
	if let Some(l) = &r.to_slot {
		let _ = writeln!(out, "  the call → its block's slot began:  {l}");
	}
	if let Some(l) = &r.slot_to_final {
		let _ = writeln!(out, "  the slot began → the call returned: {l}");
	}
	out
}
