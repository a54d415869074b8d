//! Grants, revokes and key epochs.

use super::{emergency::open, *};

pub(super) fn grant(
	patient: u64,
	professional: u64,
	scope: GrantScope,
	expires_at: Option<u64>,
) -> DispatchResult {
	Ehr::grant_access(
		RuntimeOrigin::signed(patient),
		professional,
		scope,
		expires_at,
		epoch_of_or_zero(patient),
		envelope(3),
	)
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
				0,
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
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			envelope(0xE6),
			no_regrants()
		));
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
			Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR2, envelope(1), no_regrants()),
			Error::<Test>::NotGranted
		);
		assert_noop!(
			Ehr::revoke_access(RuntimeOrigin::signed(OUTSIDER), DOCTOR, envelope(1), no_regrants()),
			Error::<Test>::NotPatient
		);
		assert_noop!(
			Ehr::revoke_access(
				RuntimeOrigin::signed(PATIENT),
				DOCTOR,
				Default::default(),
				no_regrants()
			),
			Error::<Test>::EmptyEnvelope
		);
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			envelope(1),
			no_regrants()
		));
		assert_noop!(
			Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR, envelope(1), no_regrants()),
			Error::<Test>::GrantRevoked
		);
	});
}

#[test]
fn regrant_after_revoke_carries_the_new_epoch() {
	test(|| {
		doctor_and_patient();
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			envelope(1),
			no_regrants()
		));
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
fn grant_for_another_key_epoch_is_refused() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		let grant_at = |epoch| {
			Ehr::grant_access(
				RuntimeOrigin::signed(PATIENT),
				DOCTOR2,
				GrantScope::Read,
				None,
				epoch,
				envelope(3),
			)
		};
		// An envelope made for the next epoch cannot land while the patient is still at 0.
		assert_noop!(grant_at(1), Error::<Test>::GrantForWrongKeyEpoch);
		assert_ok!(grant_at(0));
		assert_ok!(Ehr::rotate_record_key(
			RuntimeOrigin::signed(PATIENT),
			envelope(1),
			no_regrants()
		));
		assert_noop!(grant_at(0), Error::<Test>::GrantForWrongKeyEpoch);
		assert_ok!(grant_at(1));
	});
}

#[test]
fn refused_revoke_hands_out_no_key_of_the_next_epoch() {
	test(|| {
		// The patient keeps DOCTOR2 and tries to revoke OUTSIDER, which holds no grant.
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(grant(PATIENT, DOCTOR2, GrantScope::Read, None));
		assert_noop!(
			Ehr::revoke_access(
				RuntimeOrigin::signed(PATIENT),
				OUTSIDER,
				envelope(0xE6),
				regrants(&[DOCTOR, DOCTOR2])
			),
			Error::<Test>::NotGranted
		);
		// Nobody holds an envelope of epoch 1, and none can be given while the patient is at 0.
		assert!(Ehr::doctors_of(PATIENT).iter().all(|(_, g)| g.key_epoch == 0));
		assert_eq!(epoch_of(PATIENT), 0);
	});
}

#[test]
fn revoke_hands_the_new_key_to_the_kept_grantees_at_once() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(grant(PATIENT, DOCTOR2, GrantScope::Read, Some(40)));
		run_to_block(3);
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			envelope(0xE6),
			regrants(&[DOCTOR2])
		));
		let kept = Grants::<Test>::get(PATIENT, DOCTOR2).expect("kept");
		assert_eq!((kept.scope, kept.expires_at, kept.key_epoch), (GrantScope::Read, Some(40), 1));
		assert_eq!(kept.envelope, envelope(0x70 + DOCTOR2 as u8));
		assert_eq!(Grants::<Test>::get(PATIENT, DOCTOR).and_then(|g| g.revoked_at), Some(3));
		System::assert_has_event(
			Event::AccessRevoked { patient: PATIENT, professional: DOCTOR, key_epoch: 1 }.into(),
		);
		System::assert_last_event(
			Event::AccessGranted {
				patient: PATIENT,
				professional: DOCTOR2,
				scope: GrantScope::Read,
				expires_at: Some(40),
				key_epoch: 1,
			}
			.into(),
		);
	});
}

