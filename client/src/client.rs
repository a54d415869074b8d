//! The client of the chain: a connection to a node, the off-chain stores and the settings.
//! What each actor does with it is in a module of its own, each extending [`Client`]:
//! [`crate::admin`], [`crate::professional`], [`crate::patient`], [`crate::emergency`],
//! [`crate::reader`], [`crate::audit`], [`crate::registration`], [`crate::consortium`] and
//! [`crate::messages`].
//!
//! Every operation on records reads what it needs from one block (a [`crate::state::State`])
//! and checks what it can before it writes anything (the caller's role, the grant, the file),
//! so a refused operation leaves nothing on chain; blobs are written to the stores before the
//! entry that points to them, and a retried upload of the same document finds the blob and the
//! entry it already made.

use crate::{chain::Chain, config::Settings, store::Stores, Result};

/// A connected client: the node, the stores and the settings.
pub struct Client {
	/// The node.
	pub chain: Chain,
	/// The off-chain stores.
	pub stores: Stores,
	/// The settings in force.
	pub settings: Settings,
}

impl Client {
	/// Connects to the node and opens the stores the settings name.
	pub async fn connect(settings: Settings) -> Result<Self> {
		let chain = Chain::connect(&settings).await?;
		let stores = Stores::open(&settings.stores)?;
		Ok(Self { chain, stores, settings })
	}
}
