//! Record chains: appending, links, hashes, proof of work, reads.

use super::*;

fn submit(input: EntryInput<LocatorOf<Test>>, hash: H256) -> DispatchResult {
	Ehr::add_record(RuntimeOrigin::signed(DOCTOR), PATIENT, input, hash)
}

#[test]
fn doctor_adds_records_that_chain() {
	test(|| {
		doctor_and_patient();
		let genesis = Patients::<Test>::get(PATIENT).expect("patient").head;
		let first = add_entry(PATIENT, DOCTOR, DocumentKind::Prescription);
		System::assert_last_event(
			Event::RecordAdded {
				patient: PATIENT,
				index: 1,
				author: DOCTOR,
				kind: DocumentKind::Prescription,
				hash: first,
				amends: None,
			}
			.into(),
		);
		let second = add_entry(PATIENT, DOCTOR, DocumentKind::Imaging);
		let entry = Records::<Test>::get(PATIENT, 2).expect("stored");
		assert_eq!(entry.body.prev_hash, first);
		assert_eq!(Records::<Test>::get(PATIENT, 1).map(|e| e.body.prev_hash), Some(genesis));
		assert_eq!(entry.body.specialty, name("cardiology"));
		assert_eq!(entry.body.author, DOCTOR);
		assert!(meets_difficulty(&second, 8));
		assert_eq!(
			Patients::<Test>::get(PATIENT).map(|p| (p.record_count, p.head)),
			Some((3, second))
		);
		assert_eq!(Ehr::patient_chain(PATIENT, 0, 10).len(), 3);
		assert_eq!(Ehr::patient_chain(PATIENT, 1, 1)[0].hash, first);
		assert!(Ehr::patient_chain(PATIENT, 3, 10).is_empty());
	});
}

#[test]
fn amendment_is_a_new_entry() {
	test(|| {
		doctor_and_patient();
		let original = add_entry(PATIENT, DOCTOR, DocumentKind::LabResult);
		let (input, hash) = next_entry(PATIENT, DOCTOR, DocumentKind::LabResult, Some(1));
		assert_ok!(submit(input, hash));
		assert_eq!(Records::<Test>::get(PATIENT, 1).map(|e| e.hash), Some(original));
		assert_eq!(Records::<Test>::get(PATIENT, 2).and_then(|e| e.body.amends), Some(1));
		for bad in [0, 3, 9] {
			let (input, hash) = next_entry(PATIENT, DOCTOR, DocumentKind::LabResult, Some(bad));
			assert_noop!(submit(input, hash), Error::<Test>::InvalidAmendment);
		}
	});
}

#[test]
fn wrong_link_is_refused() {
	test(|| {
		doctor_and_patient();
		let (mut input, _) = next_entry(PATIENT, DOCTOR, DocumentKind::Prescription, None);
		input.prev_hash = H256::repeat_byte(1);
		let (input, hash) = mine(input, DOCTOR);
		assert_noop!(submit(input, hash), Error::<Test>::BrokenLink);
	});
}

#[test]
fn wrong_index_is_refused() {
	test(|| {
		doctor_and_patient();
		let (mut input, _) = next_entry(PATIENT, DOCTOR, DocumentKind::Prescription, None);
		input.index = 5;
		let (input, hash) = mine(input, DOCTOR);
		assert_noop!(submit(input, hash), Error::<Test>::WrongIndex);
	});
}

#[test]
fn wrong_hash_is_refused() {
	test(|| {
		doctor_and_patient();
		let (input, hash) = next_entry(PATIENT, DOCTOR, DocumentKind::Prescription, None);
		let mut forged = input.clone();
		forged.content_commitment = H256::repeat_byte(0xBA);
		assert_noop!(submit(forged, hash), Error::<Test>::WrongEntryHash);
		// A hash with enough zero bits that is not the body's hash is no shortcut either.
		assert_noop!(submit(input, H256::zero()), Error::<Test>::WrongEntryHash);
	});
}

