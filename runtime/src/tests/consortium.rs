//! The consortium deciding in blocks: motions of the council, signed by hospitals' accounts
//! and checked by the transaction extensions, as on the chain.

use super::*;
use crate::{
	configs::{ConsortiumSessions, CouncilInstance, HospitalValidator, HospitalValidators},
	migrations::FoundConsortium,
};
use polkadot_sdk::{
	frame_support::traits::OnRuntimeUpgrade,
	sp_runtime::{
		traits::{Convert, Hash as _},
		DispatchError, DispatchResult,
	},
};

/// Applies `call` signed by `signer` with `nonce`; panics if the transaction is refused or its
/// call fails (a motion's call may fail: the council's `Executed` event says how).
fn submit(call: RuntimeCall, signer: Sr25519Keyring, nonce: Nonce) {
	let applied = Executive::apply_extrinsic(signed(call, signer, nonce));
	assert!(matches!(applied, Ok(Ok(_))), "{signer:?}'s transaction failed: {applied:?}");
}

/// `ayes[0]` proposes `call` to pass with `ayes.len()` votes, each of `ayes` votes aye (with
/// its `nonces`), and the proposer closes it: the result of the call the council dispatched.
fn decide(call: RuntimeCall, ayes: &[Sr25519Keyring]) -> DispatchResult {
	let length = call.encoded_size() as u32;
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	let index = pallet_collective::ProposalCount::<Runtime, CouncilInstance>::get();
	let nonce = |who: Sr25519Keyring| System::account_nonce(who.to_account_id());
	let proposer = ayes[0];
	submit(
		RuntimeCall::Council(pallet_collective::Call::propose {
			threshold: ayes.len() as u32,
			proposal: Box::new(call),
			length_bound: length,
		}),
		proposer,
		nonce(proposer),
	);
	if ayes.len() > 1 {
		for voter in ayes {
			let vote = pallet_collective::Call::vote { proposal: hash, index, approve: true };
			submit(RuntimeCall::Council(vote), *voter, nonce(*voter));
		}
		let close = pallet_collective::Call::close {
			proposal_hash: hash,
			index,
			proposal_weight_bound: crate::configs::CouncilMaxProposalWeight::get(),
			length_bound: length,
		};
		submit(RuntimeCall::Council(close), proposer, nonce(proposer));
	}
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::Council(pallet_collective::Event::Executed { proposal_hash, result })
				if proposal_hash == hash =>
			{
				Some(result)
			},
			_ => None,
		})
		.expect("the motion was executed")
}

fn set_difficulty(difficulty: u8) -> RuntimeCall {
	RuntimeCall::Ehr(pallet_ehr::Call::set_difficulty { difficulty })
}

use Sr25519Keyring::{Alice, Bob, Charlie, Dave};

#[test]
fn three_of_four_hospitals_decide() {
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		// Charlie and Dave hold no role but their hospital's: they transact to vote.
		assert_eq!(decide(set_difficulty(12), &[Charlie, Dave, Bob]), Ok(()));
		assert_eq!(pallet_ehr::Difficulty::<Runtime>::get(), 12);
		let eve = Sr25519Keyring::Eve.to_account_id();
		let admit = RuntimeCall::Consortium(pallet_consortium::Call::admit_hospital {
			hospital: eve.clone(),
			name: b"Eve's clinic".to_vec().try_into().expect("short"),
			node: node_of(&eve).0,
			proof: node_of(&eve).1,
		});
		assert_eq!(decide(admit, &[Alice, Bob, Dave]), Ok(()));
		assert!(pallet_consortium::Hospitals::<Runtime>::contains_key(&eve));
		assert!(pallet_collective::Members::<Runtime, CouncilInstance>::get().contains(&eve));
		assert_eq!(Consortium::ayes_needed(), 4);
	});
}

/// A council motion proposing `call` to pass with `threshold` ayes.
fn propose(call: RuntimeCall, threshold: u32) -> RuntimeCall {
	let length_bound = call.encoded_size() as u32;
	RuntimeCall::Council(pallet_collective::Call::propose {
		threshold,
		proposal: Box::new(call),
		length_bound,
	})
}

