//! Grants and emergency access.

use super::*;

fn grant(
	patient: u64,
	professional: u64,
	scope: GrantScope,
	expires_at: Option<u64>,
) -> DispatchResult {
	Ehr::grant_access(RuntimeOrigin::signed(patient), professional, scope, expires_at, envelope(3))
}

#[test]
fn patient_grants_access() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(grant(PATIENT, DOCTOR2, GrantScope::Read, Some(50)));
		let g = Grants::<Test>::get(PATIENT, DOCTOR2).expect("granted");
		assert_eq!((g.scope, g.expires_at, g.key_epoch), (GrantScope::Read, Some(50), 0));
		assert!(GrantsByProfessional::<Test>::contains_key(DOCTOR2, PATIENT));
		assert_eq!(Ehr::doctors_of(PATIENT).len(), 2);
		System::assert_last_event(
			Event::AccessGranted {
				patient: PATIENT,
				professional: DOCTOR2,
				scope: GrantScope::Read,
				expires_at: Some(50),
				key_epoch: 0,
			}
			.into(),
		);
	});
}

#[test]
fn grant_fails_for_bad_parties_and_input() {
	test(|| {
		doctor_and_patient();
		assert_noop!(grant(OUTSIDER, DOCTOR, GrantScope::Read, None), Error::<Test>::NotPatient);
		assert_noop!(
			grant(PATIENT, DOCTOR2, GrantScope::Read, None),
			Error::<Test>::NotProfessional
		);
		run_to_block(10);
		assert_noop!(
			grant(PATIENT, DOCTOR, GrantScope::Read, Some(9)),
			Error::<Test>::ExpiryInPast
		);
		assert_noop!(
			Ehr::grant_access(
				RuntimeOrigin::signed(PATIENT),
				DOCTOR,
				GrantScope::Read,
				None,
				Default::default()
			),
			Error::<Test>::EmptyEnvelope
		);
		register_doctor(DOCTOR2);
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR2));
		assert_noop!(
			grant(PATIENT, DOCTOR2, GrantScope::Read, None),
			Error::<Test>::ProfessionalSuspended
		);
		assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), DOCTOR2));
		assert_noop!(
			grant(PATIENT, DOCTOR2, GrantScope::Read, None),
			Error::<Test>::ProfessionalRemoved
		);
	});
}

#[test]
fn revoke_advances_key_epoch_and_keeps_history() {
	test(|| {
		doctor_and_patient();
		run_to_block(3);
		assert_ok!(Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR, envelope(0xE6)));
		let patient = Patients::<Test>::get(PATIENT).expect("patient");
		assert_eq!(patient.key_epoch, 1);
		assert_eq!(patient.escrow_envelope, envelope(0xE6));
		let g = Grants::<Test>::get(PATIENT, DOCTOR).expect("history kept");
		assert_eq!(g.revoked_at, Some(3));
		System::assert_last_event(
			Event::AccessRevoked { patient: PATIENT, professional: DOCTOR, key_epoch: 1 }.into(),
		);
	});
}

#[test]
fn revoke_fails_without_a_live_grant() {
	test(|| {
		doctor_and_patient();
		assert_noop!(
			Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR2, envelope(1)),
			Error::<Test>::NotGranted
		);
		assert_noop!(
			Ehr::revoke_access(RuntimeOrigin::signed(OUTSIDER), DOCTOR, envelope(1)),
			Error::<Test>::NotPatient
		);
		assert_noop!(
			Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR, Default::default()),
			Error::<Test>::EmptyEnvelope
		);
		assert_ok!(Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR, envelope(1)));
		assert_noop!(
			Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR, envelope(1)),
			Error::<Test>::GrantRevoked
		);
	});
}

#[test]
fn regrant_after_revoke_carries_the_new_epoch() {
	test(|| {
		doctor_and_patient();
		assert_ok!(Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR, envelope(1)));
		assert_ok!(grant(PATIENT, DOCTOR, GrantScope::ReadWrite, None));
		let g = Grants::<Test>::get(PATIENT, DOCTOR).expect("granted");
		assert_eq!((g.key_epoch, g.revoked_at), (1, None));
		add_entry(PATIENT, DOCTOR, DocumentKind::ClinicalNote);
	});
}

#[test]
fn grant_expires_by_block_number() {
	test(|| {
		doctor_and_patient();
		assert_ok!(grant(PATIENT, DOCTOR, GrantScope::ReadWrite, Some(5)));
		run_to_block(5);
		add_entry(PATIENT, DOCTOR, DocumentKind::LabResult);
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(DOCTOR), PATIENT, 1));
		run_to_block(6);
		let (input, hash) = next_entry(PATIENT, DOCTOR, DocumentKind::LabResult, None);
		assert_noop!(
			Ehr::add_record(RuntimeOrigin::signed(DOCTOR), PATIENT, input, hash),
			Error::<Test>::GrantExpired
		);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR), PATIENT, 1),
			Error::<Test>::GrantExpired
		);
	});
}

