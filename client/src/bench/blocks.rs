//! What the chain itself says of a load: for each block, how many of the load's transactions it
//! included and how full it was, what ended it, and the rate sustained over the full blocks.

use std::collections::HashMap;

use serde::Serialize;
use subxt::{events::Phase, utils::H256};

use crate::{
	chain::{query_error, Chain},
	runtime,
	state::{constant, value},
	Error, Result,
};

/// What stopped the block's author from putting more of the load's transactions in.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum EndedBy {
	/// One more transaction would have passed the block's weight for ordinary transactions.
	Weight,
	/// One more transaction would have passed the block's length for ordinary transactions.
	Length,
	/// Transactions were waiting in the pool, and neither limit was near: the author ran out of
	/// time.
	Deadline,
	/// No transaction of the load was waiting.
	PoolEmpty,
}

impl std::fmt::Display for EndedBy {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str(match self {
			Self::Weight => "weight",
			Self::Length => "length",
			Self::Deadline => "deadline",
			Self::PoolEmpty => "pool empty",
		})
	}
}

/// One block of the load, as the chain has it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BlockFigures {
	/// Its number.
	pub number: u64,
	/// Its time (the timestamp pallet's), Unix milliseconds.
	pub time_ms: u64,
	/// Every extrinsic in it, the inherents included.
	pub extrinsics: u32,
	/// The load's transactions in it.
	pub ours: u32,
	/// The load's transactions in it that did what they were sent for (an entry added, a read
	/// logged).
	pub done: u32,
	/// The load's transactions in it whose call failed, by the error's name.
	pub failed: Vec<(String, u32)>,
	/// Weight used by ordinary transactions (reference time, picoseconds).
	pub weight: u64,
	/// That, in per cent of what ordinary transactions may use.
	pub weight_percent: f64,
	/// Bytes of all its extrinsics.
	pub length: u32,
	/// That, in per cent of what ordinary transactions may use.
	pub length_percent: f64,
	/// What ended it.
	pub ended_by: EndedBy,
}

/// The chain's limits for ordinary transactions in one block.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Limits {
	/// Weight (reference time, picoseconds).
	pub weight: u64,
	/// Length, bytes.
	pub length: u32,
	/// What every transaction weighs on top of its call and extensions (reference time,
	/// picoseconds).
	pub base_extrinsic: u64,
}

/// The rate the load was included at over its full blocks: the first and last blocks that
/// included it are left out (the load started and ended during them).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sustained {
	/// The blocks counted.
	pub blocks: u32,
	/// What the load's transactions did in them (entries added, reads logged).
	pub done: u64,
	/// The chain's time they cover, from the first counted block's parent to the last.
	pub seconds: f64,
	/// `done` per second.
	pub per_second: f64,
	/// Mean weight used, in per cent of the limit.
	pub weight_percent: f64,
	/// Mean length used, in per cent of the limit.
	pub length_percent: f64,
}

/// What ended a block that used `weight` and `length`, when the load's transactions weighed
/// `tx_weight` and measured `tx_length` each and `waiting` tells whether some were in the pool,
/// ready, when the block began.
pub fn ended_by(
	limits: Limits,
	weight: u64,
	length: u32,
	tx_weight: u64,
	tx_length: u32,
	waiting: bool,
) -> EndedBy {
	if weight.saturating_add(tx_weight) > limits.weight {
		EndedBy::Weight
	} else if length.saturating_add(tx_length) > limits.length {
		EndedBy::Length
	} else if waiting {
		EndedBy::Deadline
	} else {
		EndedBy::PoolEmpty
	}
}

/// The rate sustained over the full blocks of `blocks` (the load's blocks, in order), or none
/// when there are not three of them.
pub fn sustained(blocks: &[BlockFigures]) -> Option<Sustained> {
	if blocks.len() < 3 {
		return None;
	}
	let start = blocks[0].time_ms;
	let full = &blocks[1..blocks.len() - 1];
	let end = full.last()?.time_ms;
	let seconds = end.saturating_sub(start) as f64 / 1000.0;
	let done: u64 = full.iter().map(|b| u64::from(b.done)).sum();
	let n = full.len() as f64;
	Some(Sustained {
		blocks: full.len() as u32,
		done,
		seconds,
		per_second: if seconds > 0.0 { done as f64 / seconds } else { 0.0 },
		weight_percent: full.iter().map(|b| b.weight_percent).sum::<f64>() / n,
		length_percent: full.iter().map(|b| b.length_percent).sum::<f64>() / n,
	})
}

