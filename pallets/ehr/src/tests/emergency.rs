//! Emergency access (break-glass): opening, expiry, release of the key, review, and the
//! consortium's policy.

use super::{grants::grant, *};

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
				expires_at: 29,
			}
			.into(),
		);
		assert_eq!(UnreviewedEmergencyCount::<Test>::get(), 1);
		// Break-glass lets the professional read and write without a grant.
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0));
		assert_ok!(Ehr::release_emergency_key(consortium(), 0, envelope(0xEE)));
		System::assert_last_event(Event::EmergencyKeyReleased { id: 0 }.into());
		add_entry(PATIENT, DOCTOR2, DocumentKind::ClinicalNote);
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
		// Open for four blocks, the first included: 1 to 4.
		run_to_block(4);
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0));
		run_to_block(5);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0),
			Error::<Test>::NotAllowedToRead
		);
		assert_noop!(
			Ehr::close_emergency_access(RuntimeOrigin::signed(ADMIN), 0),
			Error::<Test>::EmergencyNotOpen
		);
		assert_noop!(
			Ehr::release_emergency_key(consortium(), 0, envelope(1)),
			Error::<Test>::EmergencyNotOpen
		);
		assert_ok!(Ehr::review_emergency_access(
			RuntimeOrigin::signed(ADMIN),
			0,
			ReviewOutcome::Justified
		));
		// An expired, reviewed access does not block a new one.
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
fn release_needs_the_consortium_and_review_an_admin_and_both_a_known_access() {
	test(|| {
		doctor_and_patient();
		assert_noop!(
			Ehr::release_emergency_key(RuntimeOrigin::signed(DOCTOR), 0, envelope(1)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Ehr::release_emergency_key(consortium(), 0, envelope(1)),
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
			Ehr::release_emergency_key(consortium(), 0, Default::default()),
			Error::<Test>::EmptyEnvelope
		);
	});
}

pub(super) fn open(who: u64, patient: u64, duration: u64) -> DispatchResult {
	Ehr::open_emergency_access(
		RuntimeOrigin::signed(who),
		patient,
		EmergencyReason::EmergencyCare,
		duration,
	)
}

fn review(id: u64, outcome: ReviewOutcome) -> DispatchResult {
	Ehr::review_emergency_access(RuntimeOrigin::signed(ADMIN), id, outcome)
}

/// Registers `who` as an active professional of `kind`.
fn register_kind(who: u64, kind: ProfessionalKind) {
	assert_ok!(Ehr::register_professional(
		RuntimeOrigin::signed(ADMIN),
		who,
		kind,
		name("Someone"),
		name("general"),
		H256::repeat_byte(7),
		name("Somewhere"),
		[who as u8; 32],
	));
}

#[test]
fn emergency_access_lasts_exactly_its_duration() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		run_to_block(10);
		assert_ok!(open(DOCTOR2, PATIENT, 1));
		assert_eq!(EmergencyAccesses::<Test>::get(0).map(|a| a.expires_at), Some(10));
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0));
		run_to_block(11);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0),
			Error::<Test>::NotAllowedToRead
		);
	});
}

#[test]
fn only_the_kinds_the_consortium_allows_break_the_glass() {
	test(|| {
		doctor_and_patient();
		for (who, kind) in [
			(30, ProfessionalKind::Insurer),
			(31, ProfessionalKind::Pharmacist),
			(32, ProfessionalKind::Laboratory),
			(33, ProfessionalKind::Imaging),
			(34, ProfessionalKind::Other),
		] {
			register_kind(who, kind);
			assert_noop!(open(who, PATIENT, 5), Error::<Test>::KindMayNotBreakGlass);
		}
		register_kind(35, ProfessionalKind::Nurse);
		assert_ok!(open(35, PATIENT, 5));

		// The consortium lets laboratories in and keeps nurses out.
		let policy = EmergencyPolicy {
			kinds: vec![ProfessionalKind::Laboratory].try_into().expect("one kind"),
			writable: Default::default(),
			max_opens: 3,
			period: 50,
		};
		assert_noop!(
			Ehr::set_emergency_policy(RuntimeOrigin::signed(DOCTOR), policy.clone()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Ehr::set_emergency_policy(
				RuntimeOrigin::root(),
				EmergencyPolicy { period: 0, ..policy.clone() }
			),
			Error::<Test>::InvalidEmergencyPolicy
		);
		assert_ok!(Ehr::set_emergency_policy(consortium(), policy.clone()));
		System::assert_last_event(Event::EmergencyPolicySet { policy }.into());
		assert_ok!(open(32, PATIENT, 5));
		assert_noop!(open(DOCTOR, PATIENT, 5), Error::<Test>::KindMayNotBreakGlass);
	});
}

#[test]
fn a_professional_waits_for_review_before_breaking_the_glass_again() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		register_patient_by(ADMIN, PATIENT2, 2);
		assert_ok!(open(DOCTOR2, PATIENT, 2));
		assert_noop!(open(DOCTOR2, PATIENT2, 2), Error::<Test>::EmergencyReviewPending);
		run_to_block(5);
		assert_noop!(open(DOCTOR2, PATIENT2, 2), Error::<Test>::EmergencyReviewPending);
		assert_ok!(review(0, ReviewOutcome::Justified));
		assert_ok!(open(DOCTOR2, PATIENT2, 2));
	});
}