#[test]
fn regrants_must_name_distinct_live_grantees_other_than_the_revoked() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		register_doctor(12);
		assert_ok!(grant(PATIENT, DOCTOR2, GrantScope::Read, None));
		let revoke = |regrants| {
			Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR, envelope(1), regrants)
		};
		assert_noop!(revoke(regrants(&[DOCTOR])), Error::<Test>::RegrantWithoutGrant);
		assert_noop!(revoke(regrants(&[12])), Error::<Test>::RegrantWithoutGrant);
		assert_noop!(revoke(regrants(&[DOCTOR2, DOCTOR2])), Error::<Test>::DuplicateRegrant);
		let mut empty = regrants(&[DOCTOR2]);
		empty[0].envelope = Default::default();
		assert_noop!(revoke(empty), Error::<Test>::EmptyEnvelope);
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR2));
		assert_noop!(revoke(regrants(&[DOCTOR2])), Error::<Test>::ProfessionalSuspended);
	});
}

#[test]
fn patient_rotates_its_record_key_without_revoking() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(grant(PATIENT, DOCTOR2, GrantScope::ReadWrite, None));
		assert_ok!(Ehr::rotate_record_key(
			RuntimeOrigin::signed(PATIENT),
			envelope(0xE7),
			regrants(&[DOCTOR])
		));
		let record = Patients::<Test>::get(PATIENT).expect("patient");
		assert_eq!((record.key_epoch, record.escrow_envelope), (1, envelope(0xE7)));
		System::assert_has_event(Event::RecordKeyRotated { patient: PATIENT, key_epoch: 1 }.into());
		// The re-granted doctor writes under the new key; the other holds a stale one.
		add_entry(PATIENT, DOCTOR, DocumentKind::ClinicalNote);
		let (input, hash) = next_entry(PATIENT, DOCTOR2, DocumentKind::ClinicalNote, None);
		assert_noop!(
			Ehr::add_record(RuntimeOrigin::signed(DOCTOR2), PATIENT, input, hash),
			Error::<Test>::GrantKeyEpochStale
		);
		assert_noop!(
			Ehr::rotate_record_key(RuntimeOrigin::signed(DOCTOR), envelope(1), no_regrants()),
			Error::<Test>::NotPatient
		);
		assert_noop!(
			Ehr::rotate_record_key(
				RuntimeOrigin::signed(PATIENT),
				Default::default(),
				no_regrants()
			),
			Error::<Test>::EmptyEnvelope
		);
	});
}

#[test]
fn key_epoch_stops_at_the_clients_last_key() {
	test(|| {
		doctor_and_patient();
		Patients::<Test>::mutate(PATIENT, |p| {
			if let Some(p) = p {
				p.key_epoch = MaxKeyEpoch::get() - 1;
			}
		});
		Grants::<Test>::mutate(PATIENT, DOCTOR, |g| {
			if let Some(g) = g {
				g.key_epoch = MaxKeyEpoch::get() - 1;
			}
		});
		let rotate =
			|| Ehr::rotate_record_key(RuntimeOrigin::signed(PATIENT), envelope(1), no_regrants());
		assert_ok!(rotate());
		assert_eq!(epoch_of(PATIENT), MaxKeyEpoch::get());
		assert_noop!(rotate(), Error::<Test>::KeyEpochOverflow);
		assert_noop!(
			Ehr::revoke_access(RuntimeOrigin::signed(PATIENT), DOCTOR, envelope(1), no_regrants()),
			Error::<Test>::KeyEpochOverflow
		);
	});
}

