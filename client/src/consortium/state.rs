//! What the chain keeps of the consortium, read so that it works across runtime versions where
//! it can: the seats and votes every version keeps alike, and a motion's call checked against
//! the chain's own metadata.

use std::sync::OnceLock;

use subxt::{utils::H256, Metadata};

use super::{describe_call, hex_hash, ConsortiumView, DispatchError, HospitalView, Motion, NodeId};
use crate::{
	chain::{query_error, AccountId, Chain},
	runtime::{
		self,
		runtime_types::{ehr_runtime::RuntimeCall, pallet_consortium::types::Threshold},
	},
	state::{self, State},
	Error, Result,
};

/// The metadata this client was generated from.
fn own_metadata() -> Result<&'static Metadata> {
	static METADATA: OnceLock<std::result::Result<Metadata, String>> = OnceLock::new();
	METADATA
		.get_or_init(|| {
			Metadata::decode_from(include_bytes!("../../artifacts/ehr.scale"))
				.map_err(|e| e.to_string())
		})
		.as_ref()
		.map_err(|e| Error::Chain(format!("this client's own metadata does not decode: {e}")))
}

/// Whether the runtime of `node` knows `call` as this client's runtime does: the same pallet
/// and call at the same indices, with the same argument types.
fn knows_call(node: &Metadata, call: &[u8]) -> Result<()> {
	let ours = own_metadata()?;
	let (Some(&pallet_index), Some(&call_index)) = (call.first(), call.get(1)) else {
		return Err(Error::Input("an empty call".into()));
	};
	let pallet = ours.pallet_by_call_index(pallet_index);
	let name = pallet.and_then(|p| Some((p, p.call_variant_by_index(call_index)?.name.clone())));
	let Some((pallet, name)) = name else {
		return Err(Error::Input("a motion's call that this client does not know".into()));
	};
	let theirs = node.pallet_by_name(pallet.name());
	let same = theirs.is_some_and(|theirs| {
		theirs.call_index() == pallet_index
			&& theirs.call_variant_by_name(&name).is_some_and(|v| v.index == call_index)
			&& theirs.call_hash(&name) == pallet.call_hash(&name)
	});
	if !same {
		return Err(Error::Chain(format!(
			"the chain's runtime has another {}.{name} than this client: use the `ehr` of the chain's runtime version",
			pallet.name()
		)));
	}
	Ok(())
}

/// The hospitals (their accounts) and the ayes a motion needs now.
pub(crate) struct Seats {
	pub(super) hospitals: Vec<AccountId>,
	pub(super) ayes_needed: u32,
}

/// The votes on an open motion.
pub(crate) struct Votes {
	pub(super) index: u32,
	pub(super) threshold: u32,
	pub(super) ayes: Vec<AccountId>,
	pub(super) nays: Vec<AccountId>,
}

impl Chain {
	/// A dispatch error's name: the pallet's name for its error (from the chain's metadata),
	/// or the kind of error.
	pub(super) async fn dispatch_error_name(&self, error: &DispatchError) -> String {
		if let DispatchError::Module(module) = error {
			if let Ok(at) = self.finalized().await {
				let name = at
					.metadata_ref()
					.pallet_by_error_index(module.index)
					.and_then(|pallet| pallet.error_variant_by_index(module.error[0]))
					.map(|variant| variant.name.clone());
				if let Some(name) = name {
					return name;
				}
			}
		}
		let debug = format!("{error:?}");
		debug.split([' ', '(', '{']).next().unwrap_or(&debug).to_string()
	}
}

impl State {
	/// Refuses `call` as a motion's if the chain's runtime does not know it as this client does.
	pub(super) fn check_motion_call(&self, call: &RuntimeCall) -> Result<()> {
		let at = self.block();
		knows_call(at.metadata_ref(), &codec::Encode::encode(call))
	}

	/// The hospitals and the ayes a motion needs, read from what every runtime version of
	/// the consortium keeps alike.
	pub(super) async fn seats(&self) -> Result<Seats> {
		let at = self.block();
		let hospitals = state::value(at, runtime::storage().consortium().members()).await?;
		let ayes_needed =
			state::view(at, runtime::view_functions().consortium().ayes_needed()).await?;
		Ok(Seats { hospitals: hospitals.map(|m| m.0).unwrap_or_default(), ayes_needed })
	}

	/// Whether `who` is a hospital of the consortium (votes in its council).
	pub async fn is_hospital(&self, who: &AccountId) -> Result<bool> {
		Ok(self.seats().await?.hospitals.contains(who))
	}

