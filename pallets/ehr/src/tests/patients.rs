//! Patients: registered with their consent, their keys and profile, suspended, removed and moved
//! to a new key.

use super::*;

#[test]
fn professional_registers_patient_and_gets_a_grant() {
	test(|| {
		doctor_and_patient();
		let patient = Patients::<Test>::get(PATIENT).expect("registered");
		assert_eq!(patient.registered_by, DOCTOR);
		assert_eq!(patient.record_count, 1);
		assert_eq!(patient.key_epoch, 0);
		let genesis = Records::<Test>::get(PATIENT, 0).expect("genesis entry");
		assert_eq!(genesis.body.kind, DocumentKind::Genesis);
		assert_eq!(genesis.hash, patient.head);
		assert_eq!(PatientByInsurance::<Test>::get(insurance(1)), Some(PATIENT));
		let grant = Grants::<Test>::get(PATIENT, DOCTOR).expect("registrar grant");
		assert_eq!(grant.scope, GrantScope::ReadWrite);
		assert_eq!(Ehr::patients_of(DOCTOR).len(), 1);
		System::assert_has_event(
			Event::PatientRegistered { patient: PATIENT, by: DOCTOR, genesis_hash: genesis.hash }
				.into(),
		);
	});
}

#[test]
fn admin_registers_patient_without_a_grant() {
	test(|| {
		register_patient_by(ADMIN, PATIENT, 1);
		assert!(Patients::<Test>::contains_key(PATIENT));
		assert_eq!(Grants::<Test>::iter_prefix(PATIENT).count(), 0);
	});
}

#[test]
fn admin_cannot_take_a_registrar_grant() {
	test(|| {
		assert_noop!(
			Ehr::register_patient(
				RuntimeOrigin::signed(ADMIN),
				PATIENT,
				insurance(1),
				[1; 32],
				envelope(1),
				Some(envelope(2)),
				consent(PATIENT, ADMIN, [1; 32], &envelope(1)),
			),
			Error::<Test>::NotProfessional
		);
	});
}

#[test]
fn register_patient_refuses_outsiders_and_inactive_professionals() {
	test(|| {
		let call = |by| {
			Ehr::register_patient(
				RuntimeOrigin::signed(by),
				PATIENT,
				insurance(1),
				[1; 32],
				envelope(1),
				None,
				consent(PATIENT, by, [1; 32], &envelope(1)),
			)
		};
		assert_noop!(call(OUTSIDER), Error::<Test>::NotAllowedToRegister);
		register_doctor(DOCTOR);
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_noop!(call(DOCTOR), Error::<Test>::ProfessionalSuspended);
		assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_noop!(call(DOCTOR), Error::<Test>::ProfessionalRemoved);
	});
}

#[test]
fn duplicate_patient_or_insurance_is_refused() {
	test(|| {
		doctor_and_patient();
		assert_noop!(
			Ehr::register_patient(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT,
				insurance(2),
				[2; 32],
				envelope(1),
				None,
				consent(PATIENT, DOCTOR, [2; 32], &envelope(1)),
			),
			Error::<Test>::AlreadyPatient
		);
		assert_noop!(
			Ehr::register_patient(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT2,
				insurance(1),
				[2; 32],
				envelope(1),
				None,
				consent(PATIENT2, DOCTOR, [2; 32], &envelope(1)),
			),
			Error::<Test>::DuplicateInsurance
		);
	});
}

#[test]
fn register_patient_needs_envelopes() {
	test(|| {
		register_doctor(DOCTOR);
		let empty = EnvelopeOf::<Test>::default();
		assert_noop!(
			Ehr::register_patient(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT,
				insurance(1),
				[1; 32],
				empty.clone(),
				None,
				consent(PATIENT, DOCTOR, [1; 32], &empty.clone()),
			),
			Error::<Test>::EmptyEnvelope
		);
		assert_noop!(
			Ehr::register_patient(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT,
				insurance(1),
				[1; 32],
				envelope(1),
				Some(empty),
				consent(PATIENT, DOCTOR, [1; 32], &envelope(1)),
			),
			Error::<Test>::EmptyEnvelope
		);
	});
}

#[test]
fn patient_updates_key_and_profile() {
	test(|| {
		doctor_and_patient();
		assert_ok!(Ehr::update_patient_key(RuntimeOrigin::signed(PATIENT), [9; 32]));
		assert_eq!(Patients::<Test>::get(PATIENT).map(|p| p.encryption_key), Some([9; 32]));
		System::assert_last_event(Event::PatientKeyUpdated { patient: PATIENT }.into());
		assert_ok!(Ehr::set_profile(RuntimeOrigin::signed(PATIENT), Some(locator(3))));
		assert_eq!(Patients::<Test>::get(PATIENT).and_then(|p| p.profile), Some(locator(3)));
		System::assert_last_event(Event::PatientProfileUpdated { patient: PATIENT }.into());
		assert_ok!(Ehr::set_profile(RuntimeOrigin::signed(PATIENT), None));
		assert_eq!(Patients::<Test>::get(PATIENT).and_then(|p| p.profile), None);
	});
}

