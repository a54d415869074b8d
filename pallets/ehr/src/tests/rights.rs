//! The view functions that answer what an account may do with a patient's records
//! (`access`, `may_add`, `may_register`): their answers, and that the calls agree with them
//! in the block they answer for.

use super::*;
use frame::deps::frame_support::storage::{with_transaction, TransactionOutcome};

type Answer<R> = Result<R, DispatchError>;

fn read(patient: u64, who: u64) -> Answer<Right<u64>> {
	Ehr::access(patient, who).read.map_err(Into::into)
}

fn write(patient: u64, who: u64) -> Answer<Right<u64>> {
	Ehr::access(patient, who).write.map_err(Into::into)
}

fn add(patient: u64, who: u64, kind: DocumentKind) -> Answer<Right<u64>> {
	Ehr::may_add(patient, who, kind).map_err(Into::into)
}

fn register(who: u64) -> Answer<Registrar> {
	Ehr::may_register(who).map_err(Into::into)
}

fn read_write(expires_at: Option<u64>) -> Right<u64> {
	Right::Grant { scope: GrantScope::ReadWrite, expires_at, key_epoch: 0 }
}

#[test]
fn the_patient_reads_its_own_records_and_adds_nothing() {
	test(|| {
		doctor_and_patient();
		assert_eq!(Ehr::access(PATIENT, PATIENT).at, 2);
		assert_eq!(read(PATIENT, PATIENT), Ok(Right::Patient));
		assert_eq!(write(PATIENT, PATIENT), Err(Error::<Test>::NotProfessional.into()));
		assert_eq!(read(PATIENT2, PATIENT), Err(Error::<Test>::NotPatient.into()));

		assert_ok!(Ehr::suspend_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		assert_eq!(read(PATIENT, PATIENT), Err(Error::<Test>::PatientSuspended.into()));
	});
}

#[test]
fn a_grant_gives_what_its_scope_says_until_it_expires() {
	test(|| {
		doctor_and_patient();
		assert_eq!(read(PATIENT, DOCTOR), Ok(read_write(None)));
		assert_eq!(write(PATIENT, DOCTOR), Ok(read_write(None)));
		assert_eq!(add(PATIENT, DOCTOR, DocumentKind::LabResult), Ok(read_write(None)));

		register_doctor(DOCTOR2);
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR2,
			GrantScope::Read,
			Some(4),
			0,
			envelope(2)
		));
		let read_only = Right::Grant { scope: GrantScope::Read, expires_at: Some(4), key_epoch: 0 };
		assert_eq!(read(PATIENT, DOCTOR2), Ok(read_only));
		assert_eq!(write(PATIENT, DOCTOR2), Err(Error::<Test>::ReadOnlyGrant.into()));

		// At block 3 the grant is live, but the next block, where a transaction sent now
		// lands at the earliest, is its last; at block 4 nothing sent can use it any more.
		run_to_block(3);
		assert!(read(PATIENT, DOCTOR2).is_ok());
		run_to_block(4);
		assert_eq!(read(PATIENT, DOCTOR2), Err(Error::<Test>::GrantExpired.into()));
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0));
		run_to_block(5);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0),
			Error::<Test>::GrantExpired
		);
	});
}

#[test]
fn a_revoked_grant_and_a_stale_epoch_are_named() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR2,
			GrantScope::ReadWrite,
			None,
			0,
			envelope(2)
		));
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR2,
			envelope(3),
			no_regrants()
		));
		assert_eq!(read(PATIENT, DOCTOR2), Err(Error::<Test>::GrantRevoked.into()));
		assert_eq!(write(PATIENT, DOCTOR2), Err(Error::<Test>::GrantRevoked.into()));
		// The registrar's grant was not carried to the new epoch: it reads what it had, but
		// cannot write under a key it does not hold.
		assert_eq!(read(PATIENT, DOCTOR), Ok(read_write(None)));
		assert_eq!(write(PATIENT, DOCTOR), Err(Error::<Test>::GrantKeyEpochStale.into()));
	});
}

#[test]
fn outsiders_and_inactive_professionals_get_the_calls_errors() {
	test(|| {
		doctor_and_patient();
		assert_eq!(read(PATIENT, OUTSIDER), Err(Error::<Test>::NotAllowedToRead.into()));
		assert_eq!(write(PATIENT, OUTSIDER), Err(Error::<Test>::NotProfessional.into()));
		register_doctor(DOCTOR2);
		assert_eq!(read(PATIENT, DOCTOR2), Err(Error::<Test>::NotAllowedToRead.into()));
		assert_eq!(write(PATIENT, DOCTOR2), Err(Error::<Test>::NotGranted.into()));
		assert_eq!(write(OUTSIDER, DOCTOR), Err(Error::<Test>::NotPatient.into()));

		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_eq!(read(PATIENT, DOCTOR), Err(Error::<Test>::ProfessionalSuspended.into()));
		assert_eq!(write(PATIENT, DOCTOR), Err(Error::<Test>::ProfessionalSuspended.into()));
		assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_eq!(read(PATIENT, DOCTOR), Err(Error::<Test>::ProfessionalRemoved.into()));

		assert_ok!(Ehr::remove_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		assert_eq!(write(PATIENT, DOCTOR2), Err(Error::<Test>::PatientRemoved.into()));
	});
}

#[test]
fn break_glass_reads_and_adds_only_what_the_policy_allows() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(DOCTOR2),
			PATIENT,
			EmergencyReason::EmergencyCare,
			5
		));
		let open = |key_released| Right::Emergency { id: 0, expires_at: 5, key_released };
		assert_eq!(read(PATIENT, DOCTOR2), Ok(open(false)));
		assert_eq!(write(PATIENT, DOCTOR2), Ok(open(false)));
		assert_eq!(add(PATIENT, DOCTOR2, DocumentKind::ClinicalNote), Ok(open(false)));
		assert_eq!(
			add(PATIENT, DOCTOR2, DocumentKind::Prescription),
			Err(Error::<Test>::EmergencyWriteNotAllowed.into())
		);
		assert_ok!(Ehr::release_emergency_key(consortium(), 0, envelope(9)));
		assert_eq!(read(PATIENT, DOCTOR2), Ok(open(true)));

		// A read-only policy leaves break-glass readers nothing to add, and so does one that
		// names only the kind no added entry may have.
		for writable in [vec![], vec![DocumentKind::Genesis]] {
			let policy = EmergencyPolicy {
				writable: writable.try_into().expect("few kinds"),
				..EmergencyPolicySetting::<Test>::get()
			};
			assert_ok!(Ehr::set_emergency_policy(consortium(), policy));
			assert_eq!(
				write(PATIENT, DOCTOR2),
				Err(Error::<Test>::EmergencyWriteNotAllowed.into())
			);
		}

		// The access's last block is 5: from block 5 on, nothing sent can use it.
		run_to_block(5);
		assert_eq!(read(PATIENT, DOCTOR2), Err(Error::<Test>::NotAllowedToRead.into()));
	});
}