	/// The consortium's hospitals and threshold.
	pub async fn consortium(&self) -> Result<ConsortiumView> {
		let at = self.block();
		let mut hospitals: Vec<HospitalView> =
			state::all(at, runtime::storage().consortium().hospitals())
				.await?
				.into_iter()
				.map(|(account, hospital)| HospitalView {
					account: account.to_string(),
					name: String::from_utf8_lossy(&hospital.name.0).into(),
					admitted_at: hospital.admitted_at,
					node: hospital.node.map(|node| NodeId(node.0).to_string()),
				})
				.collect();
		hospitals.sort_by(|a, b| a.account.cmp(&b.account));
		let threshold = state::value(at, runtime::storage().consortium().approval_threshold())
			.await?
			.unwrap_or(Threshold { ayes: 2, of: 3 });
		let ayes_needed =
			state::view(at, runtime::view_functions().consortium().ayes_needed()).await?;
		Ok(ConsortiumView {
			hospitals,
			threshold_ayes: threshold.ayes,
			threshold_of: threshold.of,
			ayes_needed,
		})
	}

	/// The motions open in the council.
	pub async fn motions(&self) -> Result<Vec<Motion>> {
		let at = self.block();
		let hashes = state::value(at, runtime::storage().council().proposals()).await?;
		let mut motions = Vec::new();
		for hash in hashes.map(|h| h.0).unwrap_or_default() {
			let proposal =
				state::fetch(at, runtime::storage().council().proposal_of(), (hash,)).await?;
			let votes = state::fetch(at, runtime::storage().council().voting(), (hash,)).await?;
			let (Some(proposal), Some(votes)) = (proposal, votes) else { continue };
			motions.push(Motion {
				hash: hex_hash(hash),
				index: votes.index,
				proposal: describe_call(&proposal),
				ayes: votes.ayes.iter().map(ToString::to_string).collect(),
				nays: votes.nays.iter().map(ToString::to_string).collect(),
				threshold: votes.threshold,
				end: votes.end,
			});
		}
		motions.sort_by_key(|m| m.index);
		Ok(motions)
	}

	/// The votes on open motion `hash`.
	pub(super) async fn votes(&self, hash: H256) -> Result<Votes> {
		let at = self.block();
		let votes = state::fetch(at, runtime::storage().council().voting(), (hash,))
			.await?
			.ok_or_else(|| {
				Error::NotFound(format!(
					"no open motion {} (it may have been closed already: see `ehr consortium motions`)",
					hex_hash(hash)
				))
			})?;
		Ok(Votes {
			index: votes.index,
			threshold: votes.threshold,
			ayes: votes.ayes,
			nays: votes.nays,
		})
	}

	/// What closing motion `hash` must allow for: the weight of any motion's call (the
	/// council's `MaxProposalWeight`, which the chain charges only as used) and the length of
	/// this one's.
	pub(super) async fn close_bounds(
		&self,
		hash: H256,
	) -> Result<(runtime::runtime_types::sp_weights::weight_v2::Weight, u32)> {
		let at = self.block();
		// Only its length counts, so the call is not decoded: it may be of another runtime
		// version than this client's.
		let proposal = runtime::storage().council().proposal_of().unvalidated();
		let proposal = at.storage().try_fetch(proposal, (hash,)).await.map_err(query_error)?;
		let length = proposal
			.map(|p| p.bytes().len() as u32)
			.ok_or_else(|| Error::NotFound(format!("no open motion {}", hex_hash(hash))))?;
		let weight = state::constant(at, runtime::constants().council().max_proposal_weight())?;
		Ok((weight, length))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::consortium::Decision;

	#[test]
	fn a_call_this_client_knows_passes_against_its_own_runtime() {
		let ours = own_metadata().expect("own metadata");
		let call = Decision::AuthorizeUpgrade { code_hash: [1; 32] }.call();
		knows_call(ours, &codec::Encode::encode(&call)).expect("the same runtime knows it");
	}

	#[test]
	fn a_call_the_chain_has_elsewhere_or_not_at_all_is_refused() {
		let ours = own_metadata().expect("own metadata");
		let call = codec::Encode::encode(&Decision::SetSessionLength(10).call());
		// A call index this runtime does not have.
		let unknown = [call[0], 250];
		assert!(matches!(knows_call(ours, &unknown), Err(Error::Input(_))));
		assert!(matches!(knows_call(ours, &[]), Err(Error::Input(_))));
		// The same call index under the next pallet's index: not the call this client means.
		let mut moved = call.clone();
		moved[0] = moved[0].wrapping_add(1);
		let result = knows_call(ours, &moved);
		assert!(result.is_err(), "a call under another pallet's index passed");
	}
}
