//! Origins this pallet provides for the runtime to wire up.

use crate::pallet::*;
use core::marker::PhantomData;
use frame::prelude::*;

/// A signed origin whose account is one of the consortium's administrators; succeeds with the
/// account.
pub struct EnsureAdmin<T>(PhantomData<T>);

impl<T: Config> EnsureOrigin<T::RuntimeOrigin> for EnsureAdmin<T> {
	type Success = T::AccountId;

	fn try_origin(origin: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		origin.into().and_then(|raw| match raw {
			frame_system::RawOrigin::Signed(who) if Admins::<T>::contains_key(&who) => Ok(who),
			other => Err(other.into()),
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		let admin: T::AccountId = frame::benchmarking::prelude::account("admin", 0, 0);
		if !Admins::<T>::contains_key(&admin) {
			Admins::<T>::insert(&admin, ());
			AdminCount::<T>::mutate(|n| *n = n.saturating_add(1));
			Pallet::<T>::keep_account(&admin);
		}
		Ok(frame_system::RawOrigin::Signed(admin).into())
	}
}
