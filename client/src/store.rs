//! Off-chain stores of ciphertext blobs, named by their SHA-256.
//!
//! A blob lives at `sha256/<hex>` in every configured replica: a local directory, or an
//! S3-compatible bucket (`s3://bucket/prefix`, configured by the `AWS_*` environment variables).
//! Blobs are streamed both ways and never held whole in memory. A read checks the hash of what it
//! got: a replica whose copy is missing or does not match is reported, the next one is tried,
//! and once a good copy is found every bad replica is repaired from it. A write checks too: a
//! replica that already holds a blob of the right size is hashed before it is skipped, and its
//! copy rewritten if it does not match.

use std::{
	fs::File,
	io::{Read, Write},
	path::{Path, PathBuf},
	sync::Arc,
};

use futures::StreamExt;
use object_store::{path::Path as ObjectPath, ObjectStore, PutPayload, WriteMultipart};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// Blobs up to this size are written in one request; larger ones in parts of this size.
const PART: usize = 8 * 1024 * 1024;
/// Bytes read from a local file per write.
const READ_BUF: usize = 1024 * 1024;

/// The storage locator recorded on chain for a blob: its place in every replica.
pub fn locator(hash: &[u8; 32]) -> String {
	format!("sha256/{}", hex::encode(hash))
}

/// The blob hash a locator names, if it is one of ours.
pub fn parse_locator(locator: &[u8]) -> Option<[u8; 32]> {
	let text = std::str::from_utf8(locator).ok()?;
	let hex = text.strip_prefix("sha256/")?;
	let mut out = [0u8; 32];
	hex::decode_to_slice(hex, &mut out).ok()?;
	Some(out)
}

struct Replica {
	url: String,
	store: Arc<dyn ObjectStore>,
}

/// The state one replica was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicaState {
	/// Held a copy whose hash matched.
	Good,
	/// Held no copy.
	Missing,
	/// Held a copy whose hash did not match.
	Corrupt,
	/// Could not be read.
	Unreachable,
	/// Was missing or corrupt and now holds a good copy.
	Repaired,
	/// Was missing or corrupt and could not be repaired.
	RepairFailed,
	/// Not looked at: a good copy was found before it.
	NotChecked,
}

/// What a fetch or check found in each replica.
#[derive(Debug, Clone, Serialize)]
pub struct ReplicaReport {
	/// The replica.
	pub store: String,
	/// What it held.
	pub state: ReplicaState,
}

/// The configured replicas.
pub struct Stores {
	replicas: Vec<Replica>,
}

impl Stores {
	/// Opens each store URL: a directory path (created if absent), `file:///dir`, or
	/// `s3://bucket/prefix`.
	pub fn open(urls: &[String]) -> Result<Self> {
		if urls.is_empty() {
			return Err(Error::Config("no off-chain store is configured".into()));
		}
		let mut replicas = Vec::new();
		for url in urls {
			let fail = |reason: String| Error::Store { store: url.clone(), reason };
			let store: Arc<dyn ObjectStore> = if url.starts_with("s3://") {
				let (bucket_url, prefix) = split_prefix(url);
				let s3 = object_store::aws::AmazonS3Builder::from_env()
					.with_url(bucket_url)
					.build()
					.map_err(|e| fail(e.to_string()))?;
				match prefix {
					Some(prefix) => Arc::new(object_store::prefix::PrefixStore::new(s3, prefix)),
					None => Arc::new(s3),
				}
			} else {
				let dir = PathBuf::from(url.strip_prefix("file://").unwrap_or(url));
				std::fs::create_dir_all(&dir).map_err(|e| fail(e.to_string()))?;
				Arc::new(
					object_store::local::LocalFileSystem::new_with_prefix(&dir)
						.map_err(|e| fail(e.to_string()))?,
				)
			};
			replicas.push(Replica { url: url.clone(), store });
		}
		Ok(Self { replicas })
	}

	/// The replicas' URLs.
	pub fn urls(&self) -> Vec<String> {
		self.replicas.iter().map(|r| r.url.clone()).collect()
	}

