//! Admins and professionals, and what membership follows from the roles.

use super::*;

#[test]
fn the_consortium_adds_an_admin() {
	test(|| {
		assert_ok!(Ehr::add_admin(consortium(), 2, None));
		assert!(Admins::<Test>::contains_key(2));
		assert_eq!(AdminCount::<Test>::get(), 2);
		System::assert_last_event(Event::AdminAdded { admin: 2, hospital: None }.into());
	});
}

#[test]
fn add_admin_twice_fails() {
	test(|| {
		assert_noop!(Ehr::add_admin(consortium(), ADMIN, None), Error::<Test>::AlreadyAdmin);
	});
}

#[test]
fn no_single_account_adds_or_removes_an_admin() {
	test(|| {
		assert_ok!(Ehr::add_admin(consortium(), 2, None));
		for who in [ADMIN, HOSPITAL, OUTSIDER] {
			assert_noop!(
				Ehr::add_admin(RuntimeOrigin::signed(who), 3, None),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Ehr::remove_admin(RuntimeOrigin::signed(who), 2),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(Ehr::add_admin(RuntimeOrigin::none(), 3, None), DispatchError::BadOrigin);
	});
}

#[test]
fn the_consortium_removes_an_admin() {
	test(|| {
		assert_ok!(Ehr::add_admin(consortium(), 2, None));
		assert_ok!(Ehr::remove_admin(consortium(), ADMIN));
		assert!(!Admins::<Test>::contains_key(ADMIN));
		System::assert_last_event(Event::AdminRemoved { admin: ADMIN }.into());
	});
}

#[test]
fn last_admin_cannot_be_removed() {
	test(|| {
		assert_noop!(Ehr::remove_admin(consortium(), ADMIN), Error::<Test>::LastAdmin);
	});
}

#[test]
fn removing_a_non_admin_fails() {
	test(|| {
		assert_noop!(Ehr::remove_admin(consortium(), 2), Error::<Test>::NotAdmin);
	});
}

#[test]
fn admin_registers_professional() {
	test(|| {
		register_doctor(DOCTOR);
		let record = Professionals::<Test>::get(DOCTOR).expect("registered");
		assert_eq!(record.status, ProfessionalStatus::Active);
		assert_eq!(record.registered_by, ADMIN);
		assert_eq!(record.specialty, name("cardiology"));
		assert_eq!(ProfessionalCount::<Test>::get(), 1);
		System::assert_last_event(
			Event::ProfessionalRegistered {
				professional: DOCTOR,
				kind: ProfessionalKind::Doctor,
				by: ADMIN,
			}
			.into(),
		);
	});
}

#[test]
fn registering_a_professional_twice_fails() {
	test(|| {
		register_doctor(DOCTOR);
		assert_noop!(
			Ehr::register_professional(
				RuntimeOrigin::signed(ADMIN),
				DOCTOR,
				ProfessionalKind::Pharmacist,
				name("x"),
				name("x"),
				H256::zero(),
				name("x"),
				[0; 32],
			),
			Error::<Test>::AlreadyProfessional
		);
	});
}

#[test]
fn professional_cannot_register_professional() {
	test(|| {
		register_doctor(DOCTOR);
		assert_noop!(
			Ehr::register_professional(
				RuntimeOrigin::signed(DOCTOR),
				DOCTOR2,
				ProfessionalKind::Doctor,
				name("x"),
				name("x"),
				H256::zero(),
				name("x"),
				[0; 32],
			),
			Error::<Test>::NotAdmin
		);
	});
}

#[test]
fn oversized_name_is_refused_at_decoding() {
	let long = vec![b'a'; 65];
	assert!(NameOf::<Test>::try_from(long).is_err());
}

#[test]
fn suspend_and_reinstate_professional() {
	test(|| {
		register_doctor(DOCTOR);
		run_to_block(5);
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		let record = Professionals::<Test>::get(DOCTOR).expect("kept");
		assert_eq!(record.status, ProfessionalStatus::Suspended);
		assert_eq!(record.status_changed_at, 5);
		assert_eq!(ActiveProfessionalCount::<Test>::get(), 0);
		System::assert_last_event(
			Event::ProfessionalSuspended { professional: DOCTOR, by: ADMIN }.into(),
		);
		assert_ok!(Ehr::reinstate_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_eq!(ActiveProfessionalCount::<Test>::get(), 1);
		System::assert_last_event(
			Event::ProfessionalReinstated { professional: DOCTOR, by: ADMIN }.into(),
		);
	});
}

#[test]
fn suspend_fails_for_unknown_or_inactive_professional() {
	test(|| {
		assert_noop!(
			Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR),
			Error::<Test>::NotProfessional
		);
		register_doctor(DOCTOR);
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_noop!(
			Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR),
			Error::<Test>::ProfessionalNotActive
		);
	});
}

#[test]
fn reinstate_fails_unless_suspended() {
	test(|| {
		assert_noop!(
			Ehr::reinstate_professional(RuntimeOrigin::signed(ADMIN), DOCTOR),
			Error::<Test>::NotProfessional
		);
		register_doctor(DOCTOR);
		assert_noop!(
			Ehr::reinstate_professional(RuntimeOrigin::signed(ADMIN), DOCTOR),
			Error::<Test>::ProfessionalNotSuspended
		);
		assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_noop!(
			Ehr::reinstate_professional(RuntimeOrigin::signed(ADMIN), DOCTOR),
			Error::<Test>::ProfessionalRemoved
		);
	});
}

#[test]
fn removed_professional_is_kept_with_its_history() {
	test(|| {
		register_doctor(DOCTOR);
		assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_eq!(
			Professionals::<Test>::get(DOCTOR).map(|p| p.status),
			Some(ProfessionalStatus::Removed)
		);
		assert_eq!(ProfessionalCount::<Test>::get(), 1);
		assert_eq!(ActiveProfessionalCount::<Test>::get(), 0);
		System::assert_last_event(
			Event::ProfessionalRemoved { professional: DOCTOR, by: ADMIN }.into(),
		);
		assert_noop!(
			Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), DOCTOR),
			Error::<Test>::ProfessionalRemoved
		);
		assert_noop!(
			Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), DOCTOR2),
			Error::<Test>::NotProfessional
		);
	});
}

