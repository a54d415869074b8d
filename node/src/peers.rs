//! The node's peers on a consortium's chain: once the hospitals named it as a hospital's node,
//! it keeps only the other hospitals' nodes as peers on the block-announce protocol, and
//! refuses every other node, so that a node the consortium did not admit never syncs from it.
//! The runtime says which (`ConsortiumNodesApi`): asked when the node starts, from its best
//! block, and again at every new best block, so that an admission or a removal takes effect as
//! the node imports its block. A node that is not a hospital's keeps its operator's settings.

use std::{collections::HashSet, sync::Arc};

use ehr_runtime::apis::{ConsortiumNodesApi, NodeId};
use futures::StreamExt;
use polkadot_sdk::{
	sc_client_api::{BlockchainEvents, HeaderBackend},
	sc_network::{service::traits::NetworkService, PeerId},
	sp_api::ProvideRuntimeApi,
};

use crate::service::FullClient;

const LOG_TARGET: &str = "consortium-peers";

/// What this node keeps: the peers, and whether it refuses every other.
type Peers = (Vec<NodeId>, bool);

/// Follows the chain and keeps the node's peers to what the runtime says; runs as long as the
/// node does.
pub async fn keep_consortium_peers(client: Arc<FullClient>, network: Arc<dyn NetworkService>) {
	let own_bytes = network.local_peer_id().to_bytes();
	let Some(own) = NodeId::from_peer_id_bytes(&own_bytes) else {
		log::warn!(target: LOG_TARGET, "this node's network key is not ed25519: no hospital can name it");
		return;
	};
	let mut applied: Option<Peers> = None;
	let mut follow = |hash| {
		let Ok(wanted) = client.runtime_api().authorized_peers(hash, own) else {
			// A runtime from before the consortium named nodes: nothing to keep.
			return;
		};
		if applied.as_ref() != Some(&wanted) {
			apply(&*network, applied.as_ref(), &wanted);
			applied = Some(wanted);
		}
	};
	follow(client.info().best_hash);
	let mut imports = client.import_notification_stream();
	while let Some(imported) = imports.next().await {
		if imported.is_new_best {
			follow(imported.hash);
		}
	}
}

/// Moves the network from `before` to `wanted`.
fn apply(network: &dyn NetworkService, before: Option<&Peers>, wanted: &Peers) {
	let (nodes, only) = wanted;
	let was_restricted = before.is_some_and(|(_, only)| *only);
	let peers: HashSet<PeerId> =
		nodes.iter().filter_map(|node| PeerId::from_bytes(&node.peer_id_bytes()).ok()).collect();
	match (was_restricted, only) {
		(_, true) => {
			// The hospitals' nodes first, so that turning reserved-only on keeps them.
			network.set_authorized_peers(peers);
			if !was_restricted {
				network.set_authorized_only(true);
			}
			log::info!(target: LOG_TARGET, "a hospital's node: keeping only the {} other hospitals' nodes", nodes.len());
		},
		(true, false) => {
			network.set_authorized_only(false);
			log::info!(target: LOG_TARGET, "no longer a hospital's node: peers are not restricted");
		},
		(false, false) => {},
	}
}
