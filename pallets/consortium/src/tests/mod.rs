//! The consortium's decisions, voted in the collective as on the chain.

use crate::{mock::*, pallet::*, Event as ConsortiumEvent, Hospital, Threshold};
use frame::{deps::sp_runtime::DispatchError, hashing::H256, testing_prelude::*, traits::Hash};
use polkadot_sdk::pallet_collective::{self, Error as CollectiveError, Event as CollectiveEvent};
use proptest::prelude::*;

mod nodes;

fn name(text: &str) -> HospitalNameOf<Test> {
	HospitalNameOf::<Test>::try_from(text.as_bytes().to_vec()).expect("short name")
}

fn admit(hospital: u64) -> RuntimeCall {
	let (name, node, proof) = (name("St. Elsewhere"), node(hospital), proof(hospital, hospital));
	RuntimeCall::Consortium(Call::admit_hospital { hospital, name, node, proof })
}

/// The origin of a motion every hospital voted for.
fn unanimous() -> RuntimeOrigin {
	let seats = Members::<Test>::get().len() as u32;
	pallet_collective::RawOrigin::<u64, pallet_collective::Instance1>::Members(seats, seats).into()
}

/// `ayes[0]` proposes `call` to pass with `ayes.len()` votes, the others vote aye, and the
/// motion is closed: the result of the call, as the collective dispatched it.
fn decide(call: RuntimeCall, ayes: &[u64]) -> DispatchResult {
	let length = call.encoded_size() as u32;
	let hash = <Test as frame_system::Config>::Hashing::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Test, pallet_collective::Instance1>::get();
	assert_ok!(Collective::propose(
		RuntimeOrigin::signed(ayes[0]),
		ayes.len() as u32,
		Box::new(call),
		length
	));
	if ayes.len() > 1 {
		for voter in ayes {
			assert_ok!(Collective::vote(RuntimeOrigin::signed(*voter), hash, index, true));
		}
		assert_ok!(Collective::close(
			RuntimeOrigin::signed(ayes[0]),
			hash,
			index,
			Weight::MAX,
			length
		));
	}
	executed(hash)
}

/// What the motion with `hash` did when the collective dispatched it.
fn executed(hash: H256) -> DispatchResult {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::Collective(CollectiveEvent::Executed { proposal_hash, result })
				if proposal_hash == hash =>
			{
				Some(result)
			},
			_ => None,
		})
		.expect("the motion was executed")
}

fn collective_members() -> Vec<u64> {
	pallet_collective::Members::<Test, pallet_collective::Instance1>::get()
}

#[test]
fn two_thirds_of_the_hospitals_admit_a_hospital() {
	test(|| {
		assert_ok!(decide(admit(5), &[1, 2, 3]));
		assert_eq!(
			Hospitals::<Test>::get(5),
			Some(Hospital { name: name("St. Elsewhere"), admitted_at: 1, node: Some(node(5)) })
		);
		assert_eq!(Members::<Test>::get().to_vec(), vec![1, 2, 3, 4, 5]);
		assert_eq!(collective_members(), vec![1, 2, 3, 4, 5]);
		assert!(System::account_exists(&5));
		System::assert_has_event(
			ConsortiumEvent::HospitalAdmitted {
				hospital: 5,
				name: name("St. Elsewhere"),
				node: node(5),
			}
			.into(),
		);
		// The new hospital votes from now on: four of five no longer make two thirds without it
		// or with it, three of five do not.
		assert_eq!(Consortium::ayes_needed(), 4);
		assert_eq!(decide(admit(6), &[1, 2, 5]), Err(DispatchError::BadOrigin));
		assert_ok!(decide(admit(6), &[1, 2, 3, 5]));
	});
}

#[test]
fn a_motion_proposed_to_pass_with_fewer_ayes_changes_nothing() {
	test(|| {
		// The collective passes it with two of four; the consortium's origin refuses it.
		assert_eq!(decide(admit(5), &[1, 2]), Err(DispatchError::BadOrigin));
		assert_eq!(decide(admit(5), &[1]), Err(DispatchError::BadOrigin));
		assert!(!Hospitals::<Test>::contains_key(5));
		assert_eq!(collective_members(), FOUNDERS.to_vec());
	});
}