/// A block's extrinsics as the load sees them.
struct BlockBody {
	/// Its time, Unix milliseconds.
	time_ms: u64,
	/// Every extrinsic's hash and length, in order.
	extrinsics: Vec<(H256, u32)>,
}

impl Chain {
	/// The limits ordinary transactions have in a block.
	pub(crate) async fn block_limits(&self) -> Result<Limits> {
		let at = self.finalized().await?;
		let weights = constant(&at, runtime::constants().system().block_weights())?;
		let length = constant(&at, runtime::constants().system().block_length())?;
		let weight =
			weights.per_class.normal.max_total.map_or(weights.max_block.ref_time, |w| w.ref_time);
		let base_extrinsic = weights.per_class.normal.base_extrinsic.ref_time;
		Ok(Limits { weight, length: length.max.normal, base_extrinsic })
	}

	/// The time of block `number` (its slot's start), Unix milliseconds.
	pub(crate) async fn block_time_ms(&self, number: u64) -> Result<u64> {
		let at = self.api().at_block(number).await.map_err(query_error)?;
		Self::time_ms(&at, number).await
	}

	/// The time of the block `at` reads, block `number`: its slot's start, Unix milliseconds.
	async fn time_ms(at: &crate::chain::Block, number: u64) -> Result<u64> {
		match value(at, runtime::storage().timestamp().now()).await? {
			Some(ms) if ms > 0 => Ok(ms),
			_ => Err(Error::Chain(format!("block {number} has no time"))),
		}
	}

	/// The time and extrinsics of the block `at` reads.
	async fn block_body(at: &crate::chain::Block, number: u64) -> Result<BlockBody> {
		let time_ms = Self::time_ms(at, number).await?;
		let extrinsics = at.extrinsics().fetch().await.map_err(query_error)?;
		let mut out = Vec::with_capacity(extrinsics.len());
		for extrinsic in extrinsics.iter() {
			let extrinsic = extrinsic.map_err(query_error)?;
			out.push((extrinsic.hash(), extrinsic.bytes().len() as u32));
		}
		Ok(BlockBody { time_ms, extrinsics: out })
	}

