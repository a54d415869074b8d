//! Measures the local half of adding a document, the part that grows with its size: hashing the
//! plaintext, encrypting it to a temporary file, and writing the ciphertext to two local
//! replicas. Compare with `sha256sum` of the same file.
//!
//! `cargo run --release -p ehr-client --example throughput -- 1 100` (sizes in MB).

use std::{
	io::{BufReader, Write},
	time::Instant,
};

use ehr_client::{crypto, store::Stores};

fn mb_per_s(bytes: u64, seconds: f64) -> f64 {
	bytes as f64 / 1_000_000.0 / seconds
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
	let sizes: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
	let sizes = if sizes.is_empty() { vec![1, 100] } else { sizes };
	let dir = tempfile::tempdir()?;
	let stores = Stores::open(&[
		dir.path().join("replica-a").display().to_string(),
		dir.path().join("replica-b").display().to_string(),
	])?;
	let key = crypto::Secret32::random()?;
	let patient = [7u8; 32];
	println!("size_mb,sha256_mb_s,hash_encrypt_mb_s,store_two_replicas_mb_s,end_to_end_local_mb_s");
	for mb in sizes {
		let bytes = mb * 1_000_000;
		let path = dir.path().join(format!("doc-{mb}"));
		let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
		let mut state = 0x9e37_79b9_7f4a_7c15u64;
		let mut chunk = vec![0u8; 1 << 20];
		let mut left = bytes;
		while left > 0 {
			for b in chunk.iter_mut() {
				state ^= state << 13;
				state ^= state >> 7;
				state ^= state << 17;
				*b = state as u8;
			}
			let n = left.min(chunk.len() as u64) as usize;
			file.write_all(&chunk[..n])?;
			left -= n as u64;
		}
		file.flush()?;
		drop(file);

		let start = Instant::now();
		let (hash, _) = crypto::hash_reader(BufReader::new(std::fs::File::open(&path)?), |_| {})?;
		let sha = start.elapsed().as_secs_f64();

		let start = Instant::now();
		let (hash2, _) = crypto::hash_reader(BufReader::new(std::fs::File::open(&path)?), |_| {})?;
		let mut blob = tempfile::NamedTempFile::new_in(dir.path())?;
		let sealed = crypto::encrypt(
			&patient,
			0,
			&key,
			&hash2,
			BufReader::new(std::fs::File::open(&path)?),
			std::io::BufWriter::new(blob.as_file_mut()),
			|_| {},
		)?;
		let seal = start.elapsed().as_secs_f64();
		assert_eq!(hash, hash2);

		let start = Instant::now();
		stores.put_file(&sealed.ciphertext_hash, blob.path(), &|_| {}).await?;
		let put = start.elapsed().as_secs_f64();
		println!(
			"{mb},{:.0},{:.0},{:.0},{:.0}",
			mb_per_s(bytes, sha),
			mb_per_s(bytes, seal),
			mb_per_s(bytes, put),
			mb_per_s(bytes, seal + put)
		);
	}
	Ok(())
}