#[test]
fn an_unjustified_access_bars_the_professional_until_an_admin_clears_it() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(open(DOCTOR2, PATIENT, 1));
		run_to_block(2);
		assert_ok!(review(0, ReviewOutcome::Unjustified));
		assert!(EmergencyStandings::<Test>::get(DOCTOR2).barred);
		assert_noop!(open(DOCTOR2, PATIENT, 1), Error::<Test>::EmergencyAccessBarred);
		assert_noop!(
			Ehr::clear_emergency_bar(RuntimeOrigin::signed(DOCTOR), DOCTOR2),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Ehr::clear_emergency_bar(RuntimeOrigin::signed(ADMIN), DOCTOR),
			Error::<Test>::NotBarred
		);
		assert_ok!(Ehr::clear_emergency_bar(RuntimeOrigin::signed(ADMIN), DOCTOR2));
		System::assert_last_event(
			Event::EmergencyBarCleared { professional: DOCTOR2, by: ADMIN }.into(),
		);
		assert_ok!(open(DOCTOR2, PATIENT, 1));
	});
}

#[test]
fn emergency_opens_are_bounded_per_period() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		let policy =
			EmergencyPolicy { max_opens: 2, period: 10, ..EmergencyPolicySetting::<Test>::get() };
		assert_ok!(Ehr::set_emergency_policy(RuntimeOrigin::root(), policy));
		let mut id = 0;
		let mut open_and_review = |at: u64| -> DispatchResult {
			run_to_block(at);
			open(DOCTOR2, PATIENT, 1)?;
			run_to_block(at + 1);
			let result = review(id, ReviewOutcome::Justified);
			id += 1;
			result
		};
		assert_ok!(open_and_review(2));
		assert_ok!(open_and_review(4));
		run_to_block(6);
		assert_noop!(open(DOCTOR2, PATIENT, 1), Error::<Test>::TooManyEmergencyAccesses);
		// A new period starts ten blocks after the first open.
		assert_ok!(open_and_review(12));
	});
}

#[test]
fn an_emergency_key_goes_once_by_the_consortium_to_an_active_professional() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(Ehr::add_admin(consortium(), DOCTOR2, None));
		assert_ok!(open(DOCTOR2, PATIENT, 10));
		// No single admin releases a key, the professional's own admin account included.
		for admin in [ADMIN, DOCTOR2] {
			assert_noop!(
				Ehr::release_emergency_key(RuntimeOrigin::signed(admin), 0, envelope(9)),
				DispatchError::BadOrigin
			);
		}
		let release = || Ehr::release_emergency_key(consortium(), 0, envelope(9));
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR2));
		assert_noop!(release(), Error::<Test>::ProfessionalSuspended);
		assert_ok!(Ehr::reinstate_professional(RuntimeOrigin::signed(ADMIN), DOCTOR2));
		assert_ok!(release());
		assert_noop!(release(), Error::<Test>::KeyAlreadyReleased);
	});
}

#[test]
fn a_revoke_ends_the_revoked_professionals_break_glass_access() {
	test(|| {
		doctor_and_patient();
		assert_ok!(open(DOCTOR, PATIENT, 50));
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			envelope(1),
			no_regrants()
		));
		System::assert_has_event(Event::EmergencyAccessClosed { id: 0, by: PATIENT }.into());
		assert!(!Ehr::has_open_emergency(&PATIENT, &DOCTOR, System::block_number()));
		assert_noop!(
			Ehr::release_emergency_key(consortium(), 0, envelope(9)),
			Error::<Test>::EmergencyNotOpen
		);
		// A new grant from the patient lifts the refusal.
		assert_ok!(grant(PATIENT, DOCTOR, GrantScope::Read, None));
		assert_ok!(review(0, ReviewOutcome::Justified));
		assert_ok!(open(DOCTOR, PATIENT, 5));
	});
}

#[test]
fn an_admin_does_not_judge_its_own_break_glass() {
	test(|| {
		doctor_and_patient();
		assert_ok!(Ehr::add_admin(consortium(), DOCTOR, None));
		assert_ok!(open(DOCTOR, PATIENT, 1));
		run_to_block(3);
		assert_noop!(
			Ehr::review_emergency_access(
				RuntimeOrigin::signed(DOCTOR),
				0,
				ReviewOutcome::Justified
			),
			Error::<Test>::CannotReviewOwnAccess
		);
		assert_ok!(review(0, ReviewOutcome::Unjustified));
		assert_noop!(
			Ehr::clear_emergency_bar(RuntimeOrigin::signed(DOCTOR), DOCTOR),
			Error::<Test>::CannotReviewOwnAccess
		);
		assert_ok!(Ehr::clear_emergency_bar(RuntimeOrigin::signed(ADMIN), DOCTOR));
	});
}
