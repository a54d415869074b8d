//! Benchmarks of every call of pallet-ehr, each in its worst case.

use crate::{pallet::*, types::*};
use alloc::vec;
use frame::{benchmarking::prelude::*, hashing::H256};

mod setup;
use setup::*;

#[benchmarks]
mod benchmarks {
	use super::*;

	// Worst case: an admin of a hospital, whose membership is checked.
	#[benchmark]
	fn add_admin() -> Result<(), BenchmarkError> {
		let origin = consortium::<T>()?;
		let hospital = T::BenchmarkHelper::hospital();
		let new: T::AccountId = account("new", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new.clone(), hospital);
		assert!(Admins::<T>::contains_key(&new));
		Ok(())
	}

	#[benchmark]
	fn remove_admin() -> Result<(), BenchmarkError> {
		let origin = consortium::<T>()?;
		admin::<T>();
		let other: T::AccountId = account("other", 0, 0);
		assert!(Pallet::<T>::do_add_admin(other.clone(), None).is_ok());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, other.clone());
		assert!(!Admins::<T>::contains_key(&other));
		Ok(())
	}

	#[benchmark]
	fn appoint_admin() -> Result<(), BenchmarkError> {
		let origin =
			T::HospitalOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let new: T::AccountId = account("new", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new.clone());
		assert!(Admins::<T>::get(&new).is_some_and(|admin| admin.hospital.is_some()));
		Ok(())
	}

	#[benchmark]
	fn dismiss_admin() -> Result<(), BenchmarkError> {
		let origin =
			T::HospitalOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let hospital = T::HospitalOrigin::ensure_origin(origin.clone())
			.map_err(|_| BenchmarkError::Weightless)?;
		admin::<T>();
		let other: T::AccountId = account("other", 0, 0);
		assert!(Pallet::<T>::do_add_admin(other.clone(), Some(hospital)).is_ok());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, other.clone());
		assert!(!Admins::<T>::contains_key(&other));
		Ok(())
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
		let escrow = full::<T::MaxEnvelopeLen>(b'e');
		let consent = registration_consent(&Pallet::<T>::genesis_hash(), &by, &[2; 32], &escrow);
		let (who, signature) = T::BenchmarkHelper::sign(0, &consent);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(by.clone()),
			who.clone(),
			H256::repeat_byte(9),
			[2; 32],
			escrow,
			Some(full(b'g')),
			signature,
		);
		assert!(Grants::<T>::contains_key(&who, &by));
	}

	// Worst case: the patient moved once already, and re-grants `n` grantees.
	#[benchmark]
	fn move_patient_account(n: Linear<0, { T::MaxRegrants::get() }>) {
		let who = patient::<T>(0, &admin::<T>());
		let regrants = grantees::<T>(&who, n);
		let escrow = full::<T::MaxEnvelopeLen>(b'e');
		let sign = |seed| {
			let consent = move_consent(&Pallet::<T>::genesis_hash(), &who, &[3; 32], &escrow);
			T::BenchmarkHelper::sign(seed, &consent)
		};
		let (first, signature) = sign(1);
		assert!(Pallet::<T>::do_move_patient_account(
			who.clone(),
			first.clone(),
			[3; 32],
			escrow.clone(),
			Default::default(),
			signature,
		)
		.is_ok());
		let (account, signature) = sign(2);
		#[extrinsic_call]
		_(RawOrigin::Signed(first), account.clone(), [3; 32], escrow.clone(), regrants, signature);
		assert_eq!(PatientOfAccount::<T>::get(&account), Some(who));
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

	// Worst case: the grant replaces a revoked one, which moves to the history.
	#[benchmark]
	fn grant_access() {
		let registrar = professional::<T>(0);
		let who = patient::<T>(0, &registrar);
		assert!(Pallet::<T>::do_revoke_access(
			who.clone(),
			registrar.clone(),
			full(b'e'),
			Default::default()
		)
		.is_ok());
		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			registrar.clone(),
			GrantScope::ReadWrite,
			None,
			1,
			full(b'g'),
		);
		assert!(Grants::<T>::get(&who, &registrar).is_some_and(|g| g.revoked_at.is_none()));
		assert_eq!(NextPastGrant::<T>::get(), 1);
	}

	#[benchmark]
	fn revoke_access(n: Linear<0, { T::MaxRegrants::get() }>) {
		let registrar = professional::<T>(0);
		let who = patient::<T>(0, &registrar);
		let regrants = grantees::<T>(&who, n);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), registrar, full(b'e'), regrants);
		assert_eq!(Patients::<T>::get(&who).map(|p| p.key_epoch), Some(1));
	}

	#[benchmark]
	fn rotate_record_key(n: Linear<0, { T::MaxRegrants::get() }>) {
		let who = patient::<T>(0, &admin::<T>());
		let regrants = grantees::<T>(&who, n);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), full(b'e'), regrants);
		assert_eq!(Patients::<T>::get(&who).map(|p| p.key_epoch), Some(1));
	}

	#[benchmark]
	fn set_emergency_policy() -> Result<(), BenchmarkError> {
		let origin = consortium::<T>()?;
		let policy = EmergencyPolicy {
			kinds: BoundedVec::truncate_from(vec![ProfessionalKind::Doctor; 8]),
			writable: BoundedVec::truncate_from(vec![DocumentKind::ClinicalNote; 16]),
			max_opens: 5,
			period: 100u32.into(),
		};
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, policy.clone());
		assert_eq!(EmergencyPolicySetting::<T>::get(), policy);
		Ok(())
	}

	#[benchmark]
	fn clear_emergency_bar() {
		let by = admin::<T>();
		let who = professional::<T>(0);
		EmergencyStandings::<T>::mutate(&who, |standing| standing.barred = true);
		#[extrinsic_call]
		_(RawOrigin::Signed(by), who.clone());
		assert!(!EmergencyStandings::<T>::get(&who).barred);
	}

	// Worst case: an expired, reviewed access of the same pair is in the open index.
	#[benchmark]
	fn open_emergency_access() {
		let professional = professional::<T>(0);
		let admin = admin::<T>();
		let who = patient::<T>(0, &admin);
		expired_emergency::<T>(&professional, &who);
		assert!(Pallet::<T>::do_review_emergency_access(admin, 0, ReviewOutcome::Justified).is_ok());
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
	fn release_emergency_key() -> Result<(), BenchmarkError> {
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
		let origin = consortium::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0, full(b'k'));
		assert!(EmergencyAccesses::<T>::get(0).is_some_and(|a| a.key_envelope.is_some()));
		Ok(())
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

	// Worst case: the longest locator, and an amendment written under break-glass access by a
	// professional without a grant, so every rule is looked up: the grant, the emergency access,
	// the policy and the amended entry's author.
	#[benchmark]
	fn add_record() {
		let (author, who) = break_glass_writer::<T>();
		// A first entry, so the one measured can amend it.
		let (first, hash) = mined_entry::<T>(&author, &who, None);
		assert!(Pallet::<T>::do_add_record(author.clone(), who.clone(), first, hash).is_ok());
		let (entry, hash) = mined_entry::<T>(&author, &who, Some(1));
		#[extrinsic_call]
		_(RawOrigin::Signed(author), who.clone(), entry, hash);
		assert_eq!(Patients::<T>::get(&who).map(|p| p.record_count), Some(3));
	}

	// Worst case, for each of `n` entries: as for `add_record`, every entry an amendment written
	// under break-glass access, each of a different entry the author wrote, so each amended
	// entry is read from storage.
	#[benchmark]
	fn add_records(n: Linear<1, { T::MaxBatchEntries::get() }>) {
		let (author, who) = break_glass_writer::<T>();
		// `n` entries first, so the ones measured can amend them: the `k`th amends entry `k + 1`.
		let first = mined_entries::<T>(&author, &who, n, |_| None);
		assert!(Pallet::<T>::do_add_records(author.clone(), who.clone(), first).is_ok());
		let entries = mined_entries::<T>(&author, &who, n, |k| Some(k + 1));
		// Benchmarks only: `n` is at most `MaxBatchEntries` (its range above), so the entries fit.
		let entries: EntriesOf<T> =
			entries.try_into().unwrap_or_else(|_| panic!("at most MaxBatchEntries"));
		#[extrinsic_call]
		_(RawOrigin::Signed(author), who.clone(), entries);
		assert_eq!(Patients::<T>::get(&who).map(|p| p.record_count), Some(1 + 2 * n));
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

	// Worst case: a professional reader with an expired emergency access read before the grant.
	#[benchmark]
	fn log_profile_access() {
		let reader = professional::<T>(0);
		let who = patient::<T>(0, &reader);
		Patients::<T>::mutate(&who, |p| {
			if let Some(p) = p {
				p.profile = Some(full(b'p'));
			}
		});
		expired_emergency::<T>(&reader, &who);
		#[extrinsic_call]
		_(RawOrigin::Signed(reader), who);
	}

	#[benchmark]
	fn set_difficulty() -> Result<(), BenchmarkError> {
		let origin = consortium::<T>()?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::MaxDifficulty::get());
		assert_eq!(Difficulty::<T>::get(), T::MaxDifficulty::get());
		Ok(())
	}

	// Worst case: an active professional sending `n` entries, whose proofs of work are checked.
	#[benchmark]
	fn check_membership(n: Linear<1, { T::MaxBatchEntries::get() }>) {
		let who = professional::<T>(0);
		let patient = patient::<T>(0, &who);
		let entries = mined_entries::<T>(&who, &patient, n, |_| None);
		let (member, mined);
		#[block]
		{
			member = Pallet::<T>::role_of(&who).is_some();
			mined = crate::extension::is_linked_batch(&entries)
				&& entries
					.iter()
					.all(|(entry, hash)| Pallet::<T>::entry_is_mined(&who, entry, hash));
		}
		assert!(member && mined);
	}

	// Worst case: an active patient (the last of the role lookups) in a running window.
	#[benchmark]
	fn check_nonce_within_quota() {
		let who = patient::<T>(0, &admin::<T>());
		Pallet::<T>::use_quota(&who, 1);
		let left;
		#[block]
		{
			let role = Pallet::<T>::role_of(&who).unwrap_or(Role::Patient);
			left = Pallet::<T>::quota_left(&who, role);
			Pallet::<T>::use_quota(&who, 1);
		}
		assert!(left > 0);
	}

	#[benchmark]
	fn set_quotas() -> Result<(), BenchmarkError> {
		let origin = consortium::<T>()?;
		let quotas = Quotas { window: 100u32.into(), admin: 10, professional: 10, patient: 10 };
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, quotas.clone());
		assert_eq!(QuotaSetting::<T>::get(), quotas);
		Ok(())
	}

	#[benchmark]
	fn suspend_patient() {
		let by = admin::<T>();
		let who = patient::<T>(0, &by);
		#[extrinsic_call]
		_(RawOrigin::Signed(by), who.clone());
		assert_eq!(Patients::<T>::get(&who).map(|p| p.status), Some(PatientStatus::Suspended));
	}

	#[benchmark]
	fn reinstate_patient() {
		let by = admin::<T>();
		let who = patient::<T>(0, &by);
		assert!(Pallet::<T>::do_suspend_patient(by.clone(), who.clone()).is_ok());
		#[extrinsic_call]
		_(RawOrigin::Signed(by), who.clone());
		assert_eq!(Patients::<T>::get(&who).map(|p| p.status), Some(PatientStatus::Active));
	}

	#[benchmark]
	fn remove_patient() {
		let by = admin::<T>();
		let who = patient::<T>(0, &by);
		#[extrinsic_call]
		_(RawOrigin::Signed(by), who.clone());
		assert_eq!(Patients::<T>::get(&who).map(|p| p.status), Some(PatientStatus::Removed));
	}

	#[benchmark]
	fn release_insurance() {
		let by = admin::<T>();
		let who = patient::<T>(0, &by);
		assert!(Pallet::<T>::do_remove_patient(by.clone(), who.clone()).is_ok());
		#[extrinsic_call]
		_(RawOrigin::Signed(by), who);
		assert_eq!(PatientByInsurance::<T>::iter().count(), 0);
	}

	// Worst case: the sender and the most recipients are each a professional whose right is its
	// open emergency access, found after the grant (revoked, for the sender; none, for the
	// recipients): the longest check; with the longest locator.
	#[benchmark]
	fn post_message(n: Linear<1, { T::MaxMessageRecipients::get() }>) {
		let from = professional::<T>(0);
		let who = patient::<T>(0, &from);
		assert!(Pallet::<T>::do_open_emergency_access(
			from.clone(),
			who.clone(),
			EmergencyReason::Other,
			T::MaxEmergencyDuration::get(),
		)
		.is_ok());
		Grants::<T>::mutate(&who, &from, |grant| {
			if let Some(grant) = grant {
				grant.revoked_at = Some(Zero::zero());
			}
		});
		let mut to = vec![];
		for i in 0..n {
			let recipient = professional::<T>(200 + i);
			assert!(Pallet::<T>::do_open_emergency_access(
				recipient.clone(),
				who.clone(),
				EmergencyReason::Other,
				T::MaxEmergencyDuration::get(),
			)
			.is_ok());
			to.push(recipient);
		}
		#[extrinsic_call]
		_(
			RawOrigin::Signed(from),
			who.clone(),
			BoundedVec::truncate_from(to),
			H256::repeat_byte(9),
			full(b'l'),
		);
		assert_eq!(MessageCount::<T>::get(&who), 1);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