#[test]
fn too_little_proof_of_work_is_refused() {
	test(|| {
		doctor_and_patient();
		let (mut input, _) = next_entry(PATIENT, DOCTOR, DocumentKind::Prescription, None);
		// Find a nonce whose hash misses the difficulty.
		let hash = loop {
			let hash = body_of(&input, DOCTOR).hash();
			if !meets_difficulty(&hash, input.difficulty) {
				break hash;
			}
			input.nonce += 1;
		};
		assert_noop!(submit(input, hash), Error::<Test>::InsufficientProofOfWork);
	});
}

#[test]
fn difficulty_below_the_chains_is_refused() {
	test(|| {
		doctor_and_patient();
		let (mut input, _) = next_entry(PATIENT, DOCTOR, DocumentKind::Prescription, None);
		input.difficulty = 4;
		let (input, hash) = mine(input, DOCTOR);
		assert_noop!(submit(input, hash), Error::<Test>::DifficultyTooLow);
	});
}

#[test]
fn raised_difficulty_applies_to_new_entries() {
	test(|| {
		doctor_and_patient();
		assert_ok!(Ehr::set_difficulty(consortium(), 10));
		let hash = add_entry(PATIENT, DOCTOR, DocumentKind::Vaccination);
		assert!(meets_difficulty(&hash, 10));
	});
}

#[test]
fn timestamps_far_from_chain_time_are_refused() {
	test(|| {
		doctor_and_patient();
		for timestamp in [now_millis() - 60_001, now_millis() + 60_001] {
			let (mut input, _) = next_entry(PATIENT, DOCTOR, DocumentKind::Prescription, None);
			input.timestamp = timestamp;
			let (input, hash) = mine(input, DOCTOR);
			assert_noop!(submit(input, hash), Error::<Test>::TimestampOutOfRange);
		}
		set_time(now_millis() + 60_000);
		let (mut input, _) = next_entry(PATIENT, DOCTOR, DocumentKind::Prescription, None);
		input.timestamp = now_millis() - 60_000;
		let (input, hash) = mine(input, DOCTOR);
		assert_ok!(submit(input, hash));
	});
}

#[test]
fn genesis_kind_and_wrong_epoch_are_refused() {
	test(|| {
		doctor_and_patient();
		let (input, hash) = next_entry(PATIENT, DOCTOR, DocumentKind::Genesis, None);
		assert_noop!(submit(input, hash), Error::<Test>::InvalidDocumentKind);
		let (mut input, _) = next_entry(PATIENT, DOCTOR, DocumentKind::Prescription, None);
		input.key_epoch = 1;
		let (input, hash) = mine(input, DOCTOR);
		assert_noop!(submit(input, hash), Error::<Test>::WrongKeyEpoch);
	});
}

#[test]
fn writing_needs_a_live_read_write_grant_of_the_current_epoch() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		let attempt = |who| {
			let (input, hash) = next_entry(PATIENT, who, DocumentKind::Prescription, None);
			Ehr::add_record(RuntimeOrigin::signed(who), PATIENT, input, hash)
		};
		assert_noop!(attempt(DOCTOR2), Error::<Test>::NotGranted);
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR2,
			GrantScope::Read,
			None,
			epoch_of(PATIENT),
			envelope(1)
		));
		assert_noop!(attempt(DOCTOR2), Error::<Test>::ReadOnlyGrant);
		// A revoke of someone else moves the epoch; DOCTOR's envelope is now stale.
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR2,
			envelope(2),
			no_regrants()
		));
		assert_noop!(attempt(DOCTOR2), Error::<Test>::GrantRevoked);
		assert_noop!(attempt(DOCTOR), Error::<Test>::GrantKeyEpochStale);
		assert_ok!(Ehr::grant_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			GrantScope::ReadWrite,
			None,
			epoch_of(PATIENT),
			envelope(4)
		));
		assert_ok!(attempt(DOCTOR));
	});
}

