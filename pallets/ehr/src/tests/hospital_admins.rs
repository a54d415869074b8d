//! Admins of a hospital: appointed by the hospital (or the consortium), they manage their own
//! hospital's staff, the patients that staff registered and its emergency accesses, and
//! nobody else's; the consortium's admins manage everyone's.

use super::*;

/// An admin of [`HOSPITAL`].
const OURS: u64 = 3;
/// An admin of [`OTHER_HOSPITAL`].
const THEIRS: u64 = 4;
/// A doctor [`OURS`] registered.
const OUR_DOCTOR: u64 = 12;
/// A doctor [`THEIRS`] registered.
const THEIR_DOCTOR: u64 = 17;

/// Each hospital with an admin, each admin with a doctor.
fn two_hospitals() {
	assert_ok!(Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), OURS));
	assert_ok!(Ehr::add_admin(consortium(), THEIRS, Some(OTHER_HOSPITAL)));
	register_doctor_by(OURS, OUR_DOCTOR);
	register_doctor_by(THEIRS, THEIR_DOCTOR);
}

#[test]
fn a_hospital_appoints_its_own_admins() {
	test(|| {
		assert_ok!(Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), OURS));
		assert_eq!(Admins::<Test>::get(OURS), Some(Admin { hospital: Some(HOSPITAL) }));
		System::assert_last_event(
			Event::AdminAdded { admin: OURS, hospital: Some(HOSPITAL) }.into(),
		);
		assert_eq!(AdminCount::<Test>::get(), 2);
		assert_eq!(HospitalAdminCount::<Test>::get(HOSPITAL), 1);
		assert_eq!(ConsortiumAdminCount::<Test>::get(), 1);
	});
}

#[test]
fn only_a_hospital_appoints_admins_and_never_twice() {
	test(|| {
		for who in [ADMIN, OUTSIDER] {
			assert_noop!(
				Ehr::appoint_admin(RuntimeOrigin::signed(who), OURS),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(Ehr::appoint_admin(consortium(), OURS), DispatchError::BadOrigin);
		assert_noop!(
			Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), ADMIN),
			Error::<Test>::AlreadyAdmin
		);
		doctor_and_patient();
		assert_noop!(
			Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), PATIENT),
			Error::<Test>::AccountHasAnotherRole
		);
	});
}

#[test]
fn the_consortium_names_admins_only_of_its_hospitals() {
	test(|| {
		assert_noop!(
			Ehr::add_admin(consortium(), OURS, Some(OUTSIDER)),
			Error::<Test>::NotHospital
		);
		assert_ok!(Ehr::add_admin(consortium(), OURS, Some(HOSPITAL)));
		assert_eq!(Admins::<Test>::get(OURS), Some(Admin { hospital: Some(HOSPITAL) }));
	});
}

#[test]
fn a_hospital_dismisses_only_its_own_admins() {
	test(|| {
		two_hospitals();
		assert_noop!(
			Ehr::dismiss_admin(RuntimeOrigin::signed(HOSPITAL), THEIRS),
			Error::<Test>::NotOwnStaff
		);
		assert_noop!(
			Ehr::dismiss_admin(RuntimeOrigin::signed(HOSPITAL), ADMIN),
			Error::<Test>::NotOwnStaff
		);
		assert_noop!(
			Ehr::dismiss_admin(RuntimeOrigin::signed(HOSPITAL), OUTSIDER),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Ehr::dismiss_admin(RuntimeOrigin::signed(OURS), OURS),
			DispatchError::BadOrigin
		);
		assert_ok!(Ehr::dismiss_admin(RuntimeOrigin::signed(HOSPITAL), OURS));
		assert!(!Admins::<Test>::contains_key(OURS));
		System::assert_last_event(Event::AdminRemoved { admin: OURS }.into());
	});
}

