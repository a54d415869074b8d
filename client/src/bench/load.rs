//! Sending a prepared load and following it: each sender's transactions go out in nonce order,
//! side by side with the other senders', at a set rate or as fast as the node takes them, with
//! no more in flight (sent, not yet final) than asked, nor more bytes than the node's pool
//! holds; when the node's pool is full, the sender waits and sends the same transaction again.
//! Blocks are followed as they are imported and finalized, so every transaction's time to a
//! block and to finality is known.

use std::{
	collections::{BTreeMap, HashMap},
	sync::{Arc, Mutex},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use subxt::{rpcs::rpc_params, utils::H256};
use tokio::sync::Semaphore;

use super::prepare::{Prepared, Queue};
use crate::{chain::Chain, Error, Result};

/// How long a sender waits before sending again into a full pool.
const FULL_POOL_PAUSE: Duration = Duration::from_millis(50);

/// The most bytes of transactions in flight: below the 20 MiB the node's pool holds by default
/// (`--pool-kbytes`), since a full pool drops transactions it already took, and the later ones
/// of their senders then wait for ever.
const POOL_BYTES: usize = 16 * 1024 * 1024;

/// How many transactions of at most `largest` bytes may be in flight, `asked` at most: no
/// more than [`POOL_BYTES`] in all, and at least one.
fn in_flight_slots(asked: usize, largest: usize) -> usize {
	asked.min(POOL_BYTES / largest.max(1)).max(1)
}

/// What became of one transaction.
#[derive(Default, Clone)]
pub(crate) struct Track {
	/// When the node took it: the clock, and Unix milliseconds.
	pub sent: Option<(Instant, u64)>,
	/// When a block including it was seen, and its number.
	pub in_block: Option<(Instant, u64)>,
	/// When that block was seen finalized.
	pub finalized: Option<Instant>,
}

/// Every transaction's track, by hash.
pub(crate) type Tracks = Arc<Mutex<HashMap<H256, Track>>>;

/// How a load is sent.
#[derive(Debug, Clone)]
pub struct Pace {
	/// Transactions per second, or as fast as the node takes them.
	pub rate: Option<f64>,
	/// Most transactions sent and not yet final (the node's pool keeps them until then).
	pub in_flight: usize,
	/// How long to wait, with nothing sent, included or finalized, before giving up on the
	/// rest.
	pub stall: Duration,
}

/// What sending a load did, before the chain is asked about it.
pub(crate) struct Sent {
	/// Each transaction's track.
	pub tracks: HashMap<H256, Track>,
	/// Transactions the node refused, by reason.
	pub refused: BTreeMap<String, usize>,
	/// Transactions not sent because an earlier one of their sender was refused.
	pub not_sent: usize,
	/// From the first transaction sent to the last.
	pub sending: Duration,
}

/// Spaces sends `1 / rate` apart, across every sender.
struct Pacer {
	every: Option<Duration>,
	next: tokio::sync::Mutex<Instant>,
}

impl Pacer {
	fn new(rate: Option<f64>) -> Self {
		let every = rate.filter(|r| *r > 0.0).map(|r| Duration::from_secs_f64(1.0 / r));
		Self { every, next: tokio::sync::Mutex::new(Instant::now()) }
	}

	async fn wait(&self) {
		let Some(every) = self.every else { return };
		let at = {
			let mut next = self.next.lock().await;
			let at = (*next).max(Instant::now());
			*next = at + every;
			at
		};
		tokio::time::sleep_until(at.into()).await;
	}
}

fn unix_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or_default()
}

/// Whether the node refused `message` only because its pool is full: worth sending again.
fn pool_is_full(message: &str) -> bool {
	message.contains("1016") || message.contains("Immediately Dropped") || message.contains("1014")
}

/// The refusal's reason, without what differs from one transaction to the next.
fn refusal(message: &str) -> String {
	let reason = crate::chain::pool_reason(message);
	reason.split(" (data:").next().unwrap_or(&reason).trim().to_string()
}

/// What one sender's task ends with: its refusals, and how many it did not send after one.
struct SenderEnd {
	refused: Option<String>,
	not_sent: usize,
}

