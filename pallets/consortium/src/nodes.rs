//! Hospitals' nodes: the claim a node's key signs to be a hospital's, and the peers each node
//! keeps.

use crate::{pallet::*, NodeId};
use alloc::vec::Vec;
use codec::Encode;
use frame::{
	deps::{sp_core::ed25519, sp_io},
	prelude::*,
};

/// The tag a node's claim starts with ([`Pallet::node_claim`]).
pub const NODE_CLAIM_TAG: [u8; 16] = *b"ehr/node-claim/1";

impl<T: Config> Pallet<T> {
	/// What a node's network key signs to be named `hospital`'s node: a domain tag, this
	/// chain's genesis hash and the hospital's account, so that the proof serves for that
	/// hospital on this chain only.
	pub fn node_claim(hospital: &T::AccountId) -> Vec<u8> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		(NODE_CLAIM_TAG, genesis, hospital).encode()
	}

	/// Refuses `proof` unless `node`'s key signed `hospital`'s [`Pallet::node_claim`].
	pub(crate) fn check_node_proof(
		hospital: &T::AccountId,
		node: &NodeId,
		proof: &ed25519::Signature,
	) -> DispatchResult {
		let key = ed25519::Public::from_raw(node.0);
		let claim = Self::node_claim(hospital);
		ensure!(sp_io::crypto::ed25519_verify(proof, &claim, &key), Error::<T>::BadNodeProof);
		Ok(())
	}

	/// The peers the node `own` keeps, and whether it refuses every other: a hospital's
	/// node keeps the other hospitals' nodes only; any other node is not restricted (it
	/// would keep them all). While some hospital has not named its node, no node is
	/// restricted (refusing others would cut that hospital off).
	pub fn authorized_peers(own: Option<&NodeId>) -> (Vec<NodeId>, bool) {
		let mut every_node_named = true;
		let mut nodes = Vec::new();
		for hospital in Hospitals::<T>::iter_values() {
			match hospital.node {
				Some(node) => nodes.push(node),
				None => every_node_named = false,
			}
		}
		let is_hospital_node = own.is_some_and(|own| nodes.contains(own));
		nodes.retain(|node| Some(node) != own);
		nodes.sort();
		(nodes, is_hospital_node && every_node_named)
	}
}
