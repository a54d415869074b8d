//! Measuring the chain: a load generator and a doctor's wait, reported from the chain itself.
//!
//! - [`Client::register_cast`]: the load's professionals and patients, with keys made for the
//!   run, registered by an admin (only on a development or local test chain: what a load
//!   writes can never be deleted);
//! - [`Client::run_load`]: transactions made, mined and signed before the clock starts, sent at
//!   a rate or as fast as the node takes them, and reported block by block: how many each block
//!   included, how full it was and what ended it, the rate sustained over the full blocks, and
//!   every transaction's time to a block and to finality;
//! - [`Client::doctor_wait`]: one document at a time, through the whole of
//!   [`Client::add_documents`] (encrypt, store, mine, send, finalized), as a doctor waits;
//! - [`pipeline`]: the client's own work on a document against the raw speed of the hash
//!   and the cipher it uses.

mod blocks;
mod cast;
mod doctor;
mod load;
pub mod pipeline;
mod prepare;
mod stats;

use std::{
	collections::BTreeMap,
	sync::Arc,
	time::{Duration, Instant},
};

use serde::Serialize;

pub use blocks::{BlockFigures, EndedBy, Limits, Sustained};
pub use cast::Cast;
pub use doctor::DoctorReport;
pub use load::Pace;
pub use prepare::LoadCall;
pub use stats::Latency;

use crate::{chain::Chain, client::Client, Result};

/// What a load did, from the chain's own blocks.
#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
	/// The call every transaction made.
	pub call: LoadCall,
	/// Professionals sending (one queue each).
	pub professionals: usize,
	/// Patients written about.
	pub patients: usize,
	/// Transactions made.
	pub transactions: usize,
	/// Seconds spent making, mining and signing them, before the clock started.
	pub prepare_seconds: f64,
	/// Seconds from the first transaction sent to the last.
	pub send_seconds: f64,
	/// Transactions the node took.
	pub sent: usize,
	/// Of those, included in a block.
	pub included: usize,
	/// Of those, that did what they were sent for.
	pub done: u64,
	/// Included but failed, by the error's name.
	pub failed: BTreeMap<String, u32>,
	/// Refused by the node, by reason (each ends its sender's queue).
	pub refused: BTreeMap<String, usize>,
	/// Not sent: an earlier transaction of their sender was refused, or the load stalled.
	pub not_sent: usize,
	/// Sent but not seen in a block.
	pub not_included: usize,
	/// The chain's limits for ordinary transactions in a block.
	pub limits: Limits,
	/// Every block from the first that included the load to the last.
	pub blocks: Vec<BlockFigures>,
	/// The rate over the full blocks (all but the first and the last), if there were three.
	pub sustained: Option<Sustained>,
	/// From sent to seen in a block (the node's best), for every transaction included.
	pub to_block: Option<Latency>,
	/// From sent to seen finalized, for every transaction finalized.
	pub to_final: Option<Latency>,
}

impl Client {
	/// Makes `count` transactions of `call` over `cast` (before the clock starts), sends them
	/// at `pace` and reports what the chain did with them.
	pub async fn run_load(
		&self,
		cast: &Cast,
		call: LoadCall,
		count: usize,
		pace: &Pace,
	) -> Result<LoadReport> {
		self.check_chain_for_load()?;
		if let LoadCall::AddRecords(batch) = call {
			let most = self.chain.state().await?.max_batch_entries()?;
			if batch as usize > most || batch == 0 {
				return Err(crate::Error::Input(format!(
					"a batch holds 1 to {most} entries on this chain, not {batch}"
				)));
			}
		}
		let started = Instant::now();
		let queues = self.prepare_load(cast, call, count).await?;
		let prepare_seconds = started.elapsed().as_secs_f64();
		let transactions = queues.iter().map(Vec::len).sum();

		// A connection of its own, shared by the senders and the followers.
		let chain = Arc::new(Chain::connect(&self.settings).await?);
		let sent = load::send_load(chain, queues, pace).await?;

		let limits = self.chain.block_limits().await?;
		let tracks = &sent.tracks;
		let first = tracks.values().filter_map(|t| t.in_block.map(|(_, n)| n)).min();
		let last = tracks.values().filter_map(|t| t.in_block.map(|(_, n)| n)).max();
		let mut blocks = Vec::new();
		if let (Some(first), Some(last)) = (first, last) {
			let ours = |hash: &subxt::utils::H256| tracks.contains_key(hash);
			// Some of the load was ready before the block began and went in a later one.
			let waiting = |number: u64, time_ms: u64| {
				tracks.values().any(|t| {
					matches!(t.sent, Some((_, sent)) if sent < time_ms)
						&& t.in_block.is_some_and(|(_, n)| n > number)
				})
			};
			for number in first..=last {
				blocks.push(
					self.chain
						.block_figures(number, limits, &ours, call.done_event(), &waiting)
						.await?,
				);
			}
		}
		let mut failed = BTreeMap::new();
		for block in &blocks {
			for (error, n) in &block.failed {
				*failed.entry(error.clone()).or_insert(0) += n;
			}
		}
		let since_sent = |at: Option<Instant>, t: &load::Track| -> Option<Duration> {
			Some(at?.duration_since(t.sent?.0))
		};
		let to_block =
			tracks.values().filter_map(|t| since_sent(t.in_block.map(|(at, _)| at), t)).collect();
		let to_final = tracks.values().filter_map(|t| since_sent(t.finalized, t)).collect();
		let count_of = |f: &dyn Fn(&load::Track) -> bool| tracks.values().filter(|t| f(t)).count();
		let sent_count = count_of(&|t| t.sent.is_some());
		let included = count_of(&|t| t.sent.is_some() && t.in_block.is_some());
		Ok(LoadReport {
			call,
			professionals: cast.professionals.len(),
			patients: cast.patients.len(),
			transactions,
			prepare_seconds,
			send_seconds: sent.sending.as_secs_f64(),
			sent: sent_count,
			included,
			done: blocks.iter().map(|b| u64::from(b.done)).sum(),
			failed,
			refused: sent.refused.clone(),
			not_sent: sent.not_sent,
			not_included: sent_count - included,
			limits,
			sustained: blocks::sustained(&blocks),
			blocks,
			to_block: Latency::of(to_block),
			to_final: Latency::of(to_final),
		})
	}
}