#[test]
fn the_consortiums_last_admin_stays_a_hospitals_may_go() {
	test(|| {
		assert_ok!(Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), OURS));
		assert_noop!(Ehr::remove_admin(consortium(), ADMIN), Error::<Test>::LastAdmin);
		assert_ok!(Ehr::dismiss_admin(RuntimeOrigin::signed(HOSPITAL), OURS));
		assert_eq!(HospitalAdminCount::<Test>::get(HOSPITAL), 0);
		assert_eq!((AdminCount::<Test>::get(), ConsortiumAdminCount::<Test>::get()), (1, 1));
	});
}

#[test]
fn a_hospital_has_at_most_its_share_of_admins() {
	test(|| {
		// The test runtime lets a hospital have two.
		assert_ok!(Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), OURS));
		assert_ok!(Ehr::add_admin(consortium(), 5, Some(HOSPITAL)));
		assert_noop!(
			Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), 6),
			Error::<Test>::TooManyAdmins
		);
		assert_noop!(Ehr::add_admin(consortium(), 6, Some(HOSPITAL)), Error::<Test>::TooManyAdmins);
		// Another hospital's share is its own.
		assert_ok!(Ehr::add_admin(consortium(), THEIRS, Some(OTHER_HOSPITAL)));
		assert_ok!(Ehr::dismiss_admin(RuntimeOrigin::signed(HOSPITAL), 5));
		assert_ok!(Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), 6));
		assert_eq!(HospitalAdminCount::<Test>::get(HOSPITAL), 2);
	});
}

#[test]
fn a_patients_hospital_is_the_one_that_registered_it() {
	test(|| {
		// The consortium's admin 2 registers a patient, then leaves and becomes one of our
		// admins: the patient stays the consortium's.
		assert_ok!(Ehr::add_admin(consortium(), 2, None));
		register_patient_by(2, PATIENT, 1);
		assert_ok!(Ehr::remove_admin(consortium(), 2));
		assert_ok!(Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), 2));
		assert_noop!(
			Ehr::suspend_patient(RuntimeOrigin::signed(2), PATIENT),
			Error::<Test>::NotOwnStaff
		);
		// Registered by our doctor, a patient is ours, whatever becomes of the doctor.
		two_hospitals();
		register_patient_by(OUR_DOCTOR, PATIENT2, 2);
		assert_eq!(PatientHospital::<Test>::get(PATIENT2), Some(HOSPITAL));
		assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(OURS), OUR_DOCTOR));
		assert_ok!(Ehr::suspend_patient(RuntimeOrigin::signed(OURS), PATIENT2));
		assert_eq!(PatientHospital::<Test>::get(PATIENT), None);
	});
}

#[test]
fn a_professional_joins_its_registrars_hospital() {
	test(|| {
		two_hospitals();
		register_doctor(DOCTOR);
		let hospital = |who| Professionals::<Test>::get(who).expect("registered").hospital;
		assert_eq!(hospital(OUR_DOCTOR), Some(HOSPITAL));
		assert_eq!(hospital(THEIR_DOCTOR), Some(OTHER_HOSPITAL));
		assert_eq!(hospital(DOCTOR), None, "the consortium's admin registers its own staff");
	});
}

#[test]
fn an_admin_manages_its_own_hospitals_professionals_only() {
	test(|| {
		two_hospitals();
		register_doctor(DOCTOR);
		for other in [THEIR_DOCTOR, DOCTOR] {
			assert_noop!(
				Ehr::suspend_professional(RuntimeOrigin::signed(OURS), other),
				Error::<Test>::NotOwnStaff
			);
			assert_noop!(
				Ehr::remove_professional(RuntimeOrigin::signed(OURS), other),
				Error::<Test>::NotOwnStaff
			);
		}
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(OURS), OUR_DOCTOR));
		assert_noop!(
			Ehr::reinstate_professional(RuntimeOrigin::signed(THEIRS), OUR_DOCTOR),
			Error::<Test>::NotOwnStaff
		);
		assert_ok!(Ehr::reinstate_professional(RuntimeOrigin::signed(OURS), OUR_DOCTOR));
		// The consortium's admins manage every hospital's staff.
		assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), THEIR_DOCTOR));
	});
}