#[test]
fn only_patients_update_key_and_profile() {
	test(|| {
		doctor_and_patient();
		assert_noop!(
			Ehr::update_patient_key(RuntimeOrigin::signed(DOCTOR), [9; 32]),
			Error::<Test>::NotPatient
		);
		assert_noop!(
			Ehr::set_profile(RuntimeOrigin::signed(OUTSIDER), None),
			Error::<Test>::NotPatient
		);
	});
}

#[test]
fn a_patient_holds_no_other_role() {
	test(|| {
		register_doctor(DOCTOR);
		// A registrar cannot register itself, nor an admin, nor another professional.
		for who in [DOCTOR, ADMIN] {
			assert_noop!(
				Ehr::register_patient(
					RuntimeOrigin::signed(DOCTOR),
					who,
					insurance(1),
					[1; 32],
					envelope(0xE5),
					None,
					consent(who, DOCTOR, [1; 32], &envelope(0xE5)),
				),
				Error::<Test>::AccountHasAnotherRole
			);
		}
		register_patient_by(DOCTOR, PATIENT, 1);
		assert_noop!(
			Ehr::register_professional(
				RuntimeOrigin::signed(ADMIN),
				PATIENT,
				ProfessionalKind::Doctor,
				name("Dr. Patient"),
				name("general"),
				H256::repeat_byte(7),
				name("Hospital"),
				[1; 32],
			),
			Error::<Test>::AccountHasAnotherRole
		);
		assert_noop!(
			Ehr::add_admin(consortium(), PATIENT, None),
			Error::<Test>::AccountHasAnotherRole
		);
		// So a removed professional cannot act on through a patient account.
		assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert!(!Ehr::is_member(&DOCTOR));
	});
}

#[test]
fn admin_suspends_reinstates_and_removes_a_patient() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_noop!(
			Ehr::suspend_patient(RuntimeOrigin::signed(DOCTOR), PATIENT),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Ehr::suspend_patient(RuntimeOrigin::signed(ADMIN), OUTSIDER),
			Error::<Test>::NotPatient
		);
		assert_ok!(Ehr::suspend_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		System::assert_last_event(Event::PatientSuspended { patient: PATIENT, by: ADMIN }.into());
		assert_noop!(
			Ehr::suspend_patient(RuntimeOrigin::signed(ADMIN), PATIENT),
			Error::<Test>::PatientNotActive
		);
		// A suspended patient cannot act; its records are still read and written.
		assert_noop!(
			Ehr::set_profile(RuntimeOrigin::signed(PATIENT), None),
			Error::<Test>::PatientSuspended
		);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(PATIENT), PATIENT, 0),
			Error::<Test>::PatientSuspended
		);
		add_entry(PATIENT, DOCTOR, DocumentKind::ClinicalNote);
		assert_ok!(Ehr::reinstate_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		System::assert_last_event(Event::PatientReinstated { patient: PATIENT, by: ADMIN }.into());
		assert_noop!(
			Ehr::reinstate_patient(RuntimeOrigin::signed(ADMIN), PATIENT),
			Error::<Test>::PatientNotSuspended
		);
		assert_ok!(Ehr::set_profile(RuntimeOrigin::signed(PATIENT), None));

		assert_ok!(Ehr::remove_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		System::assert_last_event(Event::PatientRemoved { patient: PATIENT, by: ADMIN }.into());
		assert_noop!(
			Ehr::remove_patient(RuntimeOrigin::signed(ADMIN), PATIENT),
			Error::<Test>::PatientRemoved
		);
		assert_noop!(
			Ehr::reinstate_patient(RuntimeOrigin::signed(ADMIN), PATIENT),
			Error::<Test>::PatientRemoved
		);
		// Nothing more is written to a removed patient's chain, nor is its glass broken; what
		// it has stays readable.
		let (input, hash) = next_entry(PATIENT, DOCTOR, DocumentKind::ClinicalNote, None);
		assert_noop!(
			Ehr::add_record(RuntimeOrigin::signed(DOCTOR), PATIENT, input, hash),
			Error::<Test>::PatientRemoved
		);
		assert_noop!(
			Ehr::open_emergency_access(
				RuntimeOrigin::signed(DOCTOR2),
				PATIENT,
				EmergencyReason::Other,
				5
			),
			Error::<Test>::PatientRemoved
		);
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(DOCTOR), PATIENT, 1));
		assert_eq!(Patients::<Test>::get(PATIENT).map(|p| p.record_count), Some(2));
	});
}

