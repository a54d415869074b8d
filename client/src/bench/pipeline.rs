//! The client's own work on a document, measured against the raw speed of its parts: SHA-256
//! and XChaCha20-Poly1305 over memory, then sealing a file (hashing it, then encrypting it,
//! reading it twice) and writing the sealed blob to every store, as an upload does.

use std::{io::Write, time::Instant};

use chacha20poly1305::{
	aead::{AeadInPlace, KeyInit},
	XChaCha20Poly1305, XNonce,
};
use rand_core::{OsRng, TryRngCore};
use serde::Serialize;

use crate::{
	client::Client,
	crypto::{self, Secret32, CHUNK},
	documents::seal_file,
	Error, Result,
};

/// One step's speed.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
	/// What was measured.
	pub step: &'static str,
	/// Seconds it took.
	pub seconds: f64,
	/// Megabytes (10^6 bytes) of the document per second.
	pub mb_per_second: f64,
}

/// The pipeline's speed on one document.
#[derive(Debug, Clone, Serialize)]
pub struct PipelineReport {
	/// Bytes of the document.
	pub size: usize,
	/// Each step, raw primitives first.
	pub steps: Vec<Step>,
}

fn step(name: &'static str, size: usize, started: Instant) -> Step {
	let seconds = started.elapsed().as_secs_f64();
	let mb_per_second = if seconds > 0.0 { size as f64 / 1e6 / seconds } else { f64::INFINITY };
	Step { step: name, seconds, mb_per_second }
}

impl Client {
	/// Measures the pipeline on a document of `size` random bytes, written to the stores
	/// configured (as any upload's blob is: encrypted, content-addressed).
	pub async fn measure_pipeline(&self, size: usize) -> Result<PipelineReport> {
		if size == 0 {
			return Err(Error::Input("a document of 0 bytes measures nothing".into()));
		}
		let mut data = vec![0u8; size];
		OsRng.try_fill_bytes(&mut data).map_err(|e| Error::Random(e.to_string()))?;
		let mut steps = Vec::new();

		let started = Instant::now();
		let digest = crypto::sha256(&data);
		steps.push(step("SHA-256, in memory", size, started));

		let key = Secret32::random()?;
		let cipher = XChaCha20Poly1305::new(key.expose().into());
		let mut buffer = data.clone();
		let started = Instant::now();
		for (i, chunk) in buffer.chunks_mut(CHUNK).enumerate() {
			let mut nonce = [0u8; 24];
			nonce[..8].copy_from_slice(&(i as u64).to_le_bytes());
			cipher
				.encrypt_in_place_detached(XNonce::from_slice(&nonce), &digest, chunk)
				.map_err(|_| Error::Crypto("the cipher refused a chunk"))?;
		}
		steps.push(step("XChaCha20-Poly1305, in memory, 64 KiB chunks", size, started));
		drop(buffer);

		let dir = tempfile::tempdir()?;
		let path = dir.path().join("document");
		std::fs::File::create(&path)?.write_all(&data)?;
		drop(data);
		let patient = crate::chain::AccountId::from([0u8; 32]);
		let started = Instant::now();
		let (sealed, blob) = seal_file(&patient, 0, &key, &path)?;
		steps.push(step("seal: hash, then encrypt the file", size, started));

		let started = Instant::now();
		self.stores.put_file(&sealed.ciphertext_hash, blob.path(), &|_| {}).await?;
		steps.push(step("store the sealed blob in every replica", size, started));
		Ok(PipelineReport { size, steps })
	}
}
