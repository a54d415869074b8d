//! Benchmarks of every call of pallet-ehr, each in its worst case.

use crate::{pallet::*, types::*};
use alloc::vec;
use frame::{benchmarking::prelude::*, hashing::H256, traits::UnixTime};

fn admin<T: Config>() -> T::AccountId {
	let admin: T::AccountId = account("admin", 0, 0);
	if !Admins::<T>::contains_key(&admin) {
		Admins::<T>::insert(&admin, ());
		AdminCount::<T>::mutate(|n| *n = n.saturating_add(1));
	}
	admin
}

fn full<S: Get<u32>>(byte: u8) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(vec![byte; S::get() as usize])
}

fn professional<T: Config>(index: u32) -> T::AccountId {
	let who: T::AccountId = account("professional", index, 0);
	let by = admin::<T>();
	assert!(Pallet::<T>::do_register_professional(
		by,
		who.clone(),
		ProfessionalKind::Doctor,
		full(b'n'),
		full(b's'),
		H256::repeat_byte(1),
		full(b'o'),
		[1; 32],
	)
	.is_ok());
	who
}

/// A patient registered by `registrar`, which gets a read-write grant if it is a professional.
fn patient<T: Config>(index: u32, registrar: &T::AccountId) -> T::AccountId {
	let who: T::AccountId = account("patient", index, 0);
	assert!(Pallet::<T>::do_register_patient(
		registrar.clone(),
		who.clone(),
		H256::repeat_byte(index as u8),
		[2; 32],
		full(b'e'),
		Professionals::<T>::contains_key(registrar).then(|| full(b'g')),
	)
	.is_ok());
	who
}

