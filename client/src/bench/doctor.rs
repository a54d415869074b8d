//! A doctor's wait: one document at a time through the whole of [`Client::add_documents`]
//! (encrypt, store, mine, send, finalized), timed from the call to its return, as a doctor
//! waits from pressing enter.

use std::{io::Write, time::Instant};

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
		let dir = tempfile::tempdir()?;
		let mut waits = Vec::with_capacity(documents);
		let mut blocks = Vec::with_capacity(documents);
		for i in 0..documents {
			let path = dir.path().join(format!("note-{i}.bin"));
			let mut bytes = vec![0u8; size];
			OsRng.try_fill_bytes(&mut bytes).map_err(|e| Error::Random(e.to_string()))?;
			std::fs::File::create(&path)?.write_all(&bytes)?;
			let pressed = Instant::now();
			let added = self
				.add_documents(doctor, &patient, &[(path, DocumentKind::ClinicalNote)], None)
				.await?;
			waits.push(pressed.elapsed());
			blocks.extend(added.iter().map(|a| u64::from(a.entry.block)));
		}
		Ok(DoctorReport { documents, size, to_final: Latency::of(waits), blocks })
	}
}