#[test]
fn a_squatted_insurance_commitment_is_released_for_its_owner() {
	test(|| {
		register_doctor(DOCTOR);
		// A professional registers an account of its own under someone else's number.
		register_patient_by(DOCTOR, PATIENT, 7);
		assert_noop!(
			Ehr::register_patient(
				RuntimeOrigin::signed(ADMIN),
				PATIENT2,
				insurance(7),
				[7; 32],
				envelope(0xE5),
				None,
				consent(PATIENT2, ADMIN, [7; 32], &envelope(0xE5)),
			),
			Error::<Test>::DuplicateInsurance
		);
		assert_noop!(
			Ehr::release_insurance(RuntimeOrigin::signed(DOCTOR), PATIENT),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Ehr::release_insurance(RuntimeOrigin::signed(ADMIN), PATIENT),
			Error::<Test>::PatientNotRemoved
		);
		assert_ok!(Ehr::remove_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		assert_ok!(Ehr::release_insurance(RuntimeOrigin::signed(ADMIN), PATIENT));
		System::assert_last_event(Event::InsuranceReleased { patient: PATIENT, by: ADMIN }.into());
		assert_noop!(
			Ehr::release_insurance(RuntimeOrigin::signed(ADMIN), PATIENT),
			Error::<Test>::InsuranceNotHeld
		);
		// The real person is registered under its own number.
		register_patient_by(ADMIN, PATIENT2, 7);
		assert_eq!(PatientByInsurance::<Test>::get(insurance(7)), Some(PATIENT2));
	});
}

#[test]
fn registration_needs_the_patients_own_consent() {
	test(|| {
		register_doctor(DOCTOR);
		register_doctor(DOCTOR2);
		let register = |consent| {
			Ehr::register_patient(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT,
				insurance(1),
				[1; 32],
				envelope(0xE5),
				None,
				consent,
			)
		};
		// Signed by someone else, for another registrar, another key or another escrow.
		for forged in [
			consent(PATIENT2, DOCTOR, [1; 32], &envelope(0xE5)),
			consent(PATIENT, DOCTOR2, [1; 32], &envelope(0xE5)),
			consent(PATIENT, DOCTOR, [9; 32], &envelope(0xE5)),
			consent(PATIENT, DOCTOR, [1; 32], &envelope(0xE6)),
		] {
			assert_noop!(register(forged), Error::<Test>::InvalidConsent);
		}
		assert_ok!(register(consent(PATIENT, DOCTOR, [1; 32], &envelope(0xE5))));
	});
}

#[test]
fn a_patient_moves_to_a_key_only_it_holds() {
	test(|| {
		const NEW: u64 = 40;
		const NEWER: u64 = 41;
		doctor_and_patient();
		register_doctor(DOCTOR2);
		let move_to = |signer, account, consent| {
			Ehr::move_patient_account(
				RuntimeOrigin::signed(signer),
				account,
				[4; 32],
				envelope(0xE8),
				regrants(&[DOCTOR]),
				consent,
			)
		};
		assert_noop!(
			move_to(PATIENT, DOCTOR2, move_consent_of(DOCTOR2, PATIENT, [4; 32], &envelope(0xE8))),
			Error::<Test>::AccountHasAnotherRole
		);
		assert_noop!(
			move_to(PATIENT, NEW, move_consent_of(NEW, PATIENT, [5; 32], &envelope(0xE8))),
			Error::<Test>::InvalidConsent
		);
		assert_ok!(move_to(PATIENT, NEW, move_consent_of(NEW, PATIENT, [4; 32], &envelope(0xE8))));
		System::assert_has_event(
			Event::PatientAccountMoved { patient: PATIENT, account: NEW, key_epoch: 1 }.into(),
		);
		let record = Patients::<Test>::get(PATIENT).expect("same patient");
		assert_eq!((record.key_epoch, record.encryption_key), (1, [4; 32]));
		assert_eq!(Grants::<Test>::get(PATIENT, DOCTOR).map(|g| g.key_epoch), Some(1));

		// Whoever else knew the first key can no longer act for the patient.
		assert!(!Ehr::is_member(&PATIENT));
		assert_noop!(
			Ehr::set_profile(RuntimeOrigin::signed(PATIENT), None),
			Error::<Test>::NotPatient
		);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(PATIENT), PATIENT, 0),
			Error::<Test>::NotAllowedToRead
		);
		// The new key acts as the patient, on the same records.
		assert!(Ehr::is_member(&NEW));
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(NEW), PATIENT, 0));
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(NEW),
			DOCTOR2,
			GrantScope::Read,
			None,
			1,
			envelope(7)
		));
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(DOCTOR2),
			PATIENT,
			EmergencyReason::Other,
			5
		));
		assert_ok!(Ehr::close_emergency_access(RuntimeOrigin::signed(NEW), 0));
		// A signing key is no one else's role, and moves on again.
		assert_noop!(Ehr::add_admin(consortium(), NEW, None), Error::<Test>::AccountHasAnotherRole);
		assert_ok!(move_to(NEW, NEWER, move_consent_of(NEWER, PATIENT, [4; 32], &envelope(0xE8))));
		assert!(!Ehr::is_member(&NEW) && Ehr::is_member(&NEWER));
	});
}
