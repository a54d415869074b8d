//! Several entries of one patient in one call: appended in order, each checked as a single
//! entry is, all or none.

use super::*;
use crate::{refusal, CheckMembership, CheckNonceWithinQuota};
use frame::deps::{
	frame_support::dispatch::DispatchInfo,
	sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension},
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
fn an_entry_amends_an_earlier_one_of_its_batch_never_a_later_one() {
	test(|| {
		doctor_and_patient();
		let mut entries = next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, 3);
		// The third corrects the first.
		let (mut third, _) = entries[2].clone();
		third.amends = Some(1);
		entries[2] = mine(third, DOCTOR);
		assert_ok!(add(DOCTOR, entries));
		assert_eq!(Records::<Test>::get(PATIENT, 3).and_then(|e| e.body.amends), Some(1));
		// The first of a batch cannot amend the second.
		let mut entries = next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, 2);
		let (mut first, _) = entries[0].clone();
		first.amends = Some(first.index + 1);
		let (first, hash) = mine(first, DOCTOR);
		let (mut second, _) = entries[1].clone();
		second.prev_hash = hash;
		entries = vec![(first, hash), mine(second, DOCTOR)];
		assert_noop!(add(DOCTOR, entries), Error::<Test>::InvalidAmendment);
	});
}

#[test]
fn a_stale_entry_late_in_a_batch_adds_none_of_it() {
	test(|| {
		doctor_and_patient();
		let mut entries = next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, 2);
		let (mut second, _) = entries[1].clone();
		second.timestamp = 0;
		entries[1] = mine(second, DOCTOR);
		assert_noop!(add(DOCTOR, entries), Error::<Test>::TimestampOutOfRange);
		let mut entries = next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, 2);
		let (mut second, _) = entries[1].clone();
		second.key_epoch += 1;
		entries[1] = mine(second, DOCTOR);
		assert_noop!(add(DOCTOR, entries), Error::<Test>::WrongKeyEpoch);
	});
}

#[test]
fn each_entry_of_a_batch_counts_against_the_quota() {
	test(|| {
		doctor_and_patient();
		let quotas = Quotas { window: 10, admin: 3, professional: 3, patient: 3 };
		assert_ok!(Ehr::set_quotas(RuntimeOrigin::root(), quotas));
		let call = |n| {
			let entries = batch(next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, n));
			RuntimeCall::Ehr(Call::add_records { patient: PATIENT, entries })
		};
		let nonce = System::account_nonce(DOCTOR);
		let quota = |call: &RuntimeCall, nonce| {
			CheckNonceWithinQuota::<Test>::from(nonce)
				.validate_and_prepare(Some(DOCTOR).into(), call, &DispatchInfo::default(), 0, 0)
				.map(|_| ())
		};
		let exhausted = Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(
			refusal::QUOTA_EXHAUSTED,
		)));
		// Four entries are more than the three the window allows, in one call or not.
		assert_eq!(quota(&call(4), nonce), exhausted);
		assert_eq!(quota(&call(2), nonce), Ok(()));
		assert_eq!(quota(&call(2), nonce + 1), exhausted);
		assert_eq!(quota(&call(1), nonce + 1), Ok(()));
		assert_eq!(Ehr::quota_left(&DOCTOR, Role::Professional), 0);
	});
}

#[test]
fn a_batch_grows_the_weight_of_its_checks() {
	let weight = |n| {
		let entries = vec![(next_input(), H256::zero()); n];
		let call =
			RuntimeCall::Ehr(Call::add_records { patient: PATIENT, entries: batch(entries) });
		TransactionExtension::<RuntimeCall>::weight(&CheckMembership::<Test>::new(), &call)
	};
	test(|| {
		assert!(weight(4).ref_time() > weight(1).ref_time());
	});
}

#[test]
fn an_empty_or_unlinked_batch_never_reaches_the_pool() {
	test(|| {
		doctor_and_patient();
		let malformed = Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(
			refusal::MALFORMED_BATCH,
		)));
		assert_eq!(membership(Vec::new()), malformed);
		// Each entry mined, but the second does not link to the first.
		let entries = next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, 2);
		let (mut second, _) = entries[1].clone();
		second.prev_hash = H256::repeat_byte(5);
		assert_eq!(membership(vec![entries[0].clone(), mine(second, DOCTOR)]), malformed);
		// Linked, but an index skipped.
		let (mut second, _) = entries[1].clone();
		second.index += 1;
		assert_eq!(membership(vec![entries[0].clone(), mine(second, DOCTOR)]), malformed);
		assert_eq!(membership(entries), Ok(()));
	});
}

/// What the membership check says of a batch from [`DOCTOR`].
fn membership(
	entries: Vec<(EntryInput<LocatorOf<Test>>, H256)>,
) -> Result<(), TransactionValidityError> {
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
}

/// Any entry: the weight of a check does not depend on what the entry holds.
fn next_input() -> EntryInput<LocatorOf<Test>> {
	EntryInput {
		index: 1,
		prev_hash: H256::zero(),
		content_commitment: H256::zero(),
		ciphertext_hash: H256::zero(),
		locator: locator(1),
		kind: DocumentKind::LabResult,
		key_epoch: 0,
		amends: None,
		timestamp: 0,
		nonce: 0,
		difficulty: 8,
	}
}

#[test]
fn a_batch_with_one_unmined_entry_never_reaches_the_pool() {
	test(|| {
		doctor_and_patient();
		let entries = next_entries(PATIENT, DOCTOR, DocumentKind::LabResult, 3);
		assert_eq!(membership(entries.clone()), Ok(()));
		let mut bad = entries;
		bad[2].1 = H256::zero();
		assert_eq!(
			membership(bad),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(
				refusal::BAD_PROOF_OF_WORK
			)))
		);
	});
}