#[test]
fn inactive_or_unknown_authors_and_patients_are_refused() {
	test(|| {
		doctor_and_patient();
		let (input, hash) = next_entry(PATIENT, DOCTOR, DocumentKind::Prescription, None);
		assert_noop!(
			Ehr::add_record(RuntimeOrigin::signed(OUTSIDER), PATIENT, input.clone(), hash),
			Error::<Test>::NotProfessional
		);
		assert_noop!(
			Ehr::add_record(RuntimeOrigin::signed(DOCTOR), PATIENT2, input.clone(), hash),
			Error::<Test>::NotPatient
		);
		assert_ok!(Ehr::suspend_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_noop!(submit(input.clone(), hash), Error::<Test>::ProfessionalSuspended);
		assert_ok!(Ehr::remove_professional(RuntimeOrigin::signed(ADMIN), DOCTOR));
		assert_noop!(submit(input, hash), Error::<Test>::ProfessionalRemoved);
	});
}

#[test]
fn reads_are_logged_by_patient_and_grantees() {
	test(|| {
		doctor_and_patient();
		add_entry(PATIENT, DOCTOR, DocumentKind::Prescription);
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(DOCTOR), PATIENT, 1));
		System::assert_last_event(
			Event::RecordAccessed { patient: PATIENT, index: 1, reader: DOCTOR }.into(),
		);
		assert_ok!(Ehr::log_access(RuntimeOrigin::signed(PATIENT), PATIENT, 1));
		System::assert_last_event(
			Event::RecordAccessed { patient: PATIENT, index: 1, reader: PATIENT }.into(),
		);
	});
}

#[test]
fn log_access_refuses_strangers_and_unknown_entries() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR), PATIENT, 1),
			Error::<Test>::UnknownRecord
		);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR), PATIENT2, 0),
			Error::<Test>::NotPatient
		);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR2), PATIENT, 0),
			Error::<Test>::NotAllowedToRead
		);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(OUTSIDER), PATIENT, 0),
			Error::<Test>::NotAllowedToRead
		);
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(ADMIN), PATIENT, 0),
			Error::<Test>::NotAllowedToRead
		);
		assert_ok!(Ehr::revoke_access(
			RuntimeOrigin::signed(PATIENT),
			DOCTOR,
			envelope(2),
			no_regrants()
		));
		assert_noop!(
			Ehr::log_access(RuntimeOrigin::signed(DOCTOR), PATIENT, 0),
			Error::<Test>::GrantRevoked
		);
	});
}

mod arbitrary_input {
	use super::*;
	use frame::deps::{sp_io, sp_runtime::StateVersion};
	use proptest::prelude::*;

	fn h256() -> impl Strategy<Value = H256> {
		prop_oneof![Just(H256::zero()), any::<[u8; 32]>().prop_map(H256)]
	}

	proptest! {
		#![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

		/// Whatever a caller puts in an entry, the pallet answers with a result (never a panic),
		/// and a refused entry changes nothing.
		#[test]
		fn arbitrary_entries_are_refused_cleanly(
			index in prop_oneof![Just(1u32), any::<u32>()],
			prev_hash in h256(),
			content_commitment in h256(),
			ciphertext_hash in h256(),
			locator in proptest::collection::vec(any::<u8>(), 0..=128),
			kind in 0u8..10,
			key_epoch in prop_oneof![Just(0u32), any::<u32>()],
			amends in proptest::option::of(any::<u32>()),
			timestamp in prop_oneof![Just(START_MILLIS), any::<u64>()],
			nonce in any::<u64>(),
			difficulty in any::<u8>(),
			hash in h256(),
		) {
			test(|| {
				doctor_and_patient();
				let kinds = [
					DocumentKind::Genesis, DocumentKind::Prescription, DocumentKind::Imaging,
					DocumentKind::LabResult, DocumentKind::ClinicalNote,
					DocumentKind::DischargeSummary, DocumentKind::Referral,
					DocumentKind::Vaccination, DocumentKind::InsuranceClaim, DocumentKind::Other,
				];
				let input = EntryInput {
					index,
					prev_hash,
					content_commitment,
					ciphertext_hash,
					locator: locator.try_into().expect("within MaxLocatorLen"),
					kind: kinds[kind as usize],
					key_epoch,
					amends,
					timestamp,
					nonce,
					difficulty,
				};
				let before = sp_io::storage::root(StateVersion::V1);
				let result = Ehr::add_record(RuntimeOrigin::signed(DOCTOR), PATIENT, input, hash);
				// Random bytes neither link to the head nor hash to `hash`.
				assert!(result.is_err());
				assert_eq!(sp_io::storage::root(StateVersion::V1), before);
			});
		}
	}
}

