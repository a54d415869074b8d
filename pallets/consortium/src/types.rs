//! The consortium's stored types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A hospital of the consortium.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Hospital<Name, BlockNumber> {
	/// Its name, as the others know it.
	pub name: Name,
	/// The block in which the consortium admitted it (zero for the founders).
	pub admitted_at: BlockNumber,
}

/// The share of the hospitals a motion needs: at least `ayes` of every `of` of them.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct Threshold {
	/// Ayes needed per `of` hospitals.
	pub ayes: u32,
	/// The hospitals the `ayes` are counted against.
	pub of: u32,
}

impl Threshold {
	/// Two thirds of the hospitals.
	pub const TWO_THIRDS: Self = Self { ayes: 2, of: 3 };

	/// Whether the consortium may set it: more than half of the hospitals (so that no two
	/// disjoint groups can both decide) and at most all of them.
	pub fn is_valid(&self) -> bool {
		self.ayes <= self.of && u64::from(self.ayes) * 2 > u64::from(self.of)
	}

	/// Whether `ayes` votes of `seats` hospitals meet it.
	pub fn is_met(&self, ayes: u32, seats: u32) -> bool {
		self.is_valid()
			&& ayes <= seats
			&& u64::from(ayes) * u64::from(self.of) >= u64::from(self.ayes) * u64::from(seats)
	}

	/// The fewest ayes of `seats` hospitals that meet it (at least one).
	pub fn ayes_needed(&self, seats: u32) -> u32 {
		if !self.is_valid() {
			return seats.max(1);
		}
		let needed = (u64::from(self.ayes) * u64::from(seats)).div_ceil(u64::from(self.of));
		u32::try_from(needed).unwrap_or(seats).max(1)
	}
}