#[test]
fn only_serving_admins_and_active_professionals_may_register() {
	test(|| {
		register_doctor(DOCTOR);
		assert_eq!(register(DOCTOR), Ok(Registrar::Professional));
		assert_eq!(register(ADMIN), Ok(Registrar::Admin));
		assert_eq!(register(OUTSIDER), Err(Error::<Test>::NotAllowedToRegister.into()));
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_eq!(register(DOCTOR), Err(Error::<Test>::ProfessionalSuspended.into()));

		// A hospital's admin registers while its hospital is in the consortium.
		assert_ok!(Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), 5));
		assert_eq!(register(5), Ok(Registrar::Admin));
		remove_hospital(HOSPITAL);
		assert_eq!(register(5), Err(Error::<Test>::NotAllowedToRegister.into()));
	});
}

/// Checks that the calls, sent in the block the view functions answer for, do what they said
/// for every pair of `accounts` and `patients`; leaves the state as it was.
pub fn views_agree_with_calls(accounts: &[u64], patients: &[u64]) {
	let clock = now_millis();
	let answers: Vec<_> = accounts
		.iter()
		.flat_map(|&who| patients.iter().map(move |&patient| (who, patient)))
		.map(|(who, patient)| {
			let kind = DocumentKind::ClinicalNote;
			(who, patient, Ehr::access(patient, who), Ehr::may_add(patient, who, kind))
		})
		.collect();
	let registrars: Vec<_> = accounts.iter().map(|&who| (who, Ehr::may_register(who))).collect();
	let at = Ehr::access(0, 0).at;
	for (who, patient, access, may_add) in answers {
		let (logged, added) = next_block(at, || {
			let logged = Ehr::log_access(RuntimeOrigin::signed(who), patient, 0);
			let (input, hash) = if Patients::<Test>::contains_key(patient) {
				next_entry(patient, who, DocumentKind::ClinicalNote, None)
			} else {
				(unlinked_entry(), H256::zero())
			};
			let added = Ehr::add_record(RuntimeOrigin::signed(who), patient, input, hash);
			(logged, added)
		});
		let may_write = access.write.is_ok();
		let may_add: DispatchResult = may_add.map(drop).map_err(Into::into);
		assert_eq!(logged, access.read.map(drop).map_err(Into::into), "read {who}→{patient}");
		assert_eq!(added, may_add, "add {who}→{patient}");
		assert!(may_add.is_err() || may_write, "{who} may add a note to {patient} but not write");
	}
	for (who, answer) in registrars {
		let registered = next_block(at, || {
			Ehr::register_patient(
				RuntimeOrigin::signed(who),
				OUTSIDER,
				insurance(0xEE),
				[0xEE; 32],
				envelope(1),
				None,
				consent(OUTSIDER, who, [0xEE; 32], &envelope(1)),
			)
		});
		match answer {
			// The registration may still fail for its own reasons (the account is taken).
			Ok(_) => assert!(registered.is_ok() || !is_registrar_error(registered), "{who}"),
			Err(refused) => assert_eq!(registered, Err(refused.into()), "register by {who}"),
		}
	}
	set_time(clock);
}

/// An entry for a chain that does not exist.
fn unlinked_entry() -> EntryInput<LocatorOf<Test>> {
	EntryInput {
		index: 1,
		prev_hash: H256::zero(),
		content_commitment: H256::zero(),
		ciphertext_hash: H256::zero(),
		locator: locator(0),
		kind: DocumentKind::ClinicalNote,
		key_epoch: 0,
		amends: None,
		timestamp: now_millis(),
		nonce: 0,
		difficulty: 0,
	}
}

fn is_registrar_error(result: DispatchResult) -> bool {
	[
		Error::<Test>::NotAllowedToRegister,
		Error::<Test>::ProfessionalSuspended,
		Error::<Test>::ProfessionalRemoved,
	]
	.into_iter()
	.any(|refused| result == Err(refused.into()))
}

/// Runs `call` at block `at` (and the clock of that block), then undoes everything it did.
fn next_block<R>(at: u64, call: impl FnOnce() -> R) -> R {
	let clock = now_millis();
	let result = with_transaction(|| {
		run_to_block(at);
		TransactionOutcome::Rollback(Ok::<_, DispatchError>(call()))
	})
	.expect("rolled back");
	set_time(clock);
	result
}