#[test]
fn a_patient_is_managed_by_its_registrars_hospital() {
	test(|| {
		two_hospitals();
		// Registered by one of our doctors, and by our admin directly.
		register_patient_by(OUR_DOCTOR, PATIENT, 1);
		register_patient_by(OURS, PATIENT2, 2);
		for patient in [PATIENT, PATIENT2] {
			assert_noop!(
				Ehr::suspend_patient(RuntimeOrigin::signed(THEIRS), patient),
				Error::<Test>::NotOwnStaff
			);
			assert_noop!(
				Ehr::remove_patient(RuntimeOrigin::signed(THEIRS), patient),
				Error::<Test>::NotOwnStaff
			);
			assert_ok!(Ehr::suspend_patient(RuntimeOrigin::signed(OURS), patient));
			assert_noop!(
				Ehr::reinstate_patient(RuntimeOrigin::signed(THEIRS), patient),
				Error::<Test>::NotOwnStaff
			);
			assert_ok!(Ehr::reinstate_patient(RuntimeOrigin::signed(ADMIN), patient));
		}
		assert_ok!(Ehr::remove_patient(RuntimeOrigin::signed(OURS), PATIENT));
		assert_noop!(
			Ehr::release_insurance(RuntimeOrigin::signed(THEIRS), PATIENT),
			Error::<Test>::NotOwnStaff
		);
		assert_ok!(Ehr::release_insurance(RuntimeOrigin::signed(OURS), PATIENT));
	});
}

#[test]
fn an_admin_reviews_its_own_hospitals_emergency_accesses_only() {
	test(|| {
		two_hospitals();
		register_patient_by(THEIR_DOCTOR, PATIENT, 1);
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(OUR_DOCTOR),
			PATIENT,
			EmergencyReason::LifeThreatening,
			5
		));
		// Another hospital's admin neither closes nor reviews our doctor's access.
		assert_noop!(
			Ehr::close_emergency_access(RuntimeOrigin::signed(THEIRS), 0),
			Error::<Test>::NotAllowedToClose
		);
		assert_ok!(Ehr::close_emergency_access(RuntimeOrigin::signed(OURS), 0));
		assert_noop!(
			Ehr::review_emergency_access(
				RuntimeOrigin::signed(THEIRS),
				0,
				ReviewOutcome::Unjustified
			),
			Error::<Test>::NotOwnStaff
		);
		assert_ok!(Ehr::review_emergency_access(
			RuntimeOrigin::signed(OURS),
			0,
			ReviewOutcome::Unjustified
		));
		assert!(EmergencyStandings::<Test>::get(OUR_DOCTOR).barred);
		assert_noop!(
			Ehr::clear_emergency_bar(RuntimeOrigin::signed(THEIRS), OUR_DOCTOR),
			Error::<Test>::NotOwnStaff
		);
		assert_ok!(Ehr::clear_emergency_bar(RuntimeOrigin::signed(OURS), OUR_DOCTOR));
	});
}

#[test]
fn a_removed_hospitals_admins_act_no_more() {
	test(|| {
		two_hospitals();
		register_patient_by(OUR_DOCTOR, PATIENT, 1);
		assert_eq!(Ehr::role_of(&OURS), Some(Role::Admin));
		remove_hospital(HOSPITAL);

		assert_eq!(Ehr::role_of(&OURS), None, "no longer a member");
		assert_noop!(
			Ehr::suspend_professional(RuntimeOrigin::signed(OURS), OUR_DOCTOR),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Ehr::register_patient(
				RuntimeOrigin::signed(OURS),
				PATIENT2,
				insurance(2),
				[2; 32],
				envelope(0xE5),
				None,
				consent(PATIENT2, OURS, [2; 32], &envelope(0xE5)),
			),
			Error::<Test>::NotAllowedToRegister
		);
		assert_noop!(
			Ehr::appoint_admin(RuntimeOrigin::signed(HOSPITAL), 5),
			DispatchError::BadOrigin
		);
		// Its staff and patients stay in the consortium's admins' hands.
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), OUR_DOCTOR));
		assert_ok!(Ehr::suspend_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
	});
}
