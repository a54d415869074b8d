//! Storage version 1 → 2: hospitals name their nodes.
//!
//! [`Hospitals`] gain a `node`; the hospitals of version 1 have none until they name it with
//! `set_node`, and until every one has, every node stays open to any peer (see
//! [`Pallet::authorized_peers`]). [`Nodes`] starts empty. No other stored type changes.

use crate::{pallet::*, Hospital};
#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
use frame::{
	deps::frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade},
	prelude::*,
};

/// A hospital as version 1 stored it: no node.
#[derive(codec::Decode)]
pub struct HospitalV1<Name, BlockNumber> {
	name: Name,
	admitted_at: BlockNumber,
}

/// Gives every hospital an empty node.
pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut hospitals = 0u64;
		Hospitals::<T>::translate::<HospitalV1<HospitalNameOf<T>, BlockNumberFor<T>>, _>(
			|_, old| {
				hospitals = hospitals.saturating_add(1);
				Some(Hospital { name: old.name, admitted_at: old.admitted_at, node: None })
			},
		);
		T::DbWeight::get().reads_writes(hospitals, hospitals)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, frame::try_runtime::TryRuntimeError> {
		use codec::Encode;
		Ok((Hospitals::<T>::iter_keys().count() as u32).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
		let before = u32::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")?;
		let after = Hospitals::<T>::iter_values().collect::<Vec<_>>();
		ensure!(after.len() as u32 == before, "every hospital is kept");
		ensure!(after.iter().all(|h| h.node.is_none()), "no hospital has a node yet");
		Pallet::<T>::do_try_state().map_err(Into::into)
	}
}

/// [`InnerMigrateV1ToV2`], run only on storage version 1, which it sets to 2.
pub type MigrateV1ToV2<T> = VersionedMigration<
	1,
	2,
	InnerMigrateV1ToV2<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
