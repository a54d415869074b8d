//! What the benchmarks set up: accounts of each role, mined entries, break-glass access.
//!
//! Built with `runtime-benchmarks` only, never into a chain's runtime: a set-up that cannot be
//! made stops the benchmark with its reason, as a failed assertion would.

use crate::{pallet::*, types::*};
use alloc::{vec, vec::Vec};
use frame::{benchmarking::prelude::*, hashing::H256, traits::UnixTime};

/// The account an admin's calls are signed with: the one the runtime's [`Config::AdminOrigin`]
/// makes for benchmarks.
pub(super) fn admin<T: Config>() -> T::AccountId {
	// `try_successful_origin` is the origin's promise to benchmarks that it can make one.
	let origin = T::AdminOrigin::try_successful_origin()
		.expect("the runtime's admin origin makes one for benchmarks");
	T::AdminOrigin::ensure_origin(origin).expect("the origin it made succeeds")
}

/// The consortium's decision, as the runtime's [`Config::ConsortiumOrigin`] makes one for
/// benchmarks.
pub(super) fn consortium<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::ConsortiumOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

pub(super) fn full<S: Get<u32>>(byte: u8) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(vec![byte; S::get() as usize])
}

pub(super) fn professional<T: Config>(index: u32) -> T::AccountId {
	let who: T::AccountId = account("professional", index, 0);
	let by = admin::<T>();
	assert!(Pallet::<T>::do_register_professional(
		by,
		who.clone(),
		ProfessionalKind::Doctor,
		full(b'n'),
		full(b's'),
		H256::repeat_byte(1),
		full(b'o'),
		[1; 32],
	)
	.is_ok());
	who
}

/// A patient registered by `registrar` with its own key (made from `index`) and consent; the
/// registrar gets a read-write grant if it is a professional.
pub(super) fn patient<T: Config>(index: u32, registrar: &T::AccountId) -> T::AccountId {
	let escrow = full::<T::MaxEnvelopeLen>(b'e');
	let consent = registration_consent(&Pallet::<T>::genesis_hash(), registrar, &[2; 32], &escrow);
	let (who, signature) = T::BenchmarkHelper::sign(index, &consent);
	assert!(Pallet::<T>::do_register_patient(
		registrar.clone(),
		who.clone(),
		H256::repeat_byte(index as u8),
		[2; 32],
		escrow,
		Professionals::<T>::contains_key(registrar).then(|| full(b'g')),
		signature,
	)
	.is_ok());
	who
}

/// `n` more professionals, each with a live read-write grant from `patient`, as re-grants of
/// the patient's next key epoch.
pub(super) fn grantees<T: Config>(patient: &T::AccountId, n: u32) -> RegrantsOf<T> {
	let mut regrants = vec![];
	for i in 0..n {
		let who = professional::<T>(100 + i);
		Pallet::<T>::insert_grant(patient, &who, GrantScope::ReadWrite, None, full(b'g'), 0);
		regrants.push(Regrant { professional: who, envelope: full(b'r') });
	}
	BoundedVec::truncate_from(regrants)
}

/// The next entry `author` can add to `patient`'s chain, amending `amends`, mined to the
/// chain's difficulty, with the longest locator.
pub(super) fn mined_entry<T: Config>(
	author: &T::AccountId,
	patient: &T::AccountId,
	amends: Option<u32>,
) -> (EntryInput<LocatorOf<T>>, H256) {
	let mut entries = mined_entries::<T>(author, patient, 1, |_| amends);
	// `mined_entries` makes exactly the one asked for.
	entries.pop().unwrap_or_else(|| panic!("one entry"))
}

/// `n` entries by `author` that extend `patient`'s chain, each linked to the one before it and
/// mined, the `k`th amending `amends(k)`: what one `add_records` call appends.
pub(super) fn mined_entries<T: Config>(
	author: &T::AccountId,
	patient: &T::AccountId,
	n: u32,
	amends: impl Fn(u32) -> Option<u32>,
) -> Vec<(EntryInput<LocatorOf<T>>, H256)> {
	let specialty = Professionals::<T>::get(author).map(|p| p.specialty).unwrap_or_default();
	// Every caller passes a patient it registered with `patient` above.
	let record = Patients::<T>::get(patient).unwrap_or_else(|| panic!("registered"));
	let mut prev_hash = record.head;
	(0..n)
		.map(|k| {
			let mut entry = EntryInput {
				index: record.record_count + k,
				prev_hash,
				content_commitment: H256::repeat_byte(3),
				ciphertext_hash: H256::repeat_byte(4),
				locator: full::<T::MaxLocatorLen>(b'l'),
				kind: DocumentKind::ClinicalNote,
				key_epoch: record.key_epoch,
				amends: amends(k),
				timestamp: u64::try_from(T::UnixTime::now().as_millis()).unwrap_or(u64::MAX),
				nonce: 0,
				difficulty: Difficulty::<T>::get(),
			};
			loop {
				let hash =
					Pallet::<T>::entry_body(author.clone(), specialty.clone(), entry.clone())
						.hash();
				if meets_difficulty(&hash, entry.difficulty) {
					prev_hash = hash;
					return (entry, hash);
				}
				entry.nonce += 1;
			}
		})
		.collect()
}

/// Leaves an expired emergency access of the pair in the open index, so that access checks
/// read it before they fall back to the grant: the most reads an access check makes.
pub(super) fn expired_emergency<T: Config>(professional: &T::AccountId, patient: &T::AccountId) {
	assert!(Pallet::<T>::do_open_emergency_access(
		professional.clone(),
		patient.clone(),
		EmergencyReason::Other,
		1u32.into(),
	)
	.is_ok());
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now + 2u32.into());
}

/// A professional (the second) under open break-glass access to a patient it holds no grant
/// of, registered by the first: every rule of a write is looked up for it, the grant, the
/// emergency access and the policy.
pub(super) fn break_glass_writer<T: Config>() -> (T::AccountId, T::AccountId) {
	let author = professional::<T>(1);
	let who = patient::<T>(0, &professional::<T>(0));
	assert!(Pallet::<T>::do_open_emergency_access(
		author.clone(),
		who.clone(),
		EmergencyReason::Other,
		T::MaxEmergencyDuration::get(),
	)
	.is_ok());
	(author, who)
}