#[test]
fn break_glass_writes_only_the_kinds_the_policy_allows() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(DOCTOR2),
			PATIENT,
			EmergencyReason::EmergencyCare,
			10
		));
		for kind in [DocumentKind::Prescription, DocumentKind::LabResult, DocumentKind::Referral] {
			let (input, hash) = next_entry(PATIENT, DOCTOR2, kind, None);
			assert_noop!(
				Ehr::add_record(RuntimeOrigin::signed(DOCTOR2), PATIENT, input, hash),
				Error::<Test>::EmergencyWriteNotAllowed
			);
		}
		add_entry(PATIENT, DOCTOR2, DocumentKind::ClinicalNote);
		// A read-only policy lets break-glass write nothing.
		let policy = EmergencyPolicy {
			writable: Default::default(),
			..EmergencyPolicySetting::<Test>::get()
		};
		assert_ok!(Ehr::set_emergency_policy(RuntimeOrigin::root(), policy));
		let (input, hash) = next_entry(PATIENT, DOCTOR2, DocumentKind::ClinicalNote, None);
		assert_noop!(
			Ehr::add_record(RuntimeOrigin::signed(DOCTOR2), PATIENT, input, hash),
			Error::<Test>::EmergencyWriteNotAllowed
		);
	});
}

#[test]
fn break_glass_amends_only_its_own_entries() {
	test(|| {
		doctor_and_patient();
		register_doctor(DOCTOR2);
		add_entry(PATIENT, DOCTOR, DocumentKind::ClinicalNote); // entry 1, by the grant holder
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(DOCTOR2),
			PATIENT,
			EmergencyReason::EmergencyCare,
			10
		));
		add_entry(PATIENT, DOCTOR2, DocumentKind::ClinicalNote); // entry 2, under break-glass
		let (input, hash) = next_entry(PATIENT, DOCTOR2, DocumentKind::ClinicalNote, Some(1));
		assert_noop!(
			Ehr::add_record(RuntimeOrigin::signed(DOCTOR2), PATIENT, input, hash),
			Error::<Test>::NotAllowedToAmend
		);
		let (input, hash) = next_entry(PATIENT, DOCTOR2, DocumentKind::ClinicalNote, Some(2));
		assert_ok!(Ehr::add_record(RuntimeOrigin::signed(DOCTOR2), PATIENT, input, hash));
		// A read-write grant holder amends anyone's entry.
		let (input, hash) = next_entry(PATIENT, DOCTOR, DocumentKind::ClinicalNote, Some(2));
		assert_ok!(Ehr::add_record(RuntimeOrigin::signed(DOCTOR), PATIENT, input, hash));
	});
}

#[test]
fn profile_reads_are_logged_like_document_reads() {
	test(|| {
		doctor_and_patient();
		assert_noop!(
			Ehr::log_profile_access(RuntimeOrigin::signed(DOCTOR), PATIENT),
			Error::<Test>::NoProfile
		);
		assert_ok!(Ehr::set_profile(RuntimeOrigin::signed(PATIENT), Some(locator(3))));
		assert_ok!(Ehr::log_profile_access(RuntimeOrigin::signed(DOCTOR), PATIENT));
		System::assert_last_event(
			Event::ProfileAccessed { patient: PATIENT, reader: DOCTOR }.into(),
		);
		assert_ok!(Ehr::log_profile_access(RuntimeOrigin::signed(PATIENT), PATIENT));
		assert_noop!(
			Ehr::log_profile_access(RuntimeOrigin::signed(DOCTOR2), PATIENT),
			Error::<Test>::NotAllowedToRead
		);
	});
}