/// Sends `queue` in order; stops at the first refusal that is not a full pool.
async fn send_queue(
	chain: Arc<Chain>,
	queue: Queue,
	tracks: Tracks,
	pacer: Arc<Pacer>,
	slots: Arc<Semaphore>,
) -> SenderEnd {
	let total = queue.len();
	for (i, Prepared { hash, hex }) in queue.into_iter().enumerate() {
		match slots.acquire().await {
			Ok(permit) => permit.forget(),
			Err(_) => return SenderEnd { refused: None, not_sent: total - i },
		}
		pacer.wait().await;
		loop {
			let answer: std::result::Result<H256, _> =
				chain.rpc().request("author_submitExtrinsic", rpc_params![&hex]).await;
			match answer {
				Ok(_) => {
					let mut tracks = tracks.lock().unwrap_or_else(|p| p.into_inner());
					tracks.entry(hash).or_default().sent = Some((Instant::now(), unix_ms()));
					break;
				},
				Err(e) if pool_is_full(&e.to_string()) => {
					if slots.is_closed() {
						// The load is over: the pool never made room.
						return SenderEnd { refused: None, not_sent: total - i };
					}
					tokio::time::sleep(FULL_POOL_PAUSE).await;
				},
				Err(e) => {
					slots.add_permits(1);
					return SenderEnd {
						refused: Some(refusal(&e.to_string())),
						not_sent: total - i - 1,
					};
				},
			}
		}
	}
	SenderEnd { refused: None, not_sent: 0 }
}

/// The chain's blocks, as a subscription yields them.
type BlockStream = subxt::client::Blocks<subxt::SubstrateConfig>;

/// The hashes of block `number`'s extrinsics.
async fn extrinsic_hashes(chain: &Chain, number: u64) -> Result<Vec<H256>> {
	let at = chain.api().at_block(number).await.map_err(|e| follow_error(&e))?;
	let extrinsics = at.extrinsics().fetch().await.map_err(|e| follow_error(&e))?;
	Ok(extrinsics.iter().flatten().map(|extrinsic| extrinsic.hash()).collect())
}

/// Marks the load's transactions in each new best block as included, when it is seen.
async fn follow_best(chain: Arc<Chain>, mut blocks: BlockStream, tracks: Tracks) -> Result<()> {
	while let Some(block) = blocks.next().await {
		let block = block.map_err(|e| follow_error(&e))?;
		let seen = Instant::now();
		let hashes = extrinsic_hashes(&chain, block.number()).await?;
		let mut tracks = tracks.lock().unwrap_or_else(|p| p.into_inner());
		for hash in hashes {
			if let Some(track) = tracks.get_mut(&hash) {
				track.in_block.get_or_insert((seen, block.number()));
			}
		}
	}
	Ok(())
}

/// Marks the load's transactions in every block up to each new finalized block as final (and
/// as included, if the best blocks did not show them), freeing their slots: the node's pool
/// keeps a transaction until its block is final, and a full pool makes room by dropping the
/// transactions it ranks lowest, which leaves their senders' later ones waiting for ever.
async fn follow_finalized(
	chain: Arc<Chain>,
	mut blocks: BlockStream,
	tracks: Tracks,
	slots: Arc<Semaphore>,
) -> Result<()> {
	let mut last: Option<u64> = None;
	while let Some(block) = blocks.next().await {
		let number = block.map_err(|e| follow_error(&e))?.number();
		let seen = Instant::now();
		// Every block since the last one seen final, in case the subscription skipped some.
		let first = last.map_or(number, |last| last + 1);
		let mut finalized = 0;
		for n in first..=number {
			let hashes = extrinsic_hashes(&chain, n).await?;
			let mut tracks = tracks.lock().unwrap_or_else(|p| p.into_inner());
			for hash in hashes {
				if let Some(track) = tracks.get_mut(&hash) {
					track.in_block.get_or_insert((seen, n));
					if track.finalized.is_none() {
						track.finalized = Some(seen);
						finalized += 1;
					}
				}
			}
		}
		last = Some(number);
		slots.add_permits(finalized);
	}
	Ok(())
}

fn follow_error(e: &dyn std::fmt::Display) -> Error {
	Error::Chain(format!("cannot follow the chain's blocks: {e}"))
}

