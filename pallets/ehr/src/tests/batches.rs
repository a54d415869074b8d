//! Several entries of one patient in one call: appended in order, each checked as a single
//! entry is, all or none.

use super::*;
use crate::{refusal, CheckMembership};
use frame::deps::{
	frame_support::dispatch::DispatchInfo,
	sp_runtime::{
		traits::DispatchTransaction,
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	},
};

/// `n` entries of `kind` by `author` extending `patient`'s chain, each linked to the one
/// before it and mined.
fn next_entries(
	patient: u64,
	author: u64,
	kind: DocumentKind,
	n: u32,
) -> Vec<(EntryInput<LocatorOf<Test>>, H256)> {
	let (first, mut prev) = next_entry(patient, author, kind, None);
	let mut entries = vec![(first.clone(), prev)];
	for k in 1..n {
		let input = EntryInput {
			index: first.index + k,
			prev_hash: prev,
			locator: locator((first.index + k) as u8),
			nonce: 0,
			..first.clone()
		};
		let (input, hash) = mine(input, author);
		prev = hash;
		entries.push((input, hash));
	}
	entries
}

fn batch(entries: Vec<(EntryInput<LocatorOf<Test>>, H256)>) -> EntriesOf<Test> {
	entries.try_into().expect("within MaxBatchEntries")
}

fn add(author: u64, entries: Vec<(EntryInput<LocatorOf<Test>>, H256)>) -> DispatchResult {
	Ehr::add_records(RuntimeOrigin::signed(author), PATIENT, batch(entries))
}

#[test]
fn a_batch_appends_its_entries_in_order_with_an_event_each() {
	test(|| {
		doctor_and_patient();
		let head = Patients::<Test>::get(PATIENT).expect("patient").head;
		let entries = next_entries(PATIENT, DOCTOR, DocumentKind::Imaging, 4);
		let hashes: Vec<H256> = entries.iter().map(|(_, hash)| *hash).collect();
		let before = RecordCount::<Test>::get();
		assert_ok!(add(DOCTOR, entries));
		assert_eq!(
			Patients::<Test>::get(PATIENT).map(|p| (p.record_count, p.head)),
			Some((5, hashes[3]))
		);
		assert_eq!(RecordCount::<Test>::get(), before + 4);
		let chain = Ehr::patient_chain(PATIENT, 1, 10);
		assert_eq!(chain.iter().map(|e| e.hash).collect::<Vec<_>>(), hashes);
		assert_eq!(chain[0].body.prev_hash, head);
		let added: Vec<u32> = System::events()
			.into_iter()
			.filter_map(|record| match record.event {
				RuntimeEvent::Ehr(Event::RecordAdded { index, author, kind, .. }) => {
					assert_eq!((author, kind), (DOCTOR, DocumentKind::Imaging));
					Some(index)
				},
				_ => None,
			})
			.collect();
		assert_eq!(added, [1, 2, 3, 4]);
		// The next single entry follows the batch.
		add_entry(PATIENT, DOCTOR, DocumentKind::ClinicalNote);
		assert_eq!(Patients::<Test>::get(PATIENT).map(|p| p.record_count), Some(6));
	});
}

#[test]
fn an_empty_batch_is_refused() {
	test(|| {
		doctor_and_patient();
		assert_noop!(add(DOCTOR, Vec::new()), Error::<Test>::EmptyBatch);
	});
}

#[test]
fn one_bad_entry_adds_none_of_the_batch() {
	test(|| {
		doctor_and_patient();
		let before = Patients::<Test>::get(PATIENT);
		// The third entry links to the first, not the second.
		let mut entries = next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, 3);
		let (mut third, _) = entries[2].clone();
		third.prev_hash = entries[0].1;
		entries[2] = mine(third, DOCTOR);
		assert_noop!(add(DOCTOR, entries.clone()), Error::<Test>::BrokenLink);
		// Two entries at the same index.
		let mut twice = next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, 2);
		twice[1] = twice[0].clone();
		assert_noop!(add(DOCTOR, twice), Error::<Test>::WrongIndex);
		// A hash that is not the last entry's.
		let mut wrong = next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, 2);
		wrong[1].1 = H256::repeat_byte(7);
		assert_noop!(add(DOCTOR, wrong), Error::<Test>::WrongEntryHash);
		assert_eq!(Patients::<Test>::get(PATIENT), before);
		assert_eq!(Records::<Test>::get(PATIENT, 1), None);
	});
}

#[test]
fn every_entrys_kind_needs_the_writers_right() {
	test(|| {
		// A doctor without a grant, under break-glass access whose policy lets it write only
		// clinical notes: a batch with one imaging entry is refused whole.
		doctor_and_patient();
		register_doctor(DOCTOR2);
		assert_ok!(Ehr::open_emergency_access(
			RuntimeOrigin::signed(DOCTOR2),
			PATIENT,
			EmergencyReason::EmergencyCare,
			10
		));
		let policy = EmergencyPolicySetting::<Test>::get();
		assert!(policy.may_write(DocumentKind::ClinicalNote));
		assert!(!policy.may_write(DocumentKind::Imaging));
		let mut entries = next_entries(PATIENT, DOCTOR2, DocumentKind::ClinicalNote, 2);
		let (mut second, _) = entries[1].clone();
		second.kind = DocumentKind::Imaging;
		entries[1] = mine(second, DOCTOR2);
		assert_noop!(
			Ehr::add_records(RuntimeOrigin::signed(DOCTOR2), PATIENT, batch(entries)),
			Error::<Test>::EmergencyWriteNotAllowed
		);
		let notes = next_entries(PATIENT, DOCTOR2, DocumentKind::ClinicalNote, 2);
		assert_ok!(Ehr::add_records(RuntimeOrigin::signed(DOCTOR2), PATIENT, batch(notes)));
		// Nobody else writes at all.
		let entries = next_entries(PATIENT, OUTSIDER, DocumentKind::ClinicalNote, 1);
		assert_noop!(
			Ehr::add_records(RuntimeOrigin::signed(OUTSIDER), PATIENT, batch(entries)),
			Error::<Test>::NotProfessional
		);
	});
}

#[test]
fn a_batch_with_one_unmined_entry_never_reaches_the_pool() {
	test(|| {
		doctor_and_patient();
		let check = |entries: Vec<(EntryInput<LocatorOf<Test>>, H256)>| {
			let call = RuntimeCall::Ehr(Call::add_records { patient: PATIENT, entries: batch(entries) });
			CheckMembership::<Test>::new()
				.validate_only(
					Some(DOCTOR).into(),
					&call,
					&DispatchInfo::default(),
					0,
					TransactionSource::External,
					0,
				)
				.map(|_| ())
		};
		let entries = next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, 3);
		assert_eq!(check(entries.clone()), Ok(()));
		let mut bad = entries;
		bad[2].1 = H256::zero();
		assert_eq!(
			check(bad),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(
				refusal::BAD_PROOF_OF_WORK
			)))
		);
	});
}
