//! Message notices: who may write to whom about a patient, and what the chain keeps.

use super::{emergency::open, grants::grant, *};

const DOCTOR3: u64 = 12;

fn to(accounts: &[u64]) -> RecipientsOf<Test> {
	accounts.to_vec().try_into().expect("few recipients")
}

fn post(from: u64, patient: u64, recipients: &[u64]) -> DispatchResult {
	Ehr::post_message(
		RuntimeOrigin::signed(from),
		patient,
		to(recipients),
		H256::repeat_byte(0x4D),
		locator(0x4D),
	)
}

/// [`DOCTOR`] registered [`PATIENT`]; [`DOCTOR2`] holds a read-only grant; [`DOCTOR3`] is
/// registered without any right.
fn care_team() {
	doctor_and_patient();
	register_doctor(DOCTOR2);
	register_doctor(DOCTOR3);
	assert_ok!(grant(PATIENT, DOCTOR2, GrantScope::Read, None));
	run_to_block(2);
}

#[test]
fn a_patient_writes_to_the_professionals_it_granted() {
	test(|| {
		care_team();
		assert_ok!(post(PATIENT, PATIENT, &[DOCTOR, DOCTOR2]));
		System::assert_last_event(
			Event::MessagePosted {
				patient: PATIENT,
				index: 0,
				from: PATIENT,
				to: to(&[DOCTOR, DOCTOR2]),
			}
			.into(),
		);
		let notice = Messages::<Test>::get(PATIENT, 0).expect("kept");
		assert_eq!(notice.from, PATIENT);
		assert_eq!(notice.to, to(&[DOCTOR, DOCTOR2]));
		assert_eq!(notice.digest, H256::repeat_byte(0x4D));
		assert_eq!(notice.locator, locator(0x4D));
		assert_eq!(notice.block, 2);
		assert_eq!(MessageCount::<Test>::get(PATIENT), 1);
	});
}

#[test]
fn professionals_write_to_the_patient_and_to_each_other_about_it() {
	test(|| {
		care_team();
		assert_ok!(post(DOCTOR, PATIENT, &[PATIENT]));
		assert_ok!(post(DOCTOR2, PATIENT, &[DOCTOR]));
		// Break-glass access is a right to read, so to be written to.
		assert_ok!(open(DOCTOR3, PATIENT, 10));
		assert_ok!(post(DOCTOR, PATIENT, &[DOCTOR3, PATIENT]));
		assert_ok!(post(DOCTOR3, PATIENT, &[DOCTOR]));
		assert_eq!(MessageCount::<Test>::get(PATIENT), 4);
		assert_eq!(Messages::<Test>::get(PATIENT, 3).map(|m| m.from), Some(DOCTOR3));
	});
}

#[test]
fn only_those_who_may_read_the_records_write_about_them() {
	test(|| {
		care_team();
		assert_noop!(post(DOCTOR3, PATIENT, &[PATIENT]), Error::<Test>::NotAllowedToRead);
		assert_noop!(post(OUTSIDER, PATIENT, &[PATIENT]), Error::<Test>::NotAllowedToRead);
		assert_noop!(post(DOCTOR, OUTSIDER, &[DOCTOR2]), Error::<Test>::NotPatient);
		assert_noop!(post(PATIENT2, PATIENT, &[DOCTOR]), Error::<Test>::NotAllowedToRead);
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR2));
		assert_noop!(post(DOCTOR2, PATIENT, &[PATIENT]), Error::<Test>::ProfessionalSuspended);
	});
}

#[test]
fn a_revoked_or_expired_grant_ends_the_conversation() {
	test(|| {
		care_team();
		assert_ok!(grant(PATIENT, DOCTOR3, GrantScope::Read, Some(3)));
		assert_ok!(post(PATIENT, PATIENT, &[DOCTOR3]));
		run_to_block(4);
		assert_noop!(post(PATIENT, PATIENT, &[DOCTOR3]), Error::<Test>::RecipientMayNotRead);
		assert_noop!(post(DOCTOR3, PATIENT, &[PATIENT]), Error::<Test>::GrantExpired);
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR2,
			envelope(0xE6),
			regrants(&[DOCTOR])
		));
		assert_noop!(post(DOCTOR, PATIENT, &[DOCTOR2]), Error::<Test>::RecipientMayNotRead);
		assert_noop!(post(DOCTOR2, PATIENT, &[DOCTOR]), Error::<Test>::GrantRevoked);
		// One recipient without a right refuses the whole message.
		assert_noop!(
			post(PATIENT, PATIENT, &[DOCTOR, DOCTOR2]),
			Error::<Test>::RecipientMayNotRead
		);
	});
}

#[test]
fn a_message_needs_other_recipients_and_a_locator() {
	test(|| {
		care_team();
		assert_noop!(post(DOCTOR, PATIENT, &[]), Error::<Test>::NoRecipients);
		assert_noop!(post(DOCTOR, PATIENT, &[DOCTOR]), Error::<Test>::MessageToSelf);
		assert_noop!(post(PATIENT, PATIENT, &[DOCTOR, PATIENT]), Error::<Test>::MessageToSelf);
		assert_noop!(post(DOCTOR, PATIENT, &[PATIENT, PATIENT]), Error::<Test>::DuplicateRecipient);
		assert_noop!(
			Ehr::post_message(
				RuntimeOrigin::signed(DOCTOR),
				PATIENT,
				to(&[PATIENT]),
				H256::zero(),
				Default::default()
			),
			Error::<Test>::EmptyLocator
		);
		assert_eq!(MessageCount::<Test>::get(PATIENT), 0);
	});
}

#[test]
fn nobody_writes_about_a_removed_patient() {
	test(|| {
		care_team();
		assert_ok!(Ehr::remove_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		assert_noop!(post(DOCTOR, PATIENT, &[DOCTOR2]), Error::<Test>::PatientRemoved);
	});
}

#[test]
fn a_patient_is_written_to_by_its_own_account_and_not_while_suspended() {
	test(|| {
		const NEW: u64 = 40;
		care_team();
		assert_ok!(Ehr::move_patient_account(
			RuntimeOrigin::signed(PATIENT),
			NEW,
			[4; 32],
			envelope(0xE8),
			regrants(&[DOCTOR]),
			move_consent_of(NEW, PATIENT, [4; 32], &envelope(0xE8)),
		));
		// The key it moved to signs its messages, but it is named by its own account, once.
		assert_noop!(post(DOCTOR, PATIENT, &[NEW]), Error::<Test>::RecipientMayNotRead);
		assert_noop!(post(NEW, PATIENT, &[DOCTOR, PATIENT]), Error::<Test>::MessageToSelf);
		assert_ok!(post(NEW, PATIENT, &[DOCTOR]));
		assert_ok!(post(DOCTOR, PATIENT, &[PATIENT]));
		// A suspended patient reads nothing, so is written to by nobody.
		assert_ok!(Ehr::suspend_patient(RuntimeOrigin::signed(ADMIN), PATIENT));
		assert_noop!(post(DOCTOR, PATIENT, &[PATIENT]), Error::<Test>::RecipientMayNotRead);
	});
}