/// The pool's answer to `call` signed by `signer` with its next nonce.
fn pool(call: RuntimeCall, signer: Sr25519Keyring) -> TransactionValidity {
	validate(signed(call, signer, System::account_nonce(signer.to_account_id())))
}

const FILTERED: TransactionValidityError =
	TransactionValidityError::Invalid(InvalidTransaction::Call);

#[test]
fn no_admin_or_minority_of_hospitals_decides_alone() {
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		// Alice is an admin and a hospital; alone, her call is refused at dispatch.
		assert_eq!(
			Executive::apply_extrinsic(signed(set_difficulty(12), Alice, 0)),
			Ok(Err(DispatchError::BadOrigin))
		);
		// A motion to pass with fewer ayes than the consortium's threshold is refused.
		assert_eq!(pool(propose(set_difficulty(12), 2), Alice), Err(FILTERED));
		assert_eq!(pool(propose(set_difficulty(12), 1), Dave), Err(FILTERED));
		assert!(pool(propose(set_difficulty(12), 3), Dave).is_ok());
		// No hospital executes a call as a member of the council.
		let execute = RuntimeCall::Council(pallet_collective::Call::execute {
			proposal: Box::new(set_difficulty(12)),
			length_bound: 100,
		});
		assert_eq!(pool(execute, Alice), Err(FILTERED));
		// An outsider cannot even propose.
		assert_eq!(
			pool(propose(set_difficulty(12), 3), Sr25519Keyring::Eve),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner))
		);
		assert_eq!(pallet_ehr::Difficulty::<Runtime>::get(), 8);
	});
}

#[test]
fn a_motion_that_no_longer_has_the_ayes_the_consortium_needs_changes_nothing() {
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		// Proposed to pass with three of four; two more hospitals are admitted meanwhile, so
		// three of six no longer make two thirds.
		let call = set_difficulty(12);
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		submit(propose(call, 3), Alice, 0);
		for (who, name) in [(Sr25519Keyring::Eve, "Eve"), (Sr25519Keyring::Ferdie, "Ferdie")] {
			let admit = RuntimeCall::Consortium(pallet_consortium::Call::admit_hospital {
				hospital: who.to_account_id(),
				name: name.as_bytes().to_vec().try_into().expect("short"),
				node: node_of(&who.to_account_id()).0,
				proof: node_of(&who.to_account_id()).1,
			});
			assert_eq!(decide(admit, &[Bob, Charlie, Dave, Alice]), Ok(()));
		}
		let vote = |proposal| {
			RuntimeCall::Council(pallet_collective::Call::vote {
				proposal,
				index: 0,
				approve: true,
			})
		};
		for voter in [Alice, Bob, Charlie] {
			submit(vote(hash), voter, System::account_nonce(voter.to_account_id()));
		}
		let close = RuntimeCall::Council(pallet_collective::Call::close {
			proposal_hash: hash,
			index: 0,
			proposal_weight_bound: crate::configs::CouncilMaxProposalWeight::get(),
			length_bound: 100,
		});
		submit(close, Alice, System::account_nonce(Alice.to_account_id()));
		assert!(System::events().iter().any(|record| matches!(
			&record.event,
			RuntimeEvent::Council(pallet_collective::Event::Executed { proposal_hash, result })
				if *proposal_hash == hash && *result == Err(DispatchError::BadOrigin)
		)));
		assert_eq!(pallet_ehr::Difficulty::<Runtime>::get(), 8);
	});
}