#[test]
fn emergency_access_lifecycle() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		run_to_block(10);
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(DOCTOR2),
			PATIENT,
			EmergencyReason::PatientUnableToConsent,
			20
		));
		System::assert_last_event(
			Event::EmergencyAccessOpened {
				id: 0,
				patient: PATIENT,
				professional: DOCTOR2,
				reason: EmergencyReason::PatientUnableToConsent,
				expires_at: 30,
			}
			.into(),
		);
		assert_eq!(UnreviewedEmergencyCount::<Test>::get(), 1);
		// Break-glass lets the professional read and write without a grant.
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0));
		assert_ok!(Ehr::release_emergency_key(RuntimeOrigin::signed(ADMIN), 0, envelope(0xEE)));
		System::assert_last_event(Event::EmergencyKeyReleased { id: 0, by: ADMIN }.into());
		add_entry(PATIENT, DOCTOR2, DocumentKind::DischargeSummary);
		// It cannot be reviewed while open, nor opened twice.
		assert_noop!(
			Ehr::review_emergency_access(RuntimeOrigin::signed(ADMIN), 0, ReviewOutcome::Justified),
			Error::<Test>::EmergencyStillOpen
		);
		assert_noop!(
			Ehr::open_emergency_access(
				RuntimeOrigin::signed(DOCTOR2),
				PATIENT,
				EmergencyReason::Other,
				5
			),
			Error::<Test>::EmergencyAlreadyOpen
		);
		// The patient closes it.
		assert_ok!(Ehr::close_emergency_access(RuntimeOrigin::signed(PATIENT), 0));
		System::assert_last_event(Event::EmergencyAccessClosed { id: 0, by: PATIENT }.into());
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0),
			Error::<Test>::NotAllowedToRead
		);
		assert_noop!(
			Ehr::close_emergency_access(RuntimeOrigin::signed(PATIENT), 0),
			Error::<Test>::EmergencyNotOpen
		);
		// It stays flagged until an admin reviews it, once.
		assert_ok!(Ehr::review_emergency_access(
			RuntimeOrigin::signed(ADMIN),
			0,
			ReviewOutcome::Justified
		));
		System::assert_last_event(
			Event::EmergencyAccessReviewed { id: 0, by: ADMIN, outcome: ReviewOutcome::Justified }
				.into(),
		);
		assert_eq!(UnreviewedEmergencyCount::<Test>::get(), 0);
		assert_noop!(
			Ehr::review_emergency_access(RuntimeOrigin::signed(ADMIN), 0, ReviewOutcome::Justified),
			Error::<Test>::AlreadyReviewed
		);
	});
}

#[test]
fn emergency_access_expires_by_itself() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(DOCTOR2),
			PATIENT,
			EmergencyReason::LifeThreatening,
			4
		));
		run_to_block(5);
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0));
		run_to_block(6);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0),
			Error::<Test>::NotAllowedToRead
		);
		assert_noop!(
			Ehr::close_emergency_access(RuntimeOrigin::signed(ADMIN), 0),
			Error::<Test>::EmergencyNotOpen
		);
		assert_noop!(
			Ehr::release_emergency_key(RuntimeOrigin::signed(ADMIN), 0, envelope(1)),
			Error::<Test>::EmergencyNotOpen
		);
		assert_ok!(Ehr::review_emergency_access(
			RuntimeOrigin::signed(ADMIN),
			0,
			ReviewOutcome::Unjustified
		));
		// An expired access does not block a new one.
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(DOCTOR2),
			PATIENT,
			EmergencyReason::Other,
			1
		));
		assert_eq!(OpenEmergencies::<Test>::get(PATIENT, DOCTOR2), Some(1));
	});
}

#[test]
fn open_emergency_access_checks_its_input() {
	test(|| {
		doctor_and_patient();
		let open = |who, patient, duration| {
			Ehr::open_emergency_access(
				RuntimeOrigin::signed(who),
				patient,
				EmergencyReason::EmergencyCare,
				duration,
			)
		};
		assert_noop!(open(OUTSIDER, PATIENT, 5), Error::<Test>::NotProfessional);
		assert_noop!(open(DOCTOR, PATIENT2, 5), Error::<Test>::NotPatient);
		assert_noop!(open(DOCTOR, PATIENT, 0), Error::<Test>::ZeroDuration);
		assert_noop!(open(DOCTOR, PATIENT, 101), Error::<Test>::EmergencyDurationTooLong);
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_noop!(open(DOCTOR, PATIENT, 5), Error::<Test>::ProfessionalSuspended);
	});
}

#[test]
fn only_patient_or_admin_closes_emergency_access() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(DOCTOR2),
			PATIENT,
			EmergencyReason::Other,
			10
		));
		assert_noop!(
			Ehr::close_emergency_access(RuntimeOrigin::signed(DOCTOR2), 0),
			Error::<Test>::NotAllowedToClose
		);
		assert_noop!(
			Ehr::close_emergency_access(RuntimeOrigin::signed(ADMIN), 7),
			Error::<Test>::UnknownEmergencyAccess
		);
		assert_ok!(Ehr::close_emergency_access(RuntimeOrigin::signed(ADMIN), 0));
	});
}

#[test]
fn release_and_review_need_an_admin_and_a_known_access() {
	test(|| {
		doctor_and_patient();
		assert_noop!(
			Ehr::release_emergency_key(RuntimeOrigin::signed(DOCTOR), 0, envelope(1)),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Ehr::release_emergency_key(RuntimeOrigin::signed(ADMIN), 0, envelope(1)),
			Error::<Test>::UnknownEmergencyAccess
		);
		assert_noop!(
			Ehr::review_emergency_access(
				RuntimeOrigin::signed(PATIENT),
				0,
				ReviewOutcome::Justified
			),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Ehr::review_emergency_access(RuntimeOrigin::signed(ADMIN), 0, ReviewOutcome::Justified),
			Error::<Test>::UnknownEmergencyAccess
		);
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(DOCTOR),
			PATIENT,
			EmergencyReason::Other,
			10
		));
		assert_noop!(
			Ehr::release_emergency_key(RuntimeOrigin::signed(ADMIN), 0, Default::default()),
			Error::<Test>::EmptyEnvelope
		);
	});
}