	/// The figures of block `number` for the load whose transactions are `ours` (by hash),
	/// where `done` names the event a transaction of the load emits when it did its work and
	/// `waiting` tells whether some of the load's transactions were ready before the block
	/// (its number, its time) began and included only later.
	pub(crate) async fn block_figures(
		&self,
		number: u64,
		limits: Limits,
		ours: &dyn Fn(&H256) -> bool,
		done: (&str, &str),
		waiting: &dyn Fn(u64, u64) -> bool,
	) -> Result<BlockFigures> {
		let at = self.api().at_block(number).await.map_err(query_error)?;
		let body = Self::block_body(&at, number).await?;
		let used = value(&at, runtime::storage().system().block_weight())
			.await?
			.map_or(0, |w| w.normal.ref_time);
		let events = at.events().fetch().await.map_err(query_error)?;
		let metadata = at.metadata_ref();
		let ours_at: Vec<bool> = body.extrinsics.iter().map(|(hash, _)| ours(hash)).collect();
		let is_ours = |phase: Phase| match phase {
			Phase::ApplyExtrinsic(i) => ours_at.get(i as usize).copied().unwrap_or(false),
			_ => false,
		};
		let (mut count_done, mut tx_weight) = (0u32, 0u64);
		let mut failed: HashMap<String, u32> = HashMap::new();
		for event in events.iter() {
			let event = event.map_err(query_error)?;
			if !is_ours(event.phase()) {
				continue;
			}
			if (event.pallet_name(), event.event_name()) == done {
				count_done += 1;
			} else if let Some(success) =
				event.decode_fields_as::<runtime::system::events::ExtrinsicSuccess>()
			{
				let success = success.map_err(query_error)?;
				tx_weight = tx_weight.max(success.dispatch_info.weight.ref_time);
			} else if let Some(failure) =
				event.decode_fields_as::<runtime::system::events::ExtrinsicFailed>()
			{
				let failure = failure.map_err(query_error)?;
				tx_weight = tx_weight.max(failure.dispatch_info.weight.ref_time);
				let name = match failure.dispatch_error {
					runtime::runtime_types::sp_runtime::DispatchError::Module(module) => metadata
						.pallet_by_error_index(module.index)
						.and_then(|p| p.error_variant_by_index(module.error[0]))
						.map_or_else(|| format!("module {}", module.index), |v| v.name.clone()),
					other => format!("{other:?}"),
				};
				*failed.entry(name).or_default() += 1;
			}
		}
		let ours_count = ours_at.iter().filter(|o| **o).count() as u32;
		let length: u32 = body.extrinsics.iter().map(|(_, len)| len).sum();
		let tx_length = body
			.extrinsics
			.iter()
			.zip(&ours_at)
			.filter(|(_, o)| **o)
			.map(|((_, len), _)| *len)
			.max()
			.unwrap_or(0);
		let mut failed: Vec<(String, u32)> = failed.into_iter().collect();
		failed.sort();
		let percent = |used: u64, limit: u64| {
			if limit == 0 {
				0.0
			} else {
				used as f64 * 100.0 / limit as f64
			}
		};
		Ok(BlockFigures {
			number,
			time_ms: body.time_ms,
			extrinsics: body.extrinsics.len() as u32,
			ours: ours_count,
			done: count_done,
			failed,
			weight: used,
			weight_percent: percent(used, limits.weight),
			length,
			length_percent: percent(u64::from(length), u64::from(limits.length)),
			ended_by: ended_by(
				limits,
				used,
				length,
				tx_weight.saturating_add(limits.base_extrinsic),
				tx_length,
				waiting(number, body.time_ms),
			),
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const LIMITS: Limits = Limits { weight: 1_000, length: 5_000, base_extrinsic: 10 };

	fn block(number: u64, time_ms: u64, done: u32, percent: f64) -> BlockFigures {
		BlockFigures {
			number,
			time_ms,
			extrinsics: done + 1,
			ours: done,
			done,
			failed: Vec::new(),
			weight: 0,
			weight_percent: percent,
			length: 0,
			length_percent: percent / 2.0,
			ended_by: EndedBy::Weight,
		}
	}

	#[test]
	fn a_block_is_ended_by_the_first_limit_one_more_transaction_would_pass() {
		assert_eq!(ended_by(LIMITS, 950, 100, 60, 200, true), EndedBy::Weight);
		assert_eq!(ended_by(LIMITS, 900, 4_900, 60, 200, true), EndedBy::Length);
		assert_eq!(ended_by(LIMITS, 900, 4_700, 60, 200, true), EndedBy::Deadline);
		assert_eq!(ended_by(LIMITS, 900, 4_700, 60, 200, false), EndedBy::PoolEmpty);
		// Exactly full still fits.
		assert_eq!(ended_by(LIMITS, 940, 4_800, 60, 200, false), EndedBy::PoolEmpty);
	}

	#[test]
	fn the_rate_leaves_out_the_first_and_last_blocks() {
		let blocks = [
			block(10, 60_000, 100, 10.0),
			block(11, 66_000, 600, 90.0),
			block(12, 72_000, 600, 70.0),
			block(13, 78_000, 50, 5.0),
		];
		let rate = sustained(&blocks).expect("four blocks");
		assert_eq!(rate.blocks, 2);
		assert_eq!(rate.done, 1_200);
		// From block 10's time (block 11's parent) to block 12's: 12 s.
		assert_eq!(rate.seconds, 12.0);
		assert_eq!(rate.per_second, 100.0);
		assert_eq!(rate.weight_percent, 80.0);
		assert_eq!(rate.length_percent, 40.0);
		assert_eq!(sustained(&blocks[..2]), None);
	}
}