#[test]
fn no_member_puts_arbitrary_bytes_into_blocks() {
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: b"x".to_vec() });
		// Not as a motion, nor inside sudo (a live chain has no sudo key).
		assert_eq!(pool(propose(remark.clone(), 3), Alice), Err(FILTERED));
		let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(remark) });
		assert_eq!(pool(sudo, Alice), Err(FILTERED));
		// Nor as a runtime upgrade nobody approved, or other code than the approved.
		let apply = |code: &[u8]| {
			RuntimeCall::System(frame_system::Call::apply_authorized_upgrade {
				code: code.to_vec(),
			})
		};
		assert_eq!(pool(apply(b"any bytes"), Dave), Err(FILTERED));
		let code = b"the approved runtime";
		let code_hash = <Runtime as frame_system::Config>::Hashing::hash(code);
		let authorize =
			RuntimeCall::Consortium(pallet_consortium::Call::authorize_upgrade { code_hash });
		assert_eq!(decide(authorize, &[Alice, Bob, Charlie]), Ok(()));
		assert_eq!(pool(apply(b"other bytes"), Dave), Err(FILTERED));
		assert!(pool(apply(code), Dave).is_ok());
		// Nor can a hospital take its node's keys away (the set could be left without any).
		let purge = RuntimeCall::Session(pallet_session::Call::purge_keys {});
		assert_eq!(pool(purge, Alice), Err(FILTERED));
	});
}

#[test]
fn an_upgrade_founds_the_consortium_of_a_chain_without_one() {
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		// The state of spec version 101: validators in Aura and GRANDPA in genesis order (not
		// sorted), no consortium, no council, no sessions.
		let keys = [
			(Alice, polkadot_sdk::sp_keyring::Ed25519Keyring::Alice),
			(Bob, polkadot_sdk::sp_keyring::Ed25519Keyring::Bob),
			(Charlie, polkadot_sdk::sp_keyring::Ed25519Keyring::Charlie),
			(Dave, polkadot_sdk::sp_keyring::Ed25519Keyring::Dave),
		];
		let aura: Vec<_> = keys.iter().map(|(aura, _)| aura.public().into()).collect();
		let grandpa: Vec<_> =
			keys.iter().map(|(_, grandpa)| (grandpa.public().into(), 1)).collect();
		pallet_aura::Authorities::<Runtime>::put(
			polkadot_sdk::frame_support::BoundedVec::try_from(aura.clone()).expect("four"),
		);
		pallet_grandpa::Authorities::<Runtime>::put(
			polkadot_sdk::frame_support::WeakBoundedVec::try_from(grandpa.clone()).expect("four"),
		);
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let grandpa = Grandpa::grandpa_authorities();
		let _ = pallet_consortium::Hospitals::<Runtime>::clear(u32::MAX, None);
		let _ = pallet_consortium::Nodes::<Runtime>::clear(u32::MAX, None);
		pallet_consortium::Members::<Runtime>::kill();
		polkadot_sdk::frame_support::traits::StorageVersion::new(0).put::<Consortium>();
		pallet_collective::Members::<Runtime, CouncilInstance>::kill();
		let _ = pallet_session::NextKeys::<Runtime>::clear(u32::MAX, None);
		let _ = pallet_session::KeyOwner::<Runtime>::clear(u32::MAX, None);
		pallet_session::Validators::<Runtime>::kill();
		pallet_session::QueuedKeys::<Runtime>::kill();

		FoundConsortium::on_runtime_upgrade();
		// The validators, in the Aura authorities' order, each as the account of its key.
		let mut hospitals: Vec<AccountId> = aura
			.iter()
			.map(|key| {
				use polkadot_sdk::sp_core::crypto::ByteArray;
				AccountId::new(key.as_slice().try_into().expect("32 bytes"))
			})
			.collect();
		assert_eq!(pallet_session::Validators::<Runtime>::get(), hospitals);
		let first = pallet_consortium::Hospitals::<Runtime>::get(&hospitals[0]).expect("hospital");
		assert_eq!(first.name.to_vec(), b"Validator 1".to_vec());
		// Such a chain never knew its nodes: each hospital names its own, and until then no
		// node refuses a peer.
		assert_eq!(first.node, None);
		assert_eq!(Consortium::authorized_peers(None), (Vec::new(), false));
		assert_eq!(
			polkadot_sdk::frame_support::traits::StorageVersion::get::<Consortium>(),
			polkadot_sdk::frame_support::traits::StorageVersion::new(2)
		);
		hospitals.sort();
		assert_eq!(pallet_consortium::Members::<Runtime>::get().to_vec(), hospitals);
		assert_eq!(pallet_collective::Members::<Runtime, CouncilInstance>::get(), hospitals);
		Consortium::do_try_state().expect("consistent");
		// The same validators go on, with the same keys and in the same order, through the
		// next sessions: GRANDPA's set does not change.
		Session::rotate_session();
		Session::rotate_session();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get(), aura);
		assert_eq!(Grandpa::grandpa_authorities(), grandpa);
		assert!(pallet_grandpa::PendingChange::<Runtime>::get().is_none());

		// On a chain with hospitals it changes nothing.
		let root =
			|| polkadot_sdk::sp_io::storage::root(polkadot_sdk::sp_runtime::StateVersion::V1);
		let before = root();
		FoundConsortium::on_runtime_upgrade();
		assert_eq!(before, root());
	});
}

