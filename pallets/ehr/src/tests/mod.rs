//! Unit tests of pallet-ehr against the mock runtime. Every test runs through
//! [`crate::mock::test`], which checks the pallet's invariants when the test ends.

mod admission;
mod batches;
mod emergency;
mod grants;
mod hospital_admins;
mod matrix;
mod messages;
mod model;
mod patients;
mod records;
mod rights;
mod roles;

use crate::{mock::*, pallet::*, types::*};
use frame::{hashing::H256, testing_prelude::*};

pub const DOCTOR: u64 = 10;
pub const DOCTOR2: u64 = 11;
pub const PATIENT: u64 = 20;
pub const PATIENT2: u64 = 21;
pub const OUTSIDER: u64 = 99;

/// The consortium's decision (a motion of its hospitals on a chain; root in the tests).
pub fn consortium() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

pub fn name(s: &str) -> NameOf<Test> {
	s.as_bytes().to_vec().try_into().expect("short name")
}

pub fn envelope(tag: u8) -> EnvelopeOf<Test> {
	vec![tag; 48].try_into().expect("short envelope")
}

pub fn locator(tag: u8) -> LocatorOf<Test> {
	format!("sha256:{tag:02x}").into_bytes().try_into().expect("short locator")
}

pub fn insurance(n: u8) -> H256 {
	H256::repeat_byte(n)
}

/// `patient`'s consent to its registration by `registrar` with these keys.
pub fn consent(
	patient: u64,
	registrar: u64,
	key: [u8; 32],
	escrow: &EnvelopeOf<Test>,
) -> TestSignature {
	TestSignature(patient, registration_consent(&Ehr::genesis_hash(), &registrar, &key, escrow))
}

/// `account`'s consent to take over `patient` with these keys.
pub fn move_consent_of(
	account: u64,
	patient: u64,
	key: [u8; 32],
	escrow: &EnvelopeOf<Test>,
) -> TestSignature {
	TestSignature(account, move_consent(&Ehr::genesis_hash(), &patient, &key, escrow))
}

/// The current key epoch of `patient`.
pub fn epoch_of(patient: u64) -> u32 {
	Patients::<Test>::get(patient).expect("patient").key_epoch
}

/// The current key epoch of `who` if it is a patient, else 0.
pub fn epoch_of_or_zero(who: u64) -> u32 {
	Patients::<Test>::get(who).map_or(0, |p| p.key_epoch)
}

/// No re-grants with a revoke or key rotation.
pub fn no_regrants() -> RegrantsOf<Test> {
	Default::default()
}

/// Re-grants the new key to each of `professionals`.
pub fn regrants(professionals: &[u64]) -> RegrantsOf<Test> {
	professionals
		.iter()
		.map(|&professional| Regrant {
			professional,
			envelope: envelope(0x70 + professional as u8),
		})
		.collect::<Vec<_>>()
		.try_into()
		.expect("few re-grants")
}

/// Registers `who` as an active doctor (by [`ADMIN`]).
pub fn register_doctor(who: u64) {
	register_doctor_by(ADMIN, who);
}

/// Registers `who` as an active doctor by admin `by`, on its hospital's staff.
pub fn register_doctor_by(by: u64, who: u64) {
	assert_ok!(Ehr::register_professional(
		RuntimeOrigin::signed(by),
		who,
		ProfessionalKind::Doctor,
		name("Dr. Test"),
		name("cardiology"),
		H256::repeat_byte(7),
		name("General Hospital"),
		[who as u8; 32],
	));
}

/// Registers `patient` by `by` under insurance commitment `n`, giving `by` a read-write grant
/// when it is a professional.
pub fn register_patient_by(by: u64, patient: u64, n: u8) {
	let registrar_envelope = Professionals::<Test>::contains_key(by).then(|| envelope(by as u8));
	assert_ok!(Ehr::register_patient(
		RuntimeOrigin::signed(by),
		patient,
		insurance(n),
		[n; 32],
		envelope(0xE5),
		registrar_envelope,
		consent(patient, by, [n; 32], &envelope(0xE5)),
	));
}

