//! Origins this pallet provides for the runtime to wire up.

use crate::pallet::*;
use core::marker::PhantomData;
use frame::prelude::*;

/// A signed origin whose account is an administrator that may act (a hospital's admin only
/// while its hospital is in the consortium); succeeds with the account.
pub struct EnsureAdmin<T>(PhantomData<T>);

impl<T: Config> EnsureOrigin<T::RuntimeOrigin> for EnsureAdmin<T> {
	type Success = T::AccountId;

	fn try_origin(origin: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		origin.into().and_then(|raw| match raw {
			frame_system::RawOrigin::Signed(who) if Pallet::<T>::serving_admin(&who).is_some() => {
				Ok(who)
			},
			other => Err(other.into()),
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		// A hospital's admin where the chain has a hospital: the scope checks then read the
		// consortium's members too, the most an admin's call reads.
		let admin: T::AccountId = frame::benchmarking::prelude::account("admin", 0, 0);
		if !Admins::<T>::contains_key(&admin) {
			Pallet::<T>::do_add_admin(admin.clone(), T::BenchmarkHelper::hospital())
				.map_err(|_| ())?;
		}
		Ok(frame_system::RawOrigin::Signed(admin).into())
	}
}

/// A signed origin whose account is a hospital of the consortium ([`Config::Hospitals`]);
/// succeeds with the account.
pub struct EnsureHospital<T>(PhantomData<T>);

impl<T: Config> EnsureOrigin<T::RuntimeOrigin> for EnsureHospital<T> {
	type Success = T::AccountId;

	fn try_origin(origin: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		origin.into().and_then(|raw| match raw {
			frame_system::RawOrigin::Signed(who) if T::Hospitals::contains(&who) => Ok(who),
			other => Err(other.into()),
		})
	}

	/// Benchmarks run on a runtime whose consortium has hospitals: they sign as the first
	/// one the helper names.
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		let hospital = T::BenchmarkHelper::hospital().ok_or(())?;
		Ok(frame_system::RawOrigin::Signed(hospital).into())
	}
}
