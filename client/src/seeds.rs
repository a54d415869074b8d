//! A patient's record seeds across its key epochs, and across its moves to a new key.
//!
//! Within one chain of seeds, the seed of epoch `e` is SHA-256 of the seed of `e + 1`
//! ([`crate::crypto::SeedChain`]): whoever holds an epoch's seed derives every earlier one and
//! no later one. A patient that moves to a new signing key (one its registrar never saw) starts
//! a new chain from the new key's secret at the move's epoch, and the epochs before it cannot be
//! derived from that chain. A [`Bridge`] carries the old chain's seed of the last epoch before
//! the move; [`RecordSeeds`] are an epoch's seed with every bridge below it, which is what a
//! grantee is handed and what the patient derives from its keys.
//!
//! The byte form (inside an HPKE envelope) is `epoch (u32 LE) ‖ seed (32) ‖ count (u8) ‖
//! count × (last epoch (u32 LE) ‖ seed (32))`, bridges in ascending order.

use zeroize::Zeroizing;

use crate::{
	crypto::{earlier_seed, Secret32},
	Error,
};

/// Most bridges (moves to a new key) one set of seeds carries; it keeps an envelope within
/// the chain's envelope limit.
pub const MAX_BRIDGES: usize = 8;

/// The seed of the last epoch of a chain the patient left when it moved to a new key.
#[derive(Clone, Debug)]
pub struct Bridge {
	/// The last epoch of the old chain.
	pub last_epoch: u32,
	/// The old chain's seed of that epoch.
	pub seed: Secret32,
}

/// An epoch's record seed, with the bridges to the chains before it: everything needed to
/// derive the record key of that epoch and of every earlier one.
#[derive(Clone, Debug)]
pub struct RecordSeeds {
	epoch: u32,
	seed: Secret32,
	bridges: Vec<Bridge>,
}

impl RecordSeeds {
	/// The seeds of `epoch`, whose seed is `seed`, after the chains `bridges` closed. Bridges
	/// must be in ascending order and end before `epoch`.
	pub fn new(epoch: u32, seed: Secret32, bridges: Vec<Bridge>) -> Result<Self, Error> {
		let ascending = bridges.windows(2).all(|w| w[0].last_epoch < w[1].last_epoch);
		let below = bridges.last().is_none_or(|b| b.last_epoch < epoch);
		if !ascending || !below || bridges.len() > MAX_BRIDGES {
			return Err(Error::Crypto("the record seeds' bridges are out of order or too many"));
		}
		Ok(Self { epoch, seed, bridges })
	}

	/// The newest epoch these seeds reach.
	pub fn epoch(&self) -> u32 {
		self.epoch
	}

	/// The bridges to the chains before this one.
	pub fn bridges(&self) -> &[Bridge] {
		&self.bridges
	}

	/// The seed of `epoch`, which must not be later than [`Self::epoch`].
	pub fn seed_of(&self, epoch: u32) -> Result<Secret32, Error> {
		if epoch > self.epoch {
			return Err(Error::Crypto("a later epoch's key cannot be derived from an earlier one"));
		}
		match self.bridges.iter().find(|b| epoch <= b.last_epoch) {
			Some(bridge) => earlier_seed(&bridge.seed, bridge.last_epoch, epoch),
			None => earlier_seed(&self.seed, self.epoch, epoch),
		}
	}