/// Sends every queue of `queues` at `pace` and follows the blocks until every transaction sent
/// is finalized, or nothing was sent, included or finalized for `pace.stall`.
pub(crate) async fn send_load(chain: Arc<Chain>, queues: Vec<Queue>, pace: &Pace) -> Result<Sent> {
	let mut tracks: HashMap<H256, Track> = HashMap::new();
	for queue in &queues {
		for tx in queue {
			tracks.insert(tx.hash, Track::default());
		}
	}
	let tracks: Tracks = Arc::new(Mutex::new(tracks));
	// Hex of the SCALE bytes, with its `0x`.
	let largest = queues.iter().flatten().map(|tx| tx.hex.len() / 2).max().unwrap_or(1);
	let slots = Arc::new(Semaphore::new(in_flight_slots(pace.in_flight, largest)));
	let pacer = Arc::new(Pacer::new(pace.rate));
	// Following the blocks starts before the first transaction goes out.
	let best_blocks = chain.api().stream_best_blocks().await.map_err(|e| follow_error(&e))?;
	let final_blocks = chain.api().stream_blocks().await.map_err(|e| follow_error(&e))?;
	let best = tokio::spawn(follow_best(chain.clone(), best_blocks, tracks.clone()));
	let finalized =
		tokio::spawn(follow_finalized(chain.clone(), final_blocks, tracks.clone(), slots.clone()));
	let senders: Vec<_> = queues
		.into_iter()
		.map(|queue| {
			tokio::spawn(send_queue(
				chain.clone(),
				queue,
				tracks.clone(),
				pacer.clone(),
				slots.clone(),
			))
		})
		.collect();

	// Until every transaction sent is final, or neither the node nor the chain takes more.
	let mut last_progress = (Instant::now(), 0usize);
	loop {
		tokio::time::sleep(Duration::from_millis(200)).await;
		if best.is_finished() || finalized.is_finished() {
			slots.close();
			for follower in [best, finalized] {
				if follower.is_finished() {
					follower
						.await
						.map_err(|e| Error::Chain(format!("a follower stopped: {e}")))??;
				}
			}
			return Err(Error::Chain("the node stopped telling its blocks".into()));
		}
		let (sent, in_block, final_) = {
			let tracks = tracks.lock().unwrap_or_else(|p| p.into_inner());
			let count = |f: &dyn Fn(&Track) -> bool| tracks.values().filter(|t| f(t)).count();
			(
				count(&|t| t.sent.is_some()),
				count(&|t| t.in_block.is_some()),
				count(&|t| t.finalized.is_some()),
			)
		};
		let senders_done = senders.iter().all(|s| s.is_finished());
		if senders_done && final_ == sent && in_block == sent {
			break;
		}
		let progress = sent + in_block + final_;
		if progress > last_progress.1 {
			last_progress = (Instant::now(), progress);
		} else if last_progress.0.elapsed() > pace.stall {
			break;
		}
	}
	// Senders still waiting for a slot are told there is none.
	slots.close();
	let mut refused = BTreeMap::new();
	let mut not_sent = 0;
	for sender in senders {
		match sender.await {
			Ok(end) => {
				not_sent += end.not_sent;
				if let Some(reason) = end.refused {
					*refused.entry(reason).or_insert(0) += 1;
				}
			},
			Err(e) => return Err(Error::Chain(format!("a sender stopped: {e}"))),
		}
	}
	best.abort();
	finalized.abort();
	let tracks = std::mem::take(&mut *tracks.lock().unwrap_or_else(|p| p.into_inner()));
	let times: Vec<Instant> = tracks.values().filter_map(|t| t.sent.map(|(at, _)| at)).collect();
	let sending = match (times.iter().min(), times.iter().max()) {
		(Some(first), Some(last)) => last.duration_since(*first),
		_ => Duration::ZERO,
	};
	Ok(Sent { tracks, refused, not_sent, sending })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn only_a_full_pool_is_worth_sending_again() {
		assert!(pool_is_full(
			"RPC error: 1016: Immediately Dropped: The transaction couldn't enter the pool because of the limit"
		));
		assert!(pool_is_full("1014: Priority is too low: (4 vs 4)"));
		assert!(!pool_is_full("1010: Invalid Transaction: Custom error: 1"));
		assert!(refusal("1010: Invalid Transaction: Custom error: 1").contains("quota"));
	}

	#[test]
	fn transactions_in_flight_stay_within_the_pools_bytes() {
		assert_eq!(in_flight_slots(6_000, 300), 6_000);
		// Batches of 64 entries, some 17 KB each: about a thousand fit.
		assert_eq!(in_flight_slots(6_000, 17_000), POOL_BYTES / 17_000);
		assert!(in_flight_slots(6_000, 17_000) * 17_000 <= POOL_BYTES);
		assert_eq!(in_flight_slots(0, 300), 1);
		assert_eq!(in_flight_slots(10, POOL_BYTES * 2), 1);
	}

	#[tokio::test]
	async fn a_rate_spaces_sends() {
		let pacer = Pacer::new(Some(100.0));
		let start = Instant::now();
		for _ in 0..6 {
			pacer.wait().await;
		}
		// Six sends at 100 a second: the sixth no sooner than 50 ms after the first.
		assert!(start.elapsed() >= Duration::from_millis(50));
		assert_eq!(Pacer::new(None).every, None, "as fast as the node takes them");
		assert_eq!(Pacer::new(Some(0.0)).every, None);
	}
}