/// Eve's hospital's node keys, as its node would make them.
fn eve_keys() -> SessionKeys {
	SessionKeys {
		aura: Sr25519Keyring::Eve.public().into(),
		grandpa: polkadot_sdk::sp_keyring::Ed25519Keyring::Eve.public().into(),
	}
}

#[test]
fn an_admitted_hospital_with_keys_validates_from_the_session_after_next() {
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let eve = Sr25519Keyring::Eve.to_account_id();
		// Only hospitals have a validator id, so only they set keys.
		assert_eq!(HospitalValidator::convert(eve.clone()), None);
		let admit = RuntimeCall::Consortium(pallet_consortium::Call::admit_hospital {
			hospital: eve.clone(),
			name: b"Eve's clinic".to_vec().try_into().expect("short"),
			node: node_of(&eve).0,
			proof: node_of(&eve).1,
		});
		assert_eq!(decide(admit, &[Alice, Bob, Charlie]), Ok(()));
		assert_eq!(HospitalValidator::convert(eve.clone()), Some(eve.clone()));
		// Admitted without keys, it does not validate.
		Session::rotate_session();
		Session::rotate_session();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		// With its keys set, it is queued at the next session and validates at the one after.
		pallet_session::NextKeys::<Runtime>::insert(&eve, eve_keys());
		Session::rotate_session();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		Session::rotate_session();
		assert!(pallet_session::Validators::<Runtime>::get().contains(&eve));
		assert!(pallet_aura::Authorities::<Runtime>::get().contains(&eve_keys().aura));
		// GRANDPA takes the new set at the end of the block (the chain's finality then moves
		// to the five).
		let change = pallet_grandpa::PendingChange::<Runtime>::get().expect("a new GRANDPA set");
		assert!(change.next_authorities.iter().any(|(key, _)| *key == eve_keys().grandpa));

		// Removed by the consortium, it leaves the set the same way.
		let remove = RuntimeCall::Consortium(pallet_consortium::Call::remove_hospital {
			hospital: eve.clone(),
		});
		assert_eq!(decide(remove, &[Alice, Bob, Charlie, Dave]), Ok(()));
		Session::rotate_session();
		Session::rotate_session();
		assert!(!pallet_session::Validators::<Runtime>::get().contains(&eve));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);

		// Admitted again, its old node's keys are forgotten: it validates only once it sets
		// new ones.
		let admit = RuntimeCall::Consortium(pallet_consortium::Call::admit_hospital {
			hospital: eve.clone(),
			name: b"Eve's clinic".to_vec().try_into().expect("short"),
			node: node_of(&eve).0,
			proof: node_of(&eve).1,
		});
		assert_eq!(decide(admit, &[Alice, Bob, Charlie]), Ok(()));
		assert!(!pallet_session::NextKeys::<Runtime>::contains_key(&eve));
		Session::rotate_session();
		Session::rotate_session();
		assert!(!pallet_session::Validators::<Runtime>::get().contains(&eve));
	});
}