	/// The byte form (see the module docs).
	pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
		let mut out = Zeroizing::new(Vec::with_capacity(37 + 36 * self.bridges.len()));
		out.extend_from_slice(&self.epoch.to_le_bytes());
		out.extend_from_slice(self.seed.expose());
		// `new` keeps the count within MAX_BRIDGES, far below 256.
		out.push(self.bridges.len() as u8);
		for bridge in &self.bridges {
			out.extend_from_slice(&bridge.last_epoch.to_le_bytes());
			out.extend_from_slice(bridge.seed.expose());
		}
		out
	}

	/// The byte form of `bridges` alone: `count (u8) ‖ count × (last epoch ‖ seed)`.
	pub fn bridges_to_bytes(bridges: &[Bridge]) -> Result<Zeroizing<Vec<u8>>, Error> {
		let seeds = Self::new(u32::MAX, Secret32([0; 32]), bridges.to_vec())?;
		Ok(Zeroizing::new(seeds.to_bytes()[36..].to_vec()))
	}

	/// Reads what [`Self::bridges_to_bytes`] wrote.
	pub fn bridges_from_bytes(bytes: &[u8]) -> Result<Vec<Bridge>, Error> {
		let mut framed = Zeroizing::new(vec![0xff; 36]);
		framed.extend_from_slice(bytes);
		Ok(Self::from_bytes(&framed)?.bridges)
	}

	/// Reads the byte form.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
		let malformed = || Error::Crypto("the record seeds are malformed");
		let (head, rest) = bytes.split_at_checked(37).ok_or_else(malformed)?;
		let epoch = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
		let seed = secret(&head[4..36]).ok_or_else(malformed)?;
		if rest.len() != usize::from(head[36]) * 36 {
			return Err(malformed());
		}
		let bridges = rest
			.chunks_exact(36)
			.map(|chunk| {
				let last_epoch = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
				secret(&chunk[4..]).map(|seed| Bridge { last_epoch, seed })
			})
			.collect::<Option<Vec<_>>>()
			.ok_or_else(malformed)?;
		Self::new(epoch, seed, bridges)
	}
}

fn secret(bytes: &[u8]) -> Option<Secret32> {
	bytes.try_into().ok().map(Secret32)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::crypto::SeedChain;

	fn chain(tag: u8) -> SeedChain {
		SeedChain::from_master(&Secret32([tag; 32]))
	}

	#[test]
	fn seeds_before_a_move_come_from_the_bridge_and_after_it_from_the_new_chain() {
		let (old, new) = (chain(1), chain(2));
		// The patient moved at epoch 3: epochs 0..=2 are the old chain's, 3.. the new one's.
		let bridge = Bridge { last_epoch: 2, seed: old.seed(2).unwrap() };
		let seeds = RecordSeeds::new(5, new.seed(5).unwrap(), vec![bridge]).unwrap();
		for epoch in 0..=2 {
			assert_eq!(seeds.seed_of(epoch).unwrap(), old.seed(epoch).unwrap());
		}
		for epoch in 3..=5 {
			assert_eq!(seeds.seed_of(epoch).unwrap(), new.seed(epoch).unwrap());
		}
		assert!(seeds.seed_of(6).is_err(), "no later epoch");
	}

	#[test]
	fn the_byte_form_round_trips_and_refuses_garbage() {
		let (old, older, new) = (chain(1), chain(3), chain(2));
		let bridges = vec![
			Bridge { last_epoch: 0, seed: older.seed(0).unwrap() },
			Bridge { last_epoch: 4, seed: old.seed(4).unwrap() },
		];
		let seeds = RecordSeeds::new(9, new.seed(9).unwrap(), bridges).unwrap();
		let again = RecordSeeds::from_bytes(&seeds.to_bytes()).unwrap();
		for epoch in 0..=9 {
			assert_eq!(again.seed_of(epoch).unwrap(), seeds.seed_of(epoch).unwrap());
		}
		let bytes = seeds.to_bytes();
		assert!(RecordSeeds::from_bytes(&bytes[..bytes.len() - 1]).is_err());
		assert!(RecordSeeds::from_bytes(&bytes[..20]).is_err());
	}

	#[test]
	fn bridges_out_of_order_or_above_the_epoch_are_refused() {
		let seed = || chain(1).seed(1).unwrap();
		let bridge = |last_epoch| Bridge { last_epoch, seed: seed() };
		assert!(RecordSeeds::new(5, seed(), vec![bridge(3), bridge(2)]).is_err());
		assert!(RecordSeeds::new(5, seed(), vec![bridge(5)]).is_err());
		assert!(RecordSeeds::new(5, seed(), vec![bridge(1), bridge(4)]).is_ok());
	}
}
