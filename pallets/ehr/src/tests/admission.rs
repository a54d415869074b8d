//! The transaction extensions: who gets into the pool and into blocks, and how much.

use super::*;
use crate::{refusal, CheckMembership, CheckNonceWithinQuota, ADMIN_PRIORITY};
use frame::deps::{
	frame_support::dispatch::DispatchInfo,
	sp_runtime::{
		traits::DispatchTransaction,
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	},
};

fn invalid(reason: InvalidTransaction) -> Result<(), TransactionValidityError> {
	Err(TransactionValidityError::Invalid(reason))
}

/// What the membership check says of `call` from `who`.
fn membership(who: u64, call: RuntimeCall) -> Result<(), TransactionValidityError> {
	CheckMembership::<Test>::new()
		.validate_only(
			Some(who).into(),
			&call,
			&DispatchInfo::default(),
			0,
			TransactionSource::External,
			0,
		)
		.map(|_| ())
}

fn add_record_call(entry: EntryInput<LocatorOf<Test>>, hash: H256) -> RuntimeCall {
	RuntimeCall::Ehr(Call::add_record { patient: PATIENT, entry, hash })
}

#[test]
fn badly_mined_entries_never_reach_the_pool() {
	test(|| {
		doctor_and_patient();
		let (entry, hash) = next_entry(PATIENT, DOCTOR, DocumentKind::LabResult, None);
		assert_eq!(membership(DOCTOR, add_record_call(entry.clone(), hash)), Ok(()));
		let bad_work = invalid(InvalidTransaction::Custom(refusal::BAD_PROOF_OF_WORK));
		// A hash that is not the entry's.
		assert_eq!(membership(DOCTOR, add_record_call(entry.clone(), H256::zero())), bad_work);
		// The entry's own hash, but not mined.
		let unmined = EntryInput { nonce: entry.nonce.wrapping_add(1), ..entry.clone() };
		let body = Ehr::entry_body(DOCTOR, name("cardiology"), unmined.clone());
		if !meets_difficulty(&body.hash(), unmined.difficulty) {
			assert_eq!(membership(DOCTOR, add_record_call(unmined, body.hash())), bad_work);
		}
		// Mined to less than the chain asks.
		assert_ok!(Ehr::set_difficulty(consortium(), 20));
		assert_eq!(membership(DOCTOR, add_record_call(entry, hash)), bad_work);
	});
}

