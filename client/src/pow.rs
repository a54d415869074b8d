//! Proof of work over a record entry, on every core.
//!
//! An entry's hash is `SHA-256(SCALE(body))`, and the nonce is the body's second-to-last field,
//! so the encoding is `prefix ‖ nonce (8 bytes, little endian) ‖ suffix` with everything but the
//! nonce fixed: each try rewrites eight bytes and hashes.

use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		Mutex,
	},
	thread,
};

use sha2::{Digest, Sha256};

/// Number of leading zero bits of `hash`.
pub fn leading_zero_bits(hash: &[u8; 32]) -> u32 {
	let mut bits = 0;
	for byte in hash {
		if *byte == 0 {
			bits += 8;
		} else {
			return bits + byte.leading_zeros();
		}
	}
	bits
}

/// Finds a nonce such that `SHA-256(prefix ‖ nonce ‖ suffix)` starts with `difficulty` zero
/// bits, trying nonces from `start` on `threads` threads. Returns the nonce and the hash.
pub fn mine(
	prefix: &[u8],
	suffix: &[u8],
	difficulty: u8,
	start: u64,
	threads: usize,
) -> (u64, [u8; 32]) {
	let threads = threads.max(1) as u64;
	let found = AtomicBool::new(false);
	let best: Mutex<Option<(u64, [u8; 32])>> = Mutex::new(None);
	thread::scope(|scope| {
		for lane in 0..threads {
			let (found, best) = (&found, &best);
			scope.spawn(move || {
				let mut buf = Vec::with_capacity(prefix.len() + 8 + suffix.len());
				buf.extend_from_slice(prefix);
				buf.extend_from_slice(&[0u8; 8]);
				buf.extend_from_slice(suffix);
				let at = prefix.len();
				let mut nonce = start.wrapping_add(lane);
				let mut tries = 0u32;
				loop {
					// Checking the flag every try costs more than hashing a few extra nonces.
					tries = tries.wrapping_add(1);
					if tries.is_multiple_of(1024) && found.load(Ordering::Relaxed) {
						return;
					}
					buf[at..at + 8].copy_from_slice(&nonce.to_le_bytes());
					let hash: [u8; 32] = Sha256::digest(&buf).into();
					if leading_zero_bits(&hash) >= u32::from(difficulty) {
						let mut slot = best.lock().unwrap_or_else(|p| p.into_inner());
						// Of the nonces found, keep the lowest so the result does not depend
						// on which thread was scheduled first as often.
						if slot.is_none_or(|(n, _)| nonce < n) {
							*slot = Some((nonce, hash));
						}
						found.store(true, Ordering::Relaxed);
						return;
					}
					nonce = nonce.wrapping_add(threads);
				}
			});
		}
	});
	let result = best.lock().unwrap_or_else(|p| p.into_inner()).take();
	// Every thread only returns after one of them stored a result.
	result.unwrap_or((start, [0xff; 32]))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn mined_hashes_meet_the_difficulty() {
		for difficulty in [0u8, 1, 8, 12] {
			let (nonce, hash) = mine(b"entry body", &[difficulty], difficulty, 0, 4);
			let mut data = b"entry body".to_vec();
			data.extend_from_slice(&nonce.to_le_bytes());
			data.push(difficulty);
			assert_eq!(<[u8; 32]>::from(Sha256::digest(&data)), hash);
			assert!(leading_zero_bits(&hash) >= u32::from(difficulty));
		}
	}

	#[test]
	fn leading_zero_bits_counts_across_bytes() {
		let mut hash = [0u8; 32];
		assert_eq!(leading_zero_bits(&hash), 256);
		hash[1] = 0b0001_0000;
		assert_eq!(leading_zero_bits(&hash), 11);
		hash[0] = 0x80;
		assert_eq!(leading_zero_bits(&hash), 0);
	}
}
