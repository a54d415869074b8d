//! A doctor's wait: one document at a time through the whole of [`Client::add_documents`]
//! (encrypt, store, mine, send, finalized), timed from the call to its return, as a doctor
//! waits from pressing enter, and split at the start of the slot whose block took the entry
//! (the block's own time): before it, the client's work and the wait for the slot; after it,
//! building and importing the block, GRANDPA, and the client's reading of the result.
//!
//! Each document is added at a random moment of a slot, as doctors press enter at any time:
//! added right after the last one returned, every document would reach the same point of
//! the next slot and wait for it the same (longer than average) time.

use std::{
	io::Write,
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use rand_core::{OsRng, TryRngCore};
use serde::Serialize;

use super::{cast::Cast, stats::Latency};
use crate::{chain::DocumentKind, client::Client, Error, Result};

/// What a doctor waited for.
#[derive(Debug, Clone, Serialize)]
pub struct DoctorReport {
	/// Documents added, one after the other.
	pub documents: usize,
	/// Bytes of each.
	pub size: usize,
	/// From the call to its return with the document's entry finalized.
	pub to_final: Option<Latency>,
	/// From the call to the start of the slot whose block took the entry: sealing, storing,
	/// mining and sending, then waiting for the slot.
	pub to_slot: Option<Latency>,
	/// From the start of that slot to the call's return: the block built, imported and
	/// finalized, and the result read.
	pub slot_to_final: Option<Latency>,
	/// The blocks the entries were finalized in.
	pub blocks: Vec<u64>,
}

impl Client {
	/// Adds `documents` documents of `size` random bytes, one at a time, as `cast`'s first
	/// professional to its first patient, and times each.
	pub async fn doctor_wait(
		&self,
		cast: &Cast,
		documents: usize,
		size: usize,
	) -> Result<DoctorReport> {
		self.check_chain_for_load()?;
		let doctor = cast
			.professionals
			.first()
			.ok_or_else(|| Error::Input("the load has no professional".into()))?;
		let patient = cast
			.patients_of(0)
			.next()
			.ok_or_else(|| Error::Input("the load's first professional has no patient".into()))?
			.account();
		let slot_ms = self.chain.state().await?.block_millis()?;
		let dir = tempfile::tempdir()?;
		let mut waits = Vec::with_capacity(documents);
		let (mut to_slot, mut slot_to_final) = (Vec::new(), Vec::new());
		let mut blocks = Vec::with_capacity(documents);
		for i in 0..documents {
			let path = dir.path().join(format!("note-{i}.bin"));
			let mut bytes = vec![0u8; size];
			OsRng.try_fill_bytes(&mut bytes).map_err(|e| Error::Random(e.to_string()))?;
			std::fs::File::create(&path)?.write_all(&bytes)?;
			tokio::time::sleep(Duration::from_millis(OsRng.try_next_u64().unwrap_or(0) % slot_ms))
				.await;
			let (pressed, pressed_ms) = (Instant::now(), unix_ms());
			let added = self
				.add_documents(doctor, &patient, &[(path, DocumentKind::ClinicalNote)], None)
				.await?;
			let (waited, returned_ms) = (pressed.elapsed(), unix_ms());
			waits.push(waited);
			for block in added.iter().map(|a| u64::from(a.entry.block)) {
				let slot_start_ms = self.chain.block_time_ms(block).await?;
				to_slot.push(Duration::from_millis(slot_start_ms.saturating_sub(pressed_ms)));
				slot_to_final
					.push(Duration::from_millis(returned_ms.saturating_sub(slot_start_ms)));
				blocks.push(block);
			}
		}
		Ok(DoctorReport {
			documents,
			size,
			to_final: Latency::of(waits),
			to_slot: Latency::of(to_slot),
			slot_to_final: Latency::of(slot_to_final),
			blocks,
		})
	}
}

/// The wall clock, Unix milliseconds, as the chain's blocks give their time.
fn unix_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}