#[test]
fn regrant_after_revoke_keeps_the_revoked_grant_as_history() {
	test(|| {
		doctor_and_patient();
		run_to_block(4);
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			envelope(1),
			no_regrants()
		));
		run_to_block(6);
		assert_ok!(grant(PATIENT, DOCTOR, GrantScope::Read, None));
		let past = PastGrants::<Test>::get((PATIENT, DOCTOR, 0)).expect("kept");
		assert_eq!(
			(past.scope, past.granted_at, past.revoked_at),
			(GrantScope::ReadWrite, 1, Some(4))
		);
		assert_eq!(Grants::<Test>::get(PATIENT, DOCTOR).map(|g| g.granted_at), Some(6));
		// Renewing a live grant is no revocation: nothing more goes to the history.
		assert_ok!(grant(PATIENT, DOCTOR, GrantScope::ReadWrite, None));
		assert_eq!(NextPastGrant::<Test>::get(), 1);
	});
}

/// DESIGN invariant 4: after a revoke is final, the revoked professional cannot obtain the key
/// of any later document — whatever role tries to hand it one, or the professional itself.
#[test]
fn no_role_hands_a_revoked_professional_a_later_key() {
	test(|| {
		const ADMIN2: u64 = 2;
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(Ehr::add_admin(consortium(), ADMIN2, None));
		assert_ok!(grant(PATIENT, DOCTOR2, GrantScope::Read, None));
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			envelope(1),
			regrants(&[DOCTOR2])
		));
		let later = epoch_of(PATIENT);

		// The patient: a re-grant of a later epoch needs a live grant, and a grant names the
		// current epoch (a new grant is the patient's own choice, not a leak).
		assert_noop!(
			Ehr::rotate_record_key(
				RuntimeOrigin::signed(PATIENT),
				envelope(2),
				regrants(&[DOCTOR])
			),
			Error::<Test>::RegrantWithoutGrant
		);
		assert_noop!(
			Ehr::grant_access(
				RuntimeOrigin::signed(PATIENT),
				DOCTOR,
				GrantScope::Read,
				None,
				later + 1,
				envelope(3)
			),
			Error::<Test>::GrantForWrongKeyEpoch
		);
		// The revoked professional, another professional, an outsider: none acts as the patient.
		for who in [DOCTOR, DOCTOR2, OUTSIDER, ADMIN] {
			assert_noop!(
				Ehr::grant_access(
					RuntimeOrigin::signed(who),
					DOCTOR,
					GrantScope::Read,
					None,
					later,
					envelope(4)
				),
				Error::<Test>::NotPatient
			);
			assert_noop!(
				Ehr::rotate_record_key(
					RuntimeOrigin::signed(who),
					envelope(5),
					regrants(&[DOCTOR])
				),
				Error::<Test>::NotPatient
			);
			assert_noop!(
				Ehr::move_patient_account(
					RuntimeOrigin::signed(who),
					40,
					[4; 32],
					envelope(6),
					no_regrants(),
					move_consent_of(40, PATIENT, [4; 32], &envelope(6)),
				),
				Error::<Test>::NotPatient
			);
		}
		// Nor does it become a patient, nor get an escrowed key without breaking the glass
		// (which is reviewed), nor can an admin release one to itself.
		assert_noop!(
			Ehr::register_patient(
				RuntimeOrigin::signed(DOCTOR2),
				DOCTOR,
				insurance(9),
				[9; 32],
				envelope(7),
				None,
				consent(DOCTOR, DOCTOR2, [9; 32], &envelope(7)),
			),
			Error::<Test>::AccountHasAnotherRole
		);
		assert_noop!(
			Ehr::release_emergency_key(consortium(), 0, envelope(8)),
			Error::<Test>::UnknownEmergencyAccess
		);
		// Breaking the glass on the patient who revoked it is refused too.
		assert_noop!(open(DOCTOR, PATIENT, 5), Error::<Test>::RevokedByPatient);
		assert!(Grants::<Test>::get(PATIENT, DOCTOR).is_some_and(|g| g.key_epoch < later));
		assert!(EmergencyAccesses::<Test>::iter_values().all(|a| a.professional != DOCTOR));
	});
}
