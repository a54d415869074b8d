//! Documents as files: checked before anything is sent, sealed (hashed, then encrypted) into a
//! temporary file, mined into an entry, and fetched and decrypted into a temporary file that
//! becomes the output only once the read is logged.

use std::{
	fs::File,
	io::{BufReader, Write},
	path::Path,
};

use indicatif::{ProgressBar, ProgressStyle};

use crate::{
	chain::{AccountId, Body},
	client::Client,
	crypto::{self, Secret32},
	pow,
	seeds::RecordSeeds,
	store::ReplicaReport,
	Error, Result,
};

/// A progress bar on standard error, hidden when that is not a terminal.
pub(crate) fn progress(len: u64, message: &str) -> ProgressBar {
	let bar = ProgressBar::new(len);
	if let Ok(style) = ProgressStyle::with_template(
		"{msg:>12} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} {eta}",
	) {
		bar.set_style(style.progress_chars("=> "));
	}
	bar.set_message(message.to_string());
	bar
}

/// Checks that `path` is a readable file no larger than `limit`.
pub(crate) fn check_file(path: &Path, limit: u64) -> Result<()> {
	let meta =
		std::fs::metadata(path).map_err(|_| Error::FileNotFound(path.display().to_string()))?;
	if !meta.is_file() {
		return Err(Error::FileNotFound(path.display().to_string()));
	}
	if meta.len() > limit {
		return Err(Error::FileTooLarge {
			path: path.display().to_string(),
			size: meta.len(),
			limit,
		});
	}
	Ok(())
}

/// Encrypts `path` for `patient` under `record_key` (of `epoch`) into a temporary file, reading
/// it twice (hash, then encrypt) in constant memory; returns what sealing produced and the file.
pub(crate) fn seal_file(
	patient: &AccountId,
	epoch: u32,
	record_key: &Secret32,
	path: &Path,
) -> Result<(crypto::Sealed, tempfile::NamedTempFile)> {
	let open = || File::open(path).map_err(|_| Error::FileNotFound(path.display().to_string()));
	let size = open()?.metadata()?.len();
	let bar = progress(size * 2, "encrypting");
	let (plain_hash, _) = crypto::hash_reader(BufReader::new(open()?), |n| bar.inc(n))?;
	let mut blob = tempfile::NamedTempFile::new()?;
	let sealed = crypto::encrypt(
		&patient.0,
		epoch,
		record_key,
		&plain_hash,
		BufReader::new(open()?),
		std::io::BufWriter::new(blob.as_file_mut()),
		|n| bar.inc(n),
	)?;
	bar.finish_and_clear();
	Ok((sealed, blob))
}

/// Mines `body`'s nonce on every core: returns the nonce and the entry hash.
pub(crate) fn mine(body: &Body) -> (u64, [u8; 32]) {
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	mine_on(body, threads)
}

/// Mines `body`'s nonce on `threads` threads: returns the nonce and the entry hash.
pub(crate) fn mine_on(body: &Body, threads: usize) -> (u64, [u8; 32]) {
	let encoded = codec::Encode::encode(body);
	// The nonce is the 8 bytes before the final difficulty byte.
	let split = encoded.len() - 9;
	pow::mine(&encoded[..split], &encoded[split + 8..], body.difficulty, 0, threads)
}

/// Moves decrypted `plain` to `out`, which it replaces only if `overwrite`.
pub(crate) fn release(plain: tempfile::NamedTempFile, out: &Path, overwrite: bool) -> Result<()> {
	if overwrite {
		plain.persist(out).map_err(|e| Error::Io(e.error))?;
	} else {
		plain.persist_noclobber(out).map_err(|e| Error::Io(e.error))?;
	}
	Ok(())
}

impl Client {
	/// Fetches the blob `hash` from a good replica (repairing bad ones) and decrypts it with the
	/// record key of `doc_epoch` derived from `seeds` into a temporary file next to `out`, which
	/// the caller [`release`]s once the read is logged.
	pub(crate) async fn open_blob(
		&self,
		patient: &AccountId,
		seeds: &RecordSeeds,
		doc_epoch: u32,
		hash: &[u8; 32],
		out: &Path,
	) -> Result<(crypto::Opened, Vec<ReplicaReport>, tempfile::NamedTempFile)> {
		let seed = seeds.seed_of(doc_epoch)?;
		let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
		let blob = tempfile::NamedTempFile::new()?;
		let bar = progress(0, "fetching");
		let replicas = self.stores.fetch(hash, blob.path(), false, &|n| bar.inc(n)).await?;
		bar.finish_and_clear();
		let mut plain = tempfile::NamedTempFile::new_in(dir)?;
		let bar = progress(blob.as_file().metadata()?.len(), "decrypting");
		let opened = crypto::decrypt(
			&patient.0,
			&crypto::record_key(&seed),
			BufReader::new(File::open(blob.path())?),
			std::io::BufWriter::new(plain.as_file_mut()),
			|n| bar.inc(n),
		)?;
		bar.finish_and_clear();
		plain.as_file_mut().flush()?;
		Ok((opened, replicas, plain))
	}
}

#[cfg(test)]
mod tests {
	use subxt::utils::H256;

	use super::*;
	use crate::{
		chain::{body_hash, DocumentKind},
		keys::Identity,
		store,
		views::bounded,
	};

	#[test]
	fn mining_finds_a_nonce_the_pallet_accepts() {
		let body = Body {
			index: 1,
			prev_hash: H256([1; 32]),
			content_commitment: H256([2; 32]),
			ciphertext_hash: H256([3; 32]),
			locator: bounded(store::locator(&[3; 32])),
			kind: DocumentKind::Prescription,
			author: Identity::dev("Bob").unwrap().account(),
			specialty: bounded("cardiology"),
			key_epoch: 0,
			amends: None,
			timestamp: 1_700_000_000_000,
			nonce: 0,
			difficulty: 10,
		};
		let (nonce, hash) = mine(&body);
		let mined = Body { nonce, ..body };
		assert_eq!(body_hash(&mined), hash);
		assert!(pow::leading_zero_bits(&hash) >= 10);
	}

	#[test]
	fn oversized_and_missing_files_are_refused_before_anything_is_sent() {
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("doc");
		std::fs::write(&file, vec![0u8; 100]).unwrap();
		assert!(check_file(&file, 100).is_ok());
		assert!(matches!(check_file(&file, 99), Err(Error::FileTooLarge { size: 100, .. })));
		assert!(matches!(check_file(&dir.path().join("none"), 100), Err(Error::FileNotFound(_))));
		assert!(matches!(check_file(dir.path(), 100), Err(Error::FileNotFound(_))));
	}
}