/// A doctor ([`DOCTOR`]) with a read-write grant on a registered patient ([`PATIENT`]).
pub fn doctor_and_patient() {
	register_doctor(DOCTOR);
	register_patient_by(DOCTOR, PATIENT, 1);
}

/// The next entry `author` can add to `patient`'s chain, mined, with its hash.
pub fn next_entry(
	patient: u64,
	author: u64,
	kind: DocumentKind,
	amends: Option<u32>,
) -> (EntryInput<LocatorOf<Test>>, H256) {
	let record = Patients::<Test>::get(patient).expect("patient");
	let input = EntryInput {
		index: record.record_count,
		prev_hash: record.head,
		content_commitment: H256::repeat_byte(0xC0),
		ciphertext_hash: H256::repeat_byte(0xC1),
		locator: locator(record.record_count as u8),
		kind,
		key_epoch: record.key_epoch,
		amends,
		timestamp: now_millis(),
		nonce: 0,
		difficulty: Difficulty::<Test>::get(),
	};
	mine(input, author)
}

/// The body the pallet will hash for `input` written by `author`.
pub fn body_of(input: &EntryInput<LocatorOf<Test>>, author: u64) -> EntryBodyOf<Test> {
	let specialty = Professionals::<Test>::get(author).map(|p| p.specialty).unwrap_or_default();
	EntryBody {
		index: input.index,
		prev_hash: input.prev_hash,
		content_commitment: input.content_commitment,
		ciphertext_hash: input.ciphertext_hash,
		locator: input.locator.clone(),
		kind: input.kind,
		author,
		specialty,
		key_epoch: input.key_epoch,
		amends: input.amends,
		timestamp: input.timestamp,
		nonce: input.nonce,
		difficulty: input.difficulty,
	}
}

/// Finds a nonce that gives `input` its difficulty.
pub fn mine(
	mut input: EntryInput<LocatorOf<Test>>,
	author: u64,
) -> (EntryInput<LocatorOf<Test>>, H256) {
	loop {
		let hash = body_of(&input, author).hash();
		if meets_difficulty(&hash, input.difficulty) {
			return (input, hash);
		}
		input.nonce += 1;
	}
}

/// Adds the next entry of `kind` by `author`.
pub fn add_entry(patient: u64, author: u64, kind: DocumentKind) -> H256 {
	let (input, hash) = next_entry(patient, author, kind, None);
	assert_ok!(Ehr::add_record(RuntimeOrigin::signed(author), patient, input, hash));
	hash
}

#[test]
fn genesis_config_sets_admins_and_default_difficulty() {
	test(|| {
		assert!(Admins::<Test>::contains_key(ADMIN));
		assert_eq!(AdminCount::<Test>::get(), 1);
		assert_eq!(Difficulty::<Test>::get(), 8);
	});
}

#[test]
fn leading_zero_bits_counts_bits_not_bytes() {
	let mut bytes = [0xFFu8; 32];
	assert_eq!(leading_zero_bits(&H256(bytes)), 0);
	bytes[0] = 0x00;
	bytes[1] = 0x0F;
	assert_eq!(leading_zero_bits(&H256(bytes)), 12);
	assert_eq!(leading_zero_bits(&H256::zero()), 256);
	assert!(meets_difficulty(&H256(bytes), 12));
	assert!(!meets_difficulty(&H256(bytes), 13));
}

#[test]
fn counts_view_agrees_with_storage() {
	test(|| {
		doctor_and_patient();
		add_entry(PATIENT, DOCTOR, DocumentKind::Prescription);
		let counts = Ehr::counts();
		assert_eq!(counts.admins, 1);
		assert_eq!(counts.professionals, 1);
		assert_eq!(counts.active_professionals, 1);
		assert_eq!(counts.patients, 1);
		assert_eq!(counts.records, 2);
		assert_eq!(counts.difficulty, 8);
	});
}
