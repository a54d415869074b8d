//! The origin the runtime puts behind the consortium's decisions.

use crate::pallet::*;
use core::marker::PhantomData;
use frame::prelude::*;

/// A motion's origin whose ayes meet the consortium's [`ApprovalThreshold`]: how many
/// hospitals voted aye, of how many, comes from [`Config::Votes`]. Succeeds with those two
/// numbers.
pub struct EnsureApproved<T>(PhantomData<T>);

impl<T: Config> EnsureOrigin<T::RuntimeOrigin> for EnsureApproved<T> {
	type Success = (u32, u32);

	fn try_origin(origin: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		let (ayes, seats) = T::Votes::try_origin(origin.clone()).map_err(|_| origin.clone())?;
		if ApprovalThreshold::<T>::get().is_met(ayes, seats) {
			Ok((ayes, seats))
		} else {
			Err(origin)
		}
	}

	/// The backing `T::Votes` gives for benchmarks, which meets any valid threshold only if it
	/// is unanimous (as the collective's `EnsureMembers` gives).
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		T::Votes::try_successful_origin()
	}
}