#[test]
fn suspended_and_removed_patients_are_no_members() {
	test(|| {
		doctor_and_patient();
		let call = RuntimeCall::Ehr(Call::set_profile { profile: None });
		assert_eq!(membership(PATIENT, call.clone()), Ok(()));
		assert_ok!(Ehr::suspend_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		assert_eq!(membership(PATIENT, call.clone()), invalid(InvalidTransaction::BadSigner));
		assert_ok!(Ehr::reinstate_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		assert_eq!(membership(PATIENT, call.clone()), Ok(()));
		assert_ok!(Ehr::remove_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		assert_eq!(membership(PATIENT, call), invalid(InvalidTransaction::BadSigner));
	});
}

/// Runs `call` from `who` with `nonce` through the quota extension as a block would.
fn in_block(who: u64, nonce: u32) -> Result<(), TransactionValidityError> {
	let call = RuntimeCall::Ehr(Call::set_profile { profile: None });
	CheckNonceWithinQuota::<Test>::from(nonce)
		.validate_and_prepare(Some(who).into(), &call, &DispatchInfo::default(), 0, 0)
		.map(|_| ())
}

/// What the pool says of a transaction from `who` with `nonce`: its priority.
fn in_pool(who: u64, nonce: u32) -> Result<u64, TransactionValidityError> {
	let call = RuntimeCall::Ehr(Call::set_profile { profile: None });
	CheckNonceWithinQuota::<Test>::from(nonce)
		.validate_only(
			Some(who).into(),
			&call,
			&DispatchInfo::default(),
			0,
			TransactionSource::External,
			0,
		)
		.map(|(validity, _, _)| validity.priority)
}

#[test]
fn each_role_gets_its_quota_per_window_and_no_more() {
	test(|| {
		doctor_and_patient();
		let quotas = Quotas { window: 10, admin: 3, professional: 2, patient: 1 };
		assert_ok!(Ehr::set_quotas(RuntimeOrigin::root(), quotas));
		let exhausted = invalid(InvalidTransaction::Custom(refusal::QUOTA_EXHAUSTED));
		for (who, quota) in [(ADMIN, 3), (DOCTOR, 2), (PATIENT, 1)] {
			let nonce = System::account_nonce(who);
			for i in 0..quota {
				assert_eq!(in_block(who, nonce + i), Ok(()), "{who}'s transaction {i}");
			}
			assert_eq!(in_block(who, nonce + quota), exhausted, "{who} is over its quota");
		}
		// A new window starts ten blocks after the first transaction of the last.
		run_to_block(10);
		assert_eq!(in_block(PATIENT, System::account_nonce(PATIENT)), exhausted);
		run_to_block(11);
		assert_eq!(in_block(PATIENT, System::account_nonce(PATIENT)), Ok(()));
	});
}

#[test]
fn the_pool_takes_no_more_than_the_quota_left() {
	test(|| {
		doctor_and_patient();
		let quotas = Quotas { window: 10, admin: 3, professional: 3, patient: 3 };
		assert_ok!(Ehr::set_quotas(RuntimeOrigin::root(), quotas));
		let nonce = System::account_nonce(DOCTOR);
		assert!(in_pool(DOCTOR, nonce + 2).is_ok());
		assert_eq!(
			in_pool(DOCTOR, nonce + 3),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(
				refusal::QUOTA_EXHAUSTED
			)))
		);
		assert_eq!(in_block(DOCTOR, nonce), Ok(()));
		assert_eq!(
			in_pool(DOCTOR, nonce + 3),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(
				refusal::QUOTA_EXHAUSTED
			)))
		);
		assert!(in_pool(DOCTOR, nonce + 2).is_ok());
		// Outsiders get no quota at all.
		assert_eq!(
			in_pool(OUTSIDER, 0),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner))
		);
	});
}

#[test]
fn admins_come_first_and_a_heavy_user_after_a_light_one() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		let admin = in_pool(ADMIN, System::account_nonce(ADMIN)).expect("valid");
		let light = in_pool(DOCTOR2, System::account_nonce(DOCTOR2)).expect("valid");
		for _ in 0..5 {
			assert_eq!(in_block(DOCTOR, System::account_nonce(DOCTOR)), Ok(()));
		}
		let heavy = in_pool(DOCTOR, System::account_nonce(DOCTOR)).expect("valid");
		assert!(admin >= ADMIN_PRIORITY && admin > light);
		assert!(light > heavy, "{light} > {heavy}");
	});
}

#[test]
fn quotas_are_the_consortiums_to_set() {
	test(|| {
		let quotas = Quotas { window: 20, admin: 50, professional: 40, patient: 5 };
		assert_noop!(
			Ehr::set_quotas(RuntimeOrigin::signed(OUTSIDER), quotas.clone()),
			DispatchError::BadOrigin
		);
		for bad in [
			Quotas { window: 0, ..quotas.clone() },
			// A window past the longest would let a setting hold admins out for longer.
			Quotas { window: MaxQuotaWindow::get() + 1, ..quotas.clone() },
			Quotas { admin: 0, ..quotas.clone() },
			Quotas { professional: 0, ..quotas.clone() },
			Quotas { patient: 0, ..quotas.clone() },
		] {
			assert_noop!(Ehr::set_quotas(RuntimeOrigin::root(), bad), Error::<Test>::InvalidQuotas);
		}
		assert_ok!(Ehr::set_quotas(consortium(), quotas.clone()));
		System::assert_last_event(Event::QuotasSet { quotas: quotas.clone() }.into());
		assert_eq!(QuotaSetting::<Test>::get(), quotas);
	});
}