	/// Writes the local file `path`, whose SHA-256 is `hash`, to every replica that does not
	/// already hold a good copy of it. A copy of the right size is read back and hashed before
	/// it is trusted, so a damaged one is rewritten rather than kept. Writing to a replica is
	/// atomic: a failed upload leaves no blob behind.
	pub async fn put_file(
		&self,
		hash: &[u8; 32],
		path: &Path,
		progress: &(dyn Fn(u64) + Sync),
	) -> Result<()> {
		let name = ObjectPath::from(locator(hash));
		let size = std::fs::metadata(path)?.len();
		for replica in &self.replicas {
			if let Ok(meta) = replica.store.head(&name).await {
				if meta.size == size && holds_good_copy(replica, &name, hash).await {
					progress(size);
					continue;
				}
			}
			upload(replica, &name, path, size, progress)
				.await
				.map_err(|reason| Error::Store { store: replica.url.clone(), reason })?;
		}
		Ok(())
	}

	/// Streams the blob `hash` from the first replica whose copy matches into `dest`, and repairs
	/// every replica found missing or corrupt on the way. With `check_all`, every replica is
	/// checked, not only those before the first good one.
	pub async fn fetch(
		&self,
		hash: &[u8; 32],
		dest: &Path,
		check_all: bool,
		progress: &(dyn Fn(u64) + Sync),
	) -> Result<Vec<ReplicaReport>> {
		let name = ObjectPath::from(locator(hash));
		let mut states = vec![ReplicaState::NotChecked; self.replicas.len()];
		let mut good = false;
		for (i, replica) in self.replicas.iter().enumerate() {
			if good && !check_all {
				break;
			}
			// Once a good copy is in `dest`, later replicas are checked into a scratch file.
			let scratch;
			let target = if good {
				scratch = tempfile::NamedTempFile::new_in(dest.parent().unwrap_or(Path::new(".")))?;
				scratch.path().to_path_buf()
			} else {
				dest.to_path_buf()
			};
			states[i] = download(replica, &name, &target, hash, progress).await;
			if states[i] == ReplicaState::Good {
				good = true;
			}
		}
		if !good {
			return Err(Error::NoGoodReplica(locator(hash)));
		}
		let size = std::fs::metadata(dest)?.len();
		for (i, replica) in self.replicas.iter().enumerate() {
			if matches!(states[i], ReplicaState::Missing | ReplicaState::Corrupt) {
				states[i] = match upload(replica, &name, dest, size, &|_| {}).await {
					Ok(()) => ReplicaState::Repaired,
					Err(_) => ReplicaState::RepairFailed,
				};
			}
		}
		Ok(self
			.replicas
			.iter()
			.zip(states)
			.map(|(r, state)| ReplicaReport { store: r.url.clone(), state })
			.collect())
	}
}

impl Stores {
	/// The blob `hash` from the first replica that holds a matching copy of at most `max`
	/// bytes, in memory: for small blobs (messages), where a copy larger than any such blob
	/// can be is not read beyond `max` bytes. The replicas before it that were missing the blob
	/// or held a bad copy are repaired from it.
	pub async fn fetch_small(&self, hash: &[u8; 32], max: usize) -> Result<Vec<u8>> {
		let name = ObjectPath::from(locator(hash));
		let mut bad = Vec::new();
		for replica in &self.replicas {
			let result = match replica.store.get(&name).await {
				Ok(result) => result,
				Err(object_store::Error::NotFound { .. }) => {
					bad.push(replica);
					continue;
				},
				Err(_) => continue,
			};
			let mut bytes = Vec::new();
			let mut stream = result.into_stream();
			let mut fits = true;
			while let Some(chunk) = stream.next().await {
				let Ok(chunk) = chunk else {
					fits = false;
					break;
				};
				if bytes.len() + chunk.len() > max {
					fits = false;
					break;
				}
				bytes.extend_from_slice(&chunk);
			}
			if fits && Sha256::digest(&bytes).as_slice() == hash {
				for replica in bad {
					// A repair that fails leaves the replica as it was; the blob was read.
					let _ = replica.store.put(&name, PutPayload::from(bytes.clone())).await;
				}
				return Ok(bytes);
			}
			bad.push(replica);
		}
		Err(Error::NoGoodReplica(locator(hash)))
	}
}