#[test]
fn the_consortium_sets_difficulty_within_bounds() {
	test(|| {
		assert_ok!(Ehr::set_difficulty(consortium(), 12));
		assert_eq!(Difficulty::<Test>::get(), 12);
		System::assert_last_event(Event::DifficultySet { difficulty: 12 }.into());
		assert_noop!(Ehr::set_difficulty(consortium(), 0), Error::<Test>::DifficultyOutOfBounds);
		assert_noop!(Ehr::set_difficulty(consortium(), 25), Error::<Test>::DifficultyOutOfBounds);
		for who in [ADMIN, DOCTOR] {
			assert_noop!(
				Ehr::set_difficulty(RuntimeOrigin::signed(who), 9),
				DispatchError::BadOrigin
			);
		}
	});
}

#[test]
fn membership_follows_roles() {
	test(|| {
		assert!(Ehr::is_member(&ADMIN));
		assert!(!Ehr::is_member(&OUTSIDER));
		// A hospital's voting account transacts as an admin does (to propose and vote), but
		// holds no admin's powers.
		assert_eq!(Ehr::role_of(&HOSPITAL), Some(Role::Admin));
		assert_noop!(
			Ehr::suspend_patient(RuntimeOrigin::signed(HOSPITAL), PATIENT),
			Error::<Test>::NotAdmin
		);
		doctor_and_patient();
		assert!(Ehr::is_member(&DOCTOR));
		assert!(Ehr::is_member(&PATIENT));
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert!(!Ehr::is_member(&DOCTOR));
	});
}

#[test]
fn members_accounts_exist_so_their_nonces_are_kept() {
	test(|| {
		assert!(System::account_exists(&ADMIN));
		assert!(!System::account_exists(&DOCTOR));
		doctor_and_patient();
		assert_ok!(Ehr::add_admin(consortium(), 2, None));
		for who in [DOCTOR, PATIENT, 2] {
			assert_eq!(System::providers(&who), 1, "account {who}");
		}
		// Losing a role keeps the account, so its nonce never resets.
		assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_ok!(Ehr::remove_admin(consortium(), 2));
		assert!(System::account_exists(&DOCTOR) && System::account_exists(&2));
	});
}