/// Leaves an expired emergency access of the pair in the open index, so that access checks
/// read it before they fall back to the grant: the most reads an access check makes.
fn expired_emergency<T: Config>(professional: &T::AccountId, patient: &T::AccountId) {
	assert!(Pallet::<T>::do_open_emergency_access(
		professional.clone(),
		patient.clone(),
		EmergencyReason::Other,
		1u32.into(),
	)
	.is_ok());
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + 2u32.into());
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_admin() {
		let by = admin::<T>();
		let new: T::AccountId = account("new", 0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(by), new.clone());
		assert!(Admins::<T>::contains_key(&new));
	}

	#[benchmark]
	fn remove_admin() {
		let by = admin::<T>();
		let other: T::AccountId = account("other", 0, 0);
		assert!(Pallet::<T>::do_add_admin(by.clone(), other.clone()).is_ok());
		#[extrinsic_call]
		_(RawOrigin::Signed(by), other.clone());
		assert!(!Admins::<T>::contains_key(&other));
	}

	#[benchmark]
	fn register_professional() {
		let by = admin::<T>();
		let who: T::AccountId = account("professional", 0, 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(by),
			who.clone(),
			ProfessionalKind::Doctor,
			full(b'n'),
			full(b's'),
			H256::repeat_byte(1),
			full(b'o'),
			[1; 32],
		);
		assert!(Professionals::<T>::contains_key(&who));
	}

	#[benchmark]
	fn suspend_professional() {
		let who = professional::<T>(0);
		let by = admin::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(by), who.clone());
		assert_eq!(
			Professionals::<T>::get(&who).map(|p| p.status),
			Some(ProfessionalStatus::Suspended)
		);
	}

	#[benchmark]
	fn reinstate_professional() {
		let who = professional::<T>(0);
		let by = admin::<T>();
		assert!(Pallet::<T>::do_suspend_professional(by.clone(), who.clone()).is_ok());
		#[extrinsic_call]
		_(RawOrigin::Signed(by), who.clone());
		assert_eq!(
			Professionals::<T>::get(&who).map(|p| p.status),
			Some(ProfessionalStatus::Active)
		);
	}

	#[benchmark]
	fn remove_professional() {
		let who = professional::<T>(0);
		let by = admin::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(by), who.clone());
		assert_eq!(
			Professionals::<T>::get(&who).map(|p| p.status),
			Some(ProfessionalStatus::Removed)
		);
	}

	// Worst case: a professional registers, so the grant is written too.
	#[benchmark]
	fn register_patient() {
		let by = professional::<T>(0);
		let who: T::AccountId = account("patient", 0, 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(by.clone()),
			who.clone(),
			H256::repeat_byte(9),
			[2; 32],
			full(b'e'),
			Some(full(b'g')),
		);
		assert!(Grants::<T>::contains_key(&who, &by));
	}

	#[benchmark]
	fn update_patient_key() {
		let who = patient::<T>(0, &admin::<T>());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), [7; 32]);
		assert_eq!(Patients::<T>::get(&who).map(|p| p.encryption_key), Some([7; 32]));
	}

	#[benchmark]
	fn set_profile() {
		let who = patient::<T>(0, &admin::<T>());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), Some(full(b'p')));
		assert!(Patients::<T>::get(&who).and_then(|p| p.profile).is_some());
	}

	#[benchmark]
	fn grant_access() {
		let who = patient::<T>(0, &admin::<T>());
		let grantee = professional::<T>(1);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), grantee.clone(), GrantScope::ReadWrite, None, full(b'g'));
		assert!(Grants::<T>::contains_key(&who, &grantee));
	}

	#[benchmark]
	fn revoke_access() {
		let registrar = professional::<T>(0);
		let who = patient::<T>(0, &registrar);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), registrar, full(b'e'));
		assert_eq!(Patients::<T>::get(&who).map(|p| p.key_epoch), Some(1));
	}

	// Worst case: an expired access of the same pair is in the open index.
	#[benchmark]
	fn open_emergency_access() {
		let professional = professional::<T>(0);
		let who = patient::<T>(0, &admin::<T>());
		expired_emergency::<T>(&professional, &who);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(professional),
			who,
			EmergencyReason::LifeThreatening,
			T::MaxEmergencyDuration::get(),
		);
		assert_eq!(NextEmergencyId::<T>::get(), 2);
	}

	#[benchmark]
	fn close_emergency_access() {
		let professional = professional::<T>(0);
		let admin = admin::<T>();
		let who = patient::<T>(0, &admin);
		assert!(Pallet::<T>::do_open_emergency_access(
			professional,
			who,
			EmergencyReason::Other,
			T::MaxEmergencyDuration::get(),
		)
		.is_ok());
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), 0);
		assert!(EmergencyAccesses::<T>::get(0).is_some_and(|a| a.closed.is_some()));
	}

	#[benchmark]
	fn release_emergency_key() {
		let professional = professional::<T>(0);
		let admin = admin::<T>();
		let who = patient::<T>(0, &admin);
		assert!(Pallet::<T>::do_open_emergency_access(
			professional,
			who,
			EmergencyReason::Other,
			T::MaxEmergencyDuration::get(),
		)
		.is_ok());
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), 0, full(b'k'));
		assert!(EmergencyAccesses::<T>::get(0).is_some_and(|a| a.key_envelope.is_some()));
	}

	#[benchmark]
	fn review_emergency_access() {
		let professional = professional::<T>(0);
		let admin = admin::<T>();
		let who = patient::<T>(0, &admin);
		expired_emergency::<T>(&professional, &who);
		#[extrinsic_call]
		_(RawOrigin::Signed(admin), 0, ReviewOutcome::Justified);
		assert_eq!(UnreviewedEmergencyCount::<T>::get(), 0);
	}

	// Worst case: the longest locator, an amendment, and an expired emergency access read
	// before the grant.
	#[benchmark]
	fn add_record() {
		let author = professional::<T>(0);
		let who = patient::<T>(0, &author);
		expired_emergency::<T>(&author, &who);
		let specialty = Professionals::<T>::get(&author).map(|p| p.specialty).unwrap_or_default();
		let record = Patients::<T>::get(&who).unwrap_or_else(|| panic!("registered"));
		let mut body = EntryBody {
			index: 1,
			prev_hash: record.head,
			content_commitment: H256::repeat_byte(3),
			ciphertext_hash: H256::repeat_byte(4),
			locator: full::<T::MaxLocatorLen>(b'l'),
			kind: DocumentKind::ClinicalNote,
			author: author.clone(),
			specialty,
			key_epoch: 0,
			amends: None,
			timestamp: u64::try_from(T::UnixTime::now().as_millis()).unwrap_or(u64::MAX),
			nonce: 0,
			difficulty: Difficulty::<T>::get(),
		};
		// A first entry, so the one measured can amend it.
		let mut hash = body.hash();
		while !meets_difficulty(&hash, body.difficulty) {
			body.nonce += 1;
			hash = body.hash();
		}
		let input = |body: &EntryBodyOf<T>| EntryInput {
			index: body.index,
			prev_hash: body.prev_hash,
			content_commitment: body.content_commitment,
			ciphertext_hash: body.ciphertext_hash,
			locator: body.locator.clone(),
			kind: body.kind,
			key_epoch: body.key_epoch,
			amends: body.amends,
			timestamp: body.timestamp,
			nonce: body.nonce,
			difficulty: body.difficulty,
		};
		assert!(Pallet::<T>::do_add_record(author.clone(), who.clone(), input(&body), hash).is_ok());
		body.index = 2;
		body.prev_hash = hash;
		body.amends = Some(1);
		body.nonce = 0;
		hash = body.hash();
		while !meets_difficulty(&hash, body.difficulty) {
			body.nonce += 1;
			hash = body.hash();
		}
		let entry = input(&body);
		#[extrinsic_call]
		_(RawOrigin::Signed(author), who.clone(), entry, hash);
		assert_eq!(Patients::<T>::get(&who).map(|p| p.record_count), Some(3));
	}

	// Worst case: a professional reader with an expired emergency access read before the grant.
	#[benchmark]
	fn log_access() {
		let reader = professional::<T>(0);
		let who = patient::<T>(0, &reader);
		expired_emergency::<T>(&reader, &who);
		#[extrinsic_call]
		_(RawOrigin::Signed(reader), who, 0);
	}

	#[benchmark]
	fn set_difficulty() {
		let by = admin::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(by), T::MaxDifficulty::get());
		assert_eq!(Difficulty::<T>::get(), T::MaxDifficulty::get());
	}

	// Worst case: an active professional, found by the last of the three lookups.
	#[benchmark]
	fn check_membership() {
		let who = professional::<T>(0);
		let member;
		#[block]
		{
			member = Pallet::<T>::is_member(&who);
		}
		assert!(member);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
