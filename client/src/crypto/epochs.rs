//! The seed chain of a patient's key epochs (see the keys in [`super`]): the seed of an epoch
//! gives every earlier one, never a later one.

use super::{kdf, sha256, Secret32};
use crate::Error;

/// Number of key epochs a patient has (epochs `0` to `KEY_EPOCHS - 1`): the length of the seed
/// hash chain. It must equal the runtime's `MaxKeyEpoch + 1` (`MaxKeyEpoch` = 4095), so that
/// every epoch the chain accepts has a key and the client never derives one the chain refuses.
pub const KEY_EPOCHS: u32 = 4096;

/// A patient's record seeds: the hash chain's top, from which every epoch's seed follows.
pub struct SeedChain {
	top: Secret32,
}

impl SeedChain {
	/// The chain of the patient whose record master secret is `master`.
	pub fn from_master(master: &Secret32) -> Self {
		Self { top: kdf(master.expose(), b"ehr record seed chain v2") }
	}

	/// The seed of `epoch`; there is none from [`KEY_EPOCHS`] on.
	pub fn seed(&self, epoch: u32) -> Result<Secret32, Error> {
		let last = KEY_EPOCHS - 1;
		if epoch > last {
			return Err(Error::EpochsExhausted { epochs: KEY_EPOCHS });
		}
		Ok(descend(&self.top, last - epoch))
	}
}

fn descend(seed: &Secret32, steps: u32) -> Secret32 {
	let mut current = seed.clone();
	for _ in 0..steps {
		current = Secret32(sha256(current.expose()));
	}
	current
}

/// The seed of an earlier epoch `to` from the seed of epoch `from` (`to <= from`).
pub fn earlier_seed(seed: &Secret32, from: u32, to: u32) -> Result<Secret32, Error> {
	if to > from {
		return Err(Error::Crypto("a later epoch's key cannot be derived from an earlier one"));
	}
	Ok(descend(seed, from - to))
}

/// The record key of the epoch whose seed is `seed`.
pub fn record_key(seed: &Secret32) -> Secret32 {
	kdf(seed.expose(), b"ehr record key v1")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn later_seeds_give_earlier_ones_but_never_the_reverse() {
		let chain = SeedChain::from_master(&Secret32([9u8; 32]));
		let s5 = chain.seed(5).unwrap();
		assert_eq!(earlier_seed(&s5, 5, 2).unwrap(), chain.seed(2).unwrap());
		assert!(earlier_seed(&s5, 5, 6).is_err());
		assert_ne!(record_key(&chain.seed(6).unwrap()), record_key(&s5));
		assert!(chain.seed(KEY_EPOCHS).is_err());
	}

	#[test]
	fn the_seed_chain_has_exactly_4096_epochs() {
		assert_eq!(KEY_EPOCHS, 4096, "the runtime's MaxKeyEpoch is 4095");
		let chain = SeedChain::from_master(&Secret32([9u8; 32]));
		let last = chain.seed(KEY_EPOCHS - 1).unwrap();
		assert_eq!(earlier_seed(&last, KEY_EPOCHS - 1, 0).unwrap(), chain.seed(0).unwrap());
		let beyond = chain.seed(KEY_EPOCHS).unwrap_err();
		assert!(matches!(beyond, Error::EpochsExhausted { epochs: KEY_EPOCHS }));
		assert!(beyond
			.to_string()
			.starts_with("the patient's record key cannot be rotated any more"));
	}
}