#[test]
fn the_validator_set_is_never_emptied_nor_rechosen_unchanged() {
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		use pallet_session::SessionManager;
		// Unchanged hospitals: no new set, so GRANDPA's set stays.
		assert_eq!(HospitalValidators::new_session(2), None);
		// No hospital with keys: the validators stay rather than none.
		let _ = pallet_session::NextKeys::<Runtime>::clear(u32::MAX, None);
		assert_eq!(HospitalValidators::new_session(3), None);
	});
}

#[test]
fn sessions_last_as_long_as_the_consortium_chose() {
	use polkadot_sdk::frame_support::traits::EstimateNextSessionRotation;
	// Ten minutes on a consortium's chain unless it chose otherwise…
	externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		assert!(!Consortium::session_ends(10));
		assert!(Consortium::session_ends(100));
		assert_eq!(ConsortiumSessions::estimate_next_session_rotation(101).0, Some(200));
	});
	// …one minute on the local test network, and what its hospitals vote for.
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert!(Consortium::session_ends(10));
		let set =
			RuntimeCall::Consortium(pallet_consortium::Call::set_session_length { blocks: 50 });
		assert_eq!(decide(set, &[Alice, Bob, Charlie]), Ok(()));
		assert!(!Consortium::session_ends(10));
		assert!(Consortium::session_ends(50));
		assert_eq!(ConsortiumSessions::average_session_length(), 50);
	});
}

#[test]
fn the_block_that_ends_a_session_still_carries_transactions() {
	use pallet_session::ShouldEndSession;
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		// The session pallet's own hook, which would charge the whole block, never ends one.
		assert!(!ConsortiumSessions::should_end_session(10));
		let session = pallet_session::CurrentIndex::<Runtime>::get();
		System::set_block_number(9);
		let parent = System::parent_hash();
		use polkadot_sdk::sp_runtime::traits::Header as _;
		Executive::initialize_block(&Header::new(
			10,
			Default::default(),
			Default::default(),
			parent,
			Default::default(),
		));
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), session + 1, "block 10 ends it");
		let used = System::block_weight().total();
		let max = configs::RuntimeBlockWeights::get().max_block;
		assert!(
			used.ref_time() < max.ref_time() / 100,
			"the rotation is charged {used} of the block's {max}"
		);
		// Hospitals' transactions still fit in the block.
		let set =
			RuntimeCall::Consortium(pallet_consortium::Call::set_session_length { blocks: 50 });
		assert_eq!(decide(set, &[Alice, Bob, Charlie]), Ok(()));
	});
}

/// The node of `account`'s hospital in these tests (a network key made from the account), and
/// its proof that it is that hospital's.
fn node_of(
	account: &AccountId,
) -> (pallet_consortium::NodeId, polkadot_sdk::sp_core::ed25519::Signature) {
	use polkadot_sdk::sp_core::Pair;
	let key = polkadot_sdk::sp_core::ed25519::Pair::from_seed(account.as_ref());
	let proof = key.sign(&Consortium::node_claim(account));
	(pallet_consortium::NodeId(key.public().0), proof)
}

#[test]
fn the_consortium_forces_a_finality_set_change_when_finality_stalls() {
	externalities(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(30);
		let stalled = RuntimeCall::Consortium(pallet_consortium::Call::note_stalled {
			delay: 5,
			best_finalized: 20,
		});
		assert_eq!(decide(stalled, &[Alice, Bob, Charlie]), Ok(()));
		assert_eq!(pallet_grandpa::Stalled::<Runtime>::get(), Some((5, 20)));
		// At the next session GRANDPA schedules the forced change, to the session's validators.
		Session::rotate_session();
		let change = pallet_grandpa::PendingChange::<Runtime>::get().expect("a forced change");
		assert_eq!(change.forced, Some(20));
		assert_eq!(change.delay, 5);
		assert_eq!(change.next_authorities.len(), 4);
		assert!(pallet_grandpa::Stalled::<Runtime>::get().is_none());
	});
}
