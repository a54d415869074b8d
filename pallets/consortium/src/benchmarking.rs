//! Benchmarks of every call of pallet-consortium, and of a session's end, each in its worst
//! case.

use crate::{pallet::*, NodeId, NoteStalled, Sessions};
use alloc::vec;
use frame::{
	benchmarking::prelude::*,
	deps::{
		sp_core::{crypto::KeyTypeId, ed25519},
		sp_io,
	},
	prelude::Hooks,
	traits::Hash,
};

/// A name of the longest length.
fn long_name<T: Config>() -> HospitalNameOf<T> {
	BoundedVec::truncate_from(vec![b'h'; T::MaxNameLen::get() as usize])
}

/// A node for the benchmarks' `index`th hospital (a new key in the benchmark's keystore),
/// and its proof that it may be `hospital`'s.
fn node<T: Config>(index: u32, hospital: &T::AccountId) -> (NodeId, ed25519::Signature) {
	let seed = alloc::format!("//benchmark-node-{index}").into_bytes();
	let key = sp_io::crypto::ed25519_generate(NODE_KEY_TYPE, Some(seed));
	let claim = Pallet::<T>::node_claim(hospital);
	let proof = sp_io::crypto::ed25519_sign(NODE_KEY_TYPE, &key, &claim)
		.expect("the key is in the keystore");
	(NodeId(key.0), proof)
}

/// Where the benchmarks keep node keys.
const NODE_KEY_TYPE: KeyTypeId = KeyTypeId(*b"node");

/// Admits hospitals until there are `count`.
fn hospitals<T: Config>(count: u32) -> Result<(), BenchmarkError> {
	let origin =
		T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let mut index = 0;
	while (Members::<T>::decode_len().unwrap_or(0) as u32) < count {
		let hospital: T::AccountId = account("hospital", index, 0);
		index += 1;
		if !Hospitals::<T>::contains_key(&hospital) {
			let (node, proof) = node::<T>(index, &hospital);
			Pallet::<T>::admit_hospital(origin.clone(), hospital, long_name::<T>(), node, proof)?;
		}
	}
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	// Worst case: the last seat, a name of the longest length.
	#[benchmark]
	fn admit_hospital() -> Result<(), BenchmarkError> {
		hospitals::<T>(T::MaxHospitals::get() - 1)?;
		let origin =
			T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let hospital: T::AccountId = account("joining", 0, 0);
		let (node, proof) = node::<T>(u32::MAX, &hospital);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, hospital.clone(), long_name::<T>(), node, proof);
		assert!(Hospitals::<T>::contains_key(&hospital));
		Ok(())
	}

	// Worst case: every seat taken, the first hospital of the sorted list leaves.
	#[benchmark]
	fn remove_hospital() -> Result<(), BenchmarkError> {
		hospitals::<T>(T::MaxHospitals::get())?;
		let origin =
			T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let named = |h: &T::AccountId| Hospitals::<T>::get(h).is_some_and(|h| h.node.is_some());
		let hospital =
			Members::<T>::get().into_iter().find(named).ok_or(BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, hospital.clone());
		assert!(!Hospitals::<T>::contains_key(&hospital));
		Ok(())
	}

	#[benchmark]
	fn set_threshold() -> Result<(), BenchmarkError> {
		let origin =
			T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let threshold = crate::Threshold { ayes: 3, of: 4 };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, threshold);
		assert_eq!(ApprovalThreshold::<T>::get(), threshold);
		Ok(())
	}

	#[benchmark]
	fn authorize_upgrade() -> Result<(), BenchmarkError> {
		let origin =
			T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let code_hash = T::Hashing::hash(b"runtime");
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, code_hash);
		frame_system::Pallet::<T>::assert_last_event(
			Event::<T>::UpgradeAuthorized { code_hash }.into(),
		);
		Ok(())
	}

	#[benchmark]
	fn set_session_length() -> Result<(), BenchmarkError> {
		let origin =
			T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let blocks = T::MaxSessionLength::get();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, blocks);
		assert_eq!(SessionLength::<T>::get(), blocks);
		Ok(())
	}

	// Worst case: the hospital had a node, which it gives up for a new one.
	#[benchmark]
	fn set_node() -> Result<(), BenchmarkError> {
		hospitals::<T>(T::MaxHospitals::get())?;
		let named = |h: &T::AccountId| Hospitals::<T>::get(h).is_some_and(|h| h.node.is_some());
		let hospital =
			Members::<T>::get().into_iter().find(named).ok_or(BenchmarkError::Weightless)?;
		let old = Hospitals::<T>::get(&hospital).and_then(|h| h.node);
		let (node, proof) = node::<T>(u32::MAX, &hospital);
		#[extrinsic_call]
		_(RawOrigin::Signed(hospital.clone()), node, proof);
		assert_eq!(Nodes::<T>::get(node), Some(hospital));
		assert!(old.is_some_and(|old| !Nodes::<T>::contains_key(old)));
		Ok(())
	}

	#[benchmark]
	fn note_stalled() -> Result<(), BenchmarkError> {
		let origin =
			T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		frame_system::Pallet::<T>::set_block_number(100u32.into());
		let (delay, best_finalized) = (10u32.into(), 90u32.into());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, delay, best_finalized);
		frame_system::Pallet::<T>::assert_last_event(
			Event::<T>::FinalityStallNoted { delay, best_finalized }.into(),
		);
		Ok(())
	}

	// Worst case with `h` hospitals (two at least, so that the sets differ from the genesis
	// validators): all of them, queued by the last rotation, become the validators (Aura and
	// GRANDPA change sets, GRANDPA by force after a stall), and a new set (all but one) is
	// queued.
	#[benchmark]
	fn end_session(h: Linear<2, { T::MaxHospitals::get() }>) -> Result<(), BenchmarkError> {
		hospitals::<T>(h)?;
		let members = Members::<T>::get();
		T::Sessions::set_keys(&members);
		T::Sessions::rotate();
		let (_, all_but_one) = members.split_last().ok_or(BenchmarkError::Weightless)?;
		T::Sessions::set_keys(all_but_one);
		T::Finality::note_stalled(1u32.into(), 0u32.into())
			.map_err(|_| BenchmarkError::Weightless)?;
		let now = SessionLength::<T>::get();
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