#[test]
fn no_single_account_or_hospital_decides() {
	test(|| {
		for origin in [RuntimeOrigin::signed(1), RuntimeOrigin::none()] {
			assert_noop!(
				Consortium::admit_hospital(origin.clone(), 5, name("X"), node(5), proof(5, 5)),
				DispatchError::BadOrigin
			);
			assert_noop!(Consortium::remove_hospital(origin.clone(), 2), DispatchError::BadOrigin);
			assert_noop!(
				Consortium::set_threshold(origin.clone(), Threshold { ayes: 3, of: 4 }),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Consortium::authorize_upgrade(origin, H256::repeat_byte(1)),
				DispatchError::BadOrigin
			);
		}
		// A hospital's own origin in the collective is not a decision either.
		let member = pallet_collective::RawOrigin::<u64, pallet_collective::Instance1>::Member(1);
		assert_noop!(
			Consortium::admit_hospital(member.into(), 5, name("X"), node(5), proof(5, 5)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn only_hospitals_propose_and_each_votes_once() {
	test(|| {
		let call = admit(5);
		let length = call.encoded_size() as u32;
		assert_noop!(
			Collective::propose(RuntimeOrigin::signed(9), 3, Box::new(call.clone()), length),
			CollectiveError::<Test, pallet_collective::Instance1>::NotMember
		);
		let hash = <Test as frame_system::Config>::Hashing::hash_of(&call);
		assert_ok!(Collective::propose(RuntimeOrigin::signed(1), 3, Box::new(call), length));
		assert_noop!(
			Collective::vote(RuntimeOrigin::signed(9), hash, 0, true),
			CollectiveError::<Test, pallet_collective::Instance1>::NotMember
		);
		assert_ok!(Collective::vote(RuntimeOrigin::signed(1), hash, 0, true));
		assert_noop!(
			Collective::vote(RuntimeOrigin::signed(1), hash, 0, true),
			CollectiveError::<Test, pallet_collective::Instance1>::DuplicateVote
		);
		// Two of four are not enough to close it before its time.
		assert_ok!(Collective::vote(RuntimeOrigin::signed(2), hash, 0, true));
		assert_noop!(
			Collective::close(RuntimeOrigin::signed(1), hash, 0, Weight::MAX, length),
			CollectiveError::<Test, pallet_collective::Instance1>::TooEarly
		);
	});
}

#[test]
fn a_hospital_is_admitted_once_with_a_name_and_up_to_the_limit() {
	test(|| {
		assert_noop!(
			Consortium::admit_hospital(unanimous(), 2, name("Again"), node(2), proof(2, 2)),
			Error::<Test>::AlreadyHospital
		);
		assert_noop!(
			Consortium::admit_hospital(unanimous(), 5, name(""), node(5), proof(5, 5)),
			Error::<Test>::EmptyName
		);
		for hospital in 5..=8 {
			assert_ok!(Consortium::admit_hospital(
				unanimous(),
				hospital,
				name("H"),
				node(hospital),
				proof(hospital, hospital)
			));
		}
		assert_noop!(
			Consortium::admit_hospital(unanimous(), 9, name("H"), node(9), proof(9, 9)),
			Error::<Test>::TooManyHospitals
		);
	});
}

#[test]
fn a_removed_hospital_votes_no_more() {
	test(|| {
		// Hospital 4 votes on an open motion, then the others remove it.
		let call = admit(5);
		let length = call.encoded_size() as u32;
		let hash = <Test as frame_system::Config>::Hashing::hash_of(&call);
		assert_ok!(Collective::propose(RuntimeOrigin::signed(4), 3, Box::new(call), length));
		assert_ok!(Collective::vote(RuntimeOrigin::signed(4), hash, 0, true));
		assert_ok!(decide(
			RuntimeCall::Consortium(Call::remove_hospital { hospital: 4 }),
			&[1, 2, 3]
		));
		assert!(!Hospitals::<Test>::contains_key(4));
		assert_eq!(collective_members(), vec![1, 2, 3]);
		System::assert_has_event(ConsortiumEvent::HospitalRemoved { hospital: 4 }.into());
		assert_noop!(
			Collective::vote(RuntimeOrigin::signed(4), hash, 0, true),
			CollectiveError::<Test, pallet_collective::Instance1>::NotMember
		);
		// Its aye went with it: two more are not the three the motion needs.
		assert_ok!(Collective::vote(RuntimeOrigin::signed(1), hash, 0, true));
		assert_ok!(Collective::vote(RuntimeOrigin::signed(2), hash, 0, true));
		assert_noop!(
			Collective::close(RuntimeOrigin::signed(1), hash, 0, Weight::MAX, length),
			CollectiveError::<Test, pallet_collective::Instance1>::TooEarly
		);
		// Its account stays, so that its nonce never resets.
		assert!(System::account_exists(&4));
	});
}

#[test]
fn the_last_hospital_stays_and_strangers_cannot_be_removed() {
	test(|| {
		assert_noop!(Consortium::remove_hospital(unanimous(), 9), Error::<Test>::NotHospital);
		for hospital in [4, 3, 2] {
			assert_ok!(Consortium::remove_hospital(unanimous(), hospital));
		}
		assert_noop!(Consortium::remove_hospital(unanimous(), 1), Error::<Test>::LastHospital);
		// One hospital alone decides with one aye.
		assert_eq!(Consortium::ayes_needed(), 1);
		assert_ok!(decide(admit(5), &[1]));
	});
}

#[test]
fn the_consortium_sets_its_threshold_above_half() {
	test(|| {
		for invalid in [
			Threshold { ayes: 1, of: 2 },
			Threshold { ayes: 0, of: 0 },
			Threshold { ayes: 0, of: 1 },
			Threshold { ayes: 4, of: 3 },
		] {
			assert_noop!(
				Consortium::set_threshold(unanimous(), invalid),
				Error::<Test>::InvalidThreshold
			);
		}
		let all = Threshold { ayes: 1, of: 1 };
		assert_ok!(decide(
			RuntimeCall::Consortium(Call::set_threshold { threshold: all }),
			&[1, 2, 3]
		));
		assert_eq!(ApprovalThreshold::<Test>::get(), all);
		System::assert_has_event(ConsortiumEvent::ThresholdSet { threshold: all }.into());
		assert_eq!(Consortium::ayes_needed(), 4);
		assert_eq!(decide(admit(5), &[1, 2, 3]), Err(DispatchError::BadOrigin));
		assert_ok!(decide(admit(5), &[1, 2, 3, 4]));
	});
}

#[test]
fn the_consortium_authorizes_a_runtime_upgrade() {
	test(|| {
		let code_hash = H256::repeat_byte(7);
		assert_noop!(
			System::apply_authorized_upgrade(RuntimeOrigin::signed(1), vec![1, 2, 3]),
			frame_system::Error::<Test>::NothingAuthorized
		);
		assert_ok!(decide(
			RuntimeCall::Consortium(Call::authorize_upgrade { code_hash }),
			&[2, 3, 4]
		));
		System::assert_has_event(ConsortiumEvent::UpgradeAuthorized { code_hash }.into());
		System::assert_has_event(
			frame_system::Event::UpgradeAuthorized { code_hash, check_version: true }.into(),
		);
		// Code other than the approved one is refused.
		assert_noop!(
			System::apply_authorized_upgrade(RuntimeOrigin::signed(1), vec![1, 2, 3]),
			frame_system::Error::<Test>::Unauthorized
		);
	});
}

proptest! {
	/// For every valid threshold and number of hospitals, the ayes it asks for meet it and one
	/// fewer does not; more than half is always needed.
	#[test]
	fn ayes_needed_is_the_least_that_meets_the_threshold(
		of in 1u32..1_000,
		ayes_share in 0.0f64..1.0,
		seats in 1u32..1_000,
	) {
		let ayes = ((f64::from(of) * ayes_share) as u32).clamp(1, of);
		let threshold = Threshold { ayes, of };
		prop_assume!(threshold.is_valid());
		let needed = threshold.ayes_needed(seats);
		prop_assert!(threshold.is_met(needed, seats));
		prop_assert!(needed == 1 || !threshold.is_met(needed - 1, seats));
		prop_assert!(u64::from(needed) * 2 > u64::from(seats));
		prop_assert!(!threshold.is_met(seats + 1, seats));
	}
}

#[test]
fn founders_are_seated_once() {
	test(|| {
		// A consortium with hospitals is not founded again.
		Consortium::found(vec![(9, name("Late founder"), Some(node(9)))]);
		assert!(!Hospitals::<Test>::contains_key(9));
		assert_eq!(Members::<Test>::get().to_vec(), FOUNDERS.to_vec());
	});
	new_test_ext().execute_with(|| {
		// A chain without one seats its founders, each once, sorted, up to the limit.
		let _ = Hospitals::<Test>::clear(u32::MAX, None);
		let _ = Nodes::<Test>::clear(u32::MAX, None);
		Members::<Test>::kill();
		pallet_collective::Members::<Test, pallet_collective::Instance1>::kill();
		StorageVersion::new(0).put::<Consortium>();
		// Hospital 7 names hospital 8's node too: only the first to name it keeps it.
		let founders = (1..=10u64)
			.rev()
			.chain([3])
			.map(|h| (h, name("Founder"), Some(node(if h == 7 { 8 } else { h }))))
			.collect();
		Consortium::found(founders);
		assert_eq!(Members::<Test>::get().to_vec(), (3..=10).collect::<Vec<_>>());
		assert_eq!(collective_members(), (3..=10).collect::<Vec<_>>());
		assert_eq!(Hospitals::<Test>::get(8).and_then(|h| h.node), Some(node(8)));
		assert_eq!(Hospitals::<Test>::get(7).and_then(|h| h.node), None);
		assert_eq!(StorageVersion::get::<Consortium>(), StorageVersion::new(2));
		Consortium::do_try_state().expect("consistent");
	});
}

#[test]
fn the_consortium_sets_how_long_sessions_last() {
	test(|| {
		assert_eq!(SessionLength::<Test>::get(), 100);
		for invalid in [0, 9, 14_401] {
			assert_noop!(
				Consortium::set_session_length(unanimous(), invalid),
				Error::<Test>::InvalidSessionLength
			);
		}
		assert_noop!(
			Consortium::set_session_length(RuntimeOrigin::signed(1), 600),
			DispatchError::BadOrigin
		);
		assert_ok!(decide(
			RuntimeCall::Consortium(Call::set_session_length { blocks: 600 }),
			&[1, 2, 3]
		));
		assert_eq!(SessionLength::<Test>::get(), 600);
		System::assert_has_event(ConsortiumEvent::SessionLengthSet { blocks: 600 }.into());
	});
}

#[test]
fn sessions_end_at_every_multiple_of_their_length_for_the_rotations_weight() {
	use frame::deps::frame_support::weights::RuntimeDbWeight;
	test(|| {
		let db: RuntimeDbWeight = <Test as frame_system::Config>::DbWeight::get();
		let rotations = Rotations::get();
		let weight = Consortium::on_initialize(99);
		assert_eq!(Rotations::get(), rotations, "no session ends before its length");
		assert_eq!(weight, db.reads(1));

		let weight = Consortium::on_initialize(100);
		assert_eq!(Rotations::get(), rotations + 1, "the session ends at its length");
		// For the most hospitals there may be, whatever their number now.
		assert_eq!(weight, <() as crate::WeightInfo>::end_session(MaxHospitals::get()));
		let block: frame_system::limits::BlockWeights =
			<Test as frame_system::Config>::BlockWeights::get();
		assert!(
			weight.all_lt(block.max_block),
			"not the whole block: others' transactions still fit in it"
		);

		// A new length counts from block zero, as the estimates of the next rotation do.
		assert_ok!(decide(
			RuntimeCall::Consortium(Call::set_session_length { blocks: 30 }),
			&[1, 2, 3]
		));
		Consortium::on_initialize(100);
		assert_eq!(Rotations::get(), rotations + 1);
		Consortium::on_initialize(120);
		assert_eq!(Rotations::get(), rotations + 2);
	});
}

#[test]
fn the_consortium_notes_a_finality_stall() {
	test(|| {
		System::set_block_number(50);
		let stalled = |delay, best_finalized| {
			RuntimeCall::Consortium(Call::note_stalled { delay, best_finalized })
		};
		assert_noop!(
			Consortium::note_stalled(RuntimeOrigin::signed(1), 10, 40),
			DispatchError::BadOrigin
		);
		assert_eq!(
			decide(stalled(10, 50), &[1, 2, 3]),
			Err(Error::<Test>::FinalizedInFuture.into())
		);
		assert_eq!(decide(stalled(10, 40), &[1, 2]), Err(DispatchError::BadOrigin));
		assert_ok!(decide(stalled(10, 40), &[1, 2, 3]));
		System::assert_has_event(
			ConsortiumEvent::FinalityStallNoted { delay: 10, best_finalized: 40 }.into(),
		);
	});
}