fn split_prefix(url: &str) -> (String, Option<String>) {
	let rest = url.trim_start_matches("s3://");
	match rest.split_once('/') {
		Some((bucket, prefix)) if !prefix.trim_matches('/').is_empty() => {
			(format!("s3://{bucket}"), Some(prefix.trim_matches('/').to_string()))
		},
		_ => (format!("s3://{}", rest.trim_end_matches('/')), None),
	}
}

async fn upload(
	replica: &Replica,
	name: &ObjectPath,
	path: &Path,
	size: u64,
	progress: &(dyn Fn(u64) + Sync),
) -> Result<(), String> {
	let mut file = File::open(path).map_err(|e| e.to_string())?;
	if size <= PART as u64 {
		let mut bytes = Vec::with_capacity(size as usize);
		file.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
		replica.store.put(name, PutPayload::from(bytes)).await.map_err(|e| e.to_string())?;
		progress(size);
		return Ok(());
	}
	let upload = replica.store.put_multipart(name).await.map_err(|e| e.to_string())?;
	let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
	let mut buf = vec![0u8; READ_BUF];
	loop {
		let n = match file.read(&mut buf) {
			Ok(0) => break,
			Ok(n) => n,
			Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
			Err(e) => {
				let _ = writer.abort().await;
				return Err(e.to_string());
			},
		};
		// At most two parts in flight keeps memory bounded whatever the file's size.
		if let Err(e) = writer.wait_for_capacity(2).await {
			return Err(e.to_string());
		}
		writer.write(&buf[..n]);
		progress(n as u64);
	}
	writer.finish().await.map_err(|e| e.to_string())?;
	Ok(())
}

/// Whether `replica`'s copy of `name` hashes to `hash`, read as a stream.
async fn holds_good_copy(replica: &Replica, name: &ObjectPath, hash: &[u8; 32]) -> bool {
	let Ok(result) = replica.store.get(name).await else { return false };
	let mut hasher = Sha256::new();
	let mut stream = result.into_stream();
	while let Some(chunk) = stream.next().await {
		let Ok(chunk) = chunk else { return false };
		hasher.update(&chunk);
	}
	<[u8; 32]>::from(hasher.finalize()) == *hash
}

