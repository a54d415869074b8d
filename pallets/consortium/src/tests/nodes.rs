//! Hospitals' nodes: admitted with their hospital, moved by it, dropped with it; the peers
//! each node keeps.

use super::*;
use crate::{migrations, NodeId};
use codec::Encode;
use frame::deps::sp_runtime::BuildStorage;
use frame::{
	deps::{
		frame_support::{storage::unhashed, traits::OnRuntimeUpgrade},
		sp_core::Pair,
	},
	hashing::H256,
};

/// The claim of `hospital` on a chain whose genesis hash is `genesis`.
fn node_claim_on(genesis: H256, hospital: u64) -> Vec<u8> {
	(crate::NODE_CLAIM_TAG, genesis, hospital).encode()
}

/// The key of the tests' node `index`, as the mock makes it.
fn node_pair(index: u64) -> frame::deps::sp_core::ed25519::Pair {
	let mut seed = [0u8; 32];
	seed[..8].copy_from_slice(&index.to_le_bytes());
	frame::deps::sp_core::ed25519::Pair::from_seed(&seed)
}

fn nodes(hospitals: &[u64]) -> Vec<NodeId> {
	let mut nodes: Vec<_> = hospitals.iter().map(|h| node(*h)).collect();
	nodes.sort();
	nodes
}

#[test]
fn a_hospital_is_admitted_with_a_node_no_other_hospital_has() {
	test(|| {
		let (name, node, proof) = (name("Copycat"), node(1), proof(1, 5));
		let taken = Call::admit_hospital { hospital: 5, name, node, proof };
		assert_eq!(
			decide(RuntimeCall::Consortium(taken), &[1, 2, 3]),
			Err(Error::<Test>::NodeInUse.into())
		);
		assert!(!Hospitals::<Test>::contains_key(5));
		assert_ok!(decide(admit(5), &[1, 2, 3]));
		assert_eq!(Nodes::<Test>::get(super::node(5)), Some(5));
		assert_eq!(Hospitals::<Test>::get(5).and_then(|h| h.node), Some(super::node(5)));
	});
}

#[test]
fn only_the_holder_of_a_nodes_key_names_it() {
	test(|| {
		// A proof for another hospital, from another key, for another chain: all refused.
		for wrong in [proof(11, 2), proof(12, 1)] {
			assert_noop!(
				Consortium::set_node(RuntimeOrigin::signed(1), node(11), wrong),
				Error::<Test>::BadNodeProof
			);
		}
		let other_chain = node_claim_on(H256::repeat_byte(7), 1);
		let signed = node_pair(11).sign(&other_chain);
		assert_noop!(
			Consortium::set_node(RuntimeOrigin::signed(1), node(11), signed),
			Error::<Test>::BadNodeProof
		);
		// So no hospital takes the node of a hospital the others are about to admit: the
		// admission's proof names that hospital.
		assert_noop!(
			Consortium::set_node(RuntimeOrigin::signed(1), node(5), proof(5, 5)),
			Error::<Test>::BadNodeProof
		);
		let admit = RuntimeCall::Consortium(Call::admit_hospital {
			hospital: 5,
			name: name("St. Elsewhere"),
			node: node(5),
			proof: proof(5, 6),
		});
		assert_eq!(decide(admit, &[1, 2, 3]), Err(Error::<Test>::BadNodeProof.into()));
	});
}

#[test]
fn a_motion_does_not_name_a_node() {
	test(|| {
		let set = RuntimeCall::Consortium(Call::set_node { node: node(11), proof: proof(11, 1) });
		assert_eq!(decide(set, &[1, 2, 3]), Err(DispatchError::BadOrigin));
	});
}

#[test]
fn a_hospital_moves_its_own_node() {
	test(|| {
		assert_ok!(Consortium::set_node(RuntimeOrigin::signed(1), node(11), proof(11, 1)));
		assert_eq!(Hospitals::<Test>::get(1).and_then(|h| h.node), Some(node(11)));
		assert_eq!(Nodes::<Test>::get(node(1)), None);
		assert_eq!(Nodes::<Test>::get(node(11)), Some(1));
		System::assert_last_event(ConsortiumEvent::NodeSet { hospital: 1, node: node(11) }.into());
		// Naming the same node again changes nothing.
		assert_ok!(Consortium::set_node(RuntimeOrigin::signed(1), node(11), proof(11, 1)));
		assert_eq!(Nodes::<Test>::get(node(11)), Some(1));
		// Its old node is free for another.
		assert_ok!(Consortium::set_node(RuntimeOrigin::signed(2), node(1), proof(1, 2)));
	});
}