async fn download(
	replica: &Replica,
	name: &ObjectPath,
	target: &Path,
	hash: &[u8; 32],
	progress: &(dyn Fn(u64) + Sync),
) -> ReplicaState {
	let result = match replica.store.get(name).await {
		Ok(result) => result,
		Err(object_store::Error::NotFound { .. }) => return ReplicaState::Missing,
		Err(_) => return ReplicaState::Unreachable,
	};
	let Ok(mut out) = File::create(target) else { return ReplicaState::Unreachable };
	let mut hasher = Sha256::new();
	let mut stream = result.into_stream();
	while let Some(chunk) = stream.next().await {
		let Ok(chunk) = chunk else { return ReplicaState::Unreachable };
		hasher.update(&chunk);
		if out.write_all(&chunk).is_err() {
			return ReplicaState::Unreachable;
		}
		progress(chunk.len() as u64);
	}
	if out.flush().is_err() {
		return ReplicaState::Unreachable;
	}
	if <[u8; 32]>::from(hasher.finalize()) == *hash {
		ReplicaState::Good
	} else {
		ReplicaState::Corrupt
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn stores(dirs: &[&Path]) -> Stores {
		Stores::open(&dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>()).unwrap()
	}

	fn blob(dir: &Path, data: &[u8]) -> ([u8; 32], PathBuf) {
		let path = dir.join("blob");
		std::fs::write(&path, data).unwrap();
		(crate::crypto::sha256(data), path)
	}

	#[tokio::test]
	async fn a_flipped_bit_and_a_missing_copy_are_repaired_from_a_good_one() {
		let tmp = tempfile::tempdir().unwrap();
		let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
		let stores = stores(&[&a, &b, &c]);
		let data: Vec<u8> = (0..100_000u32).map(|i| i as u8).collect();
		let (hash, path) = blob(tmp.path(), &data);
		stores.put_file(&hash, &path, &|_| {}).await.unwrap();
		let in_a = a.join(locator(&hash));
		let mut damaged = std::fs::read(&in_a).unwrap();
		damaged[500] ^= 0x01;
		std::fs::write(&in_a, damaged).unwrap();
		std::fs::remove_file(b.join(locator(&hash))).unwrap();

		let out = tmp.path().join("out");
		let report = stores.fetch(&hash, &out, true, &|_| {}).await.unwrap();
		let states: Vec<_> = report.iter().map(|r| r.state).collect();
		assert_eq!(states, [ReplicaState::Repaired, ReplicaState::Repaired, ReplicaState::Good]);
		assert_eq!(std::fs::read(&out).unwrap(), data);
		assert_eq!(std::fs::read(&in_a).unwrap(), data);
		assert_eq!(std::fs::read(b.join(locator(&hash))).unwrap(), data);
	}

	#[tokio::test]
	async fn put_file_rewrites_a_same_size_corrupt_replica() {
		let tmp = tempfile::tempdir().unwrap();
		let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
		let stores = stores(&[&a, &b]);
		let data: Vec<u8> = (0..(PART as u32 + 1000)).map(|i| (i % 251) as u8).collect();
		let (hash, path) = blob(tmp.path(), &data);
		stores.put_file(&hash, &path, &|_| {}).await.unwrap();
		let in_b = b.join(locator(&hash));
		let mut damaged = data.clone();
		damaged[PART + 10] ^= 0x80;
		std::fs::write(&in_b, &damaged).unwrap();

		stores.put_file(&hash, &path, &|_| {}).await.unwrap();
		assert!(std::fs::read(&in_b).unwrap() == data, "the corrupt copy is rewritten");
		assert!(std::fs::read(a.join(locator(&hash))).unwrap() == data);
	}

	#[tokio::test]
	async fn no_good_copy_is_an_error() {
		let tmp = tempfile::tempdir().unwrap();
		let a = tmp.path().join("a");
		let stores = stores(&[&a]);
		let (hash, path) = blob(tmp.path(), b"ciphertext");
		let out = tmp.path().join("out");
		assert!(matches!(
			stores.fetch(&hash, &out, false, &|_| {}).await,
			Err(Error::NoGoodReplica(_))
		));
		stores.put_file(&hash, &path, &|_| {}).await.unwrap();
		std::fs::write(a.join(locator(&hash)), b"ciphertexT").unwrap();
		assert!(matches!(
			stores.fetch(&hash, &out, false, &|_| {}).await,
			Err(Error::NoGoodReplica(_))
		));
	}

	#[tokio::test]
	async fn small_fetches_repair_bad_copies_and_skip_oversized_ones() {
		let tmp = tempfile::tempdir().unwrap();
		let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
		let stores = stores(&[&a, &b]);
		let (hash, path) = blob(tmp.path(), b"a sealed message");
		stores.put_file(&hash, &path, &|_| {}).await.unwrap();
		std::fs::write(a.join(locator(&hash)), b"a sealed messagE").unwrap();
		assert_eq!(stores.fetch_small(&hash, 64).await.unwrap(), b"a sealed message");
		assert_eq!(std::fs::read(a.join(locator(&hash))).unwrap(), b"a sealed message");
		std::fs::write(a.join(locator(&hash)), b"a sealed messagE").unwrap();
		assert!(matches!(stores.fetch_small(&hash, 8).await, Err(Error::NoGoodReplica(_))));
		assert!(matches!(stores.fetch_small(&[0; 32], 64).await, Err(Error::NoGoodReplica(_))));
	}

	#[tokio::test]
	async fn large_blobs_go_up_in_parts() {
		let tmp = tempfile::tempdir().unwrap();
		let stores = stores(&[&tmp.path().join("a")]);
		let data = vec![0xa5u8; PART * 2 + 17];
		let (hash, path) = blob(tmp.path(), &data);
		stores.put_file(&hash, &path, &|_| {}).await.unwrap();
		let out = tmp.path().join("out");
		stores.fetch(&hash, &out, false, &|_| {}).await.unwrap();
		assert_eq!(std::fs::read(out).unwrap(), data);
	}

	#[test]
	fn locators_round_trip() {
		let hash = [0xabu8; 32];
		assert_eq!(parse_locator(locator(&hash).as_bytes()), Some(hash));
		assert_eq!(parse_locator(b"https://elsewhere"), None);
		assert_eq!(split_prefix("s3://b/p/q/"), ("s3://b".into(), Some("p/q".into())));
		assert_eq!(split_prefix("s3://b"), ("s3://b".into(), None));
	}
}