#[test]
fn no_hospital_takes_anothers_node_and_only_hospitals_name_one() {
	test(|| {
		assert_noop!(
			Consortium::set_node(RuntimeOrigin::signed(1), node(2), proof(2, 1)),
			Error::<Test>::NodeInUse
		);
		assert_noop!(
			Consortium::set_node(RuntimeOrigin::signed(9), node(9), proof(9, 9)),
			Error::<Test>::NotHospital
		);
		assert_noop!(
			Consortium::set_node(RuntimeOrigin::none(), node(9), proof(9, 9)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_removed_hospitals_node_is_dropped() {
	test(|| {
		let remove = RuntimeCall::Consortium(Call::remove_hospital { hospital: 4 });
		assert_ok!(decide(remove, &[1, 2, 3]));
		assert_eq!(Nodes::<Test>::get(node(4)), None);
		assert_eq!(Consortium::authorized_peers(Some(&node(1))), (nodes(&[2, 3]), true));
		// Its node refuses nobody any more, and nobody keeps it.
		assert_eq!(Consortium::authorized_peers(Some(&node(4))), (nodes(&[1, 2, 3]), false));
	});
}

#[test]
fn hospital_nodes_keep_each_other_and_refuse_the_rest() {
	test(|| {
		assert_eq!(Consortium::authorized_peers(Some(&node(1))), (nodes(&[2, 3, 4]), true));
		// Any other node stays open, and keeps the hospitals' nodes.
		assert_eq!(Consortium::authorized_peers(Some(&node(9))), (nodes(&[1, 2, 3, 4]), false));
		assert_eq!(Consortium::authorized_peers(None), (nodes(&[1, 2, 3, 4]), false));
		// While a hospital has not named its node, nobody refuses anyone.
		Hospitals::<Test>::mutate(4, |h| h.as_mut().map(|h| h.node = None));
		Nodes::<Test>::remove(node(4));
		assert_eq!(Consortium::authorized_peers(Some(&node(1))), (nodes(&[2, 3]), false));
	});
}

#[test]
fn node_ids_are_written_as_peer_ids() {
	// The peer id of the network key 0x00…01, as `ehr-node key inspect-node-key` prints it.
	let written = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";
	let id = NodeId::from_peer_id(written).expect("an ed25519 peer id");
	assert_eq!(id.to_peer_id(), written);
	assert_eq!(NodeId::from_peer_id_bytes(&id.peer_id_bytes()), Some(id));
	// Not base58, a truncated id, another key type: none is a node.
	assert_eq!(NodeId::from_peer_id("0OIl"), None);
	assert_eq!(NodeId::from_peer_id(&written[..40]), None);
	let mut secp256k1 = id.peer_id_bytes();
	secp256k1[3] = 0x02;
	assert_eq!(NodeId::from_peer_id_bytes(&secp256k1), None);
}

#[test]
fn hospitals_of_version_1_keep_everything_and_name_their_nodes_later() {
	new_test_ext().execute_with(|| {
		let _ = Nodes::<Test>::clear(u32::MAX, None);
		for hospital in FOUNDERS {
			let v1 = (name(&format!("Hospital {hospital}")), 7u64);
			unhashed::put_raw(&Hospitals::<Test>::hashed_key_for(hospital), &v1.encode());
		}
		StorageVersion::new(1).put::<Consortium>();
		migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(StorageVersion::get::<Consortium>(), StorageVersion::new(2));
		for hospital in FOUNDERS {
			let name = name(&format!("Hospital {hospital}"));
			let expected = Hospital { name, admitted_at: 7, node: None };
			assert_eq!(Hospitals::<Test>::get(hospital), Some(expected));
		}
		// Every node stays open until every hospital named its node.
		assert_eq!(Consortium::authorized_peers(Some(&node(1))), (Vec::new(), false));
		for hospital in FOUNDERS {
			assert_ok!(Consortium::set_node(
				RuntimeOrigin::signed(hospital),
				node(hospital),
				proof(hospital, hospital)
			));
		}
		assert_eq!(Consortium::authorized_peers(Some(&node(1))), (nodes(&[2, 3, 4]), true));
		Consortium::do_try_state().expect("consistent");
		// Once migrated, the migration does nothing.
		migrations::v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Hospitals::<Test>::get(1).and_then(|h| h.node), Some(node(1)));
	});
}

#[test]
#[should_panic(expected = "duplicate node in genesis")]
fn a_genesis_naming_one_node_twice_is_refused() {
	let _ = RuntimeGenesisConfig {
		system: Default::default(),
		collective: Default::default(),
		consortium: crate::GenesisConfig {
			hospitals: vec![(1, "One".into(), Some(node(1))), (2, "Two".into(), Some(node(1)))],
			threshold: None,
			session_length: None,
		},
	}
	.build_storage();
}
