//! What the consortium may decide, as the call a motion carries.

use subxt::utils::H256;

use super::{NodeId, NodeProof};
use crate::{
	chain::{AccountId, DocumentKind, ProfessionalKind},
	runtime::runtime_types::{
		bounded_collections::bounded_vec::BoundedVec,
		ehr_runtime::RuntimeCall,
		pallet_consortium::{pallet::Call as ConsortiumCall, types::Threshold},
		pallet_ehr::{
			pallet::Call as EhrCall,
			types::{EmergencyPolicy, Quotas},
		},
	},
};

/// What the consortium may decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
	/// Admit a hospital, by the account it votes with.
	AdmitHospital {
		/// Its voting account.
		hospital: AccountId,
		/// Its name.
		name: String,
		/// Its node, which the hospitals' nodes then let connect.
		node: NodeId,
		/// The node key's proof that the node is the hospital's
		/// ([`Client::node_proof`](crate::Client::node_proof)).
		proof: NodeProof,
	},
	/// Remove a hospital (never the last).
	RemoveHospital(AccountId),
	/// Require `ayes` of every `of` hospitals for a motion (more than half).
	SetThreshold {
		/// Ayes per `of` hospitals.
		ayes: u32,
		/// The hospitals counted against.
		of: u32,
	},
	/// Make an account an administrator: of a hospital, whose staff it then manages, or of the
	/// whole consortium (`hospital: None`).
	AddAdmin {
		/// The account.
		admin: AccountId,
		/// The hospital it serves; `None` for the consortium.
		hospital: Option<AccountId>,
	},
	/// Remove an administrator (never the last).
	RemoveAdmin(AccountId),
	/// Set the proof-of-work difficulty of new entries, in leading zero bits.
	SetDifficulty(u8),
	/// Set how many transactions each role may send per window of blocks.
	SetQuotas {
		/// The window, in blocks.
		window: u32,
		/// An admin's (and a hospital's) quota.
		admin: u32,
		/// A professional's quota.
		professional: u32,
		/// A patient's quota.
		patient: u32,
	},
	/// Set who may break the glass and what an emergency access may do.
	SetEmergencyPolicy {
		/// The professional kinds that may open emergency access (at most 8).
		kinds: Vec<ProfessionalKind>,
		/// The document kinds an emergency access may add (at most 16; none: read only).
		writable: Vec<DocumentKind>,
		/// Most emergency accesses one professional may open in one period.
		max_opens: u32,
		/// That period, in blocks.
		period: u32,
	},
	/// Hand the professional of an open emergency access the patient's record key, sealed to
	/// it (see [`Client::key_release`](crate::Client::key_release)).
	ReleaseEmergencyKey {
		/// The emergency access.
		id: u64,
		/// The record key's seeds, sealed to the professional.
		envelope: Vec<u8>,
	},
	/// Make sessions last this many blocks: how long a node waits to join or leave the
	/// validators (two sessions at most).
	SetSessionLength(u32),
	/// Approve the runtime whose code has this BLAKE2-256 hash; anyone may then apply it with
	/// [`Client::apply_upgrade`](crate::Client::apply_upgrade).
	AuthorizeUpgrade {
		/// The hash of the runtime's code.
		code_hash: [u8; 32],
	},
	/// Finality stalled for good: have the finality set change by force to the next
	/// session's validators, `delay` blocks after that session starts, finalizing on from
	/// block `best_finalized` (the highest block the live validators all finalized).
	NoteStalled {
		/// Blocks after the next session's start.
		delay: u32,
		/// The last block finalized before the stall.
		best_finalized: u32,
	},
}

impl Decision {
	/// The call the council dispatches when the motion passes.
	pub fn call(&self) -> RuntimeCall {
		let bounded = |bytes: &[u8]| BoundedVec(bytes.to_vec());
		match self {
			Self::AdmitHospital { hospital, name, node, proof } => {
				RuntimeCall::Consortium(ConsortiumCall::admit_hospital {
					hospital: *hospital,
					name: bounded(name.as_bytes()),
					node: node.into(),
					proof: proof.0,
				})
			},
			Self::RemoveHospital(hospital) => {
				RuntimeCall::Consortium(ConsortiumCall::remove_hospital { hospital: *hospital })
			},
			Self::SetThreshold { ayes, of } => {
				RuntimeCall::Consortium(ConsortiumCall::set_threshold {
					threshold: Threshold { ayes: *ayes, of: *of },
				})
			},
			Self::AddAdmin { admin, hospital } => {
				RuntimeCall::Ehr(EhrCall::add_admin { admin: *admin, hospital: *hospital })
			},
			Self::RemoveAdmin(admin) => RuntimeCall::Ehr(EhrCall::remove_admin { admin: *admin }),
			Self::SetDifficulty(difficulty) => {
				RuntimeCall::Ehr(EhrCall::set_difficulty { difficulty: *difficulty })
			},
			Self::SetQuotas { window, admin, professional, patient } => {
				RuntimeCall::Ehr(EhrCall::set_quotas {
					quotas: Quotas {
						window: *window,
						admin: *admin,
						professional: *professional,
						patient: *patient,
					},
				})
			},
			Self::SetEmergencyPolicy { kinds, writable, max_opens, period } => {
				RuntimeCall::Ehr(EhrCall::set_emergency_policy {
					policy: EmergencyPolicy {
						kinds: BoundedVec(kinds.clone()),
						writable: BoundedVec(writable.clone()),
						max_opens: *max_opens,
						period: *period,
					},
				})
			},
			Self::ReleaseEmergencyKey { id, envelope } => {
				RuntimeCall::Ehr(EhrCall::release_emergency_key {
					id: *id,
					envelope: bounded(envelope),
				})
			},
			Self::SetSessionLength(blocks) => {
				RuntimeCall::Consortium(ConsortiumCall::set_session_length { blocks: *blocks })
			},
			Self::AuthorizeUpgrade { code_hash } => {
				RuntimeCall::Consortium(ConsortiumCall::authorize_upgrade {
					code_hash: H256(*code_hash),
				})
			},
			Self::NoteStalled { delay, best_finalized } => {
				RuntimeCall::Consortium(ConsortiumCall::note_stalled {
					delay: *delay,
					best_finalized: *best_finalized,
				})
			},
		}
	}
}

/// In words, what a motion's call does.
pub fn describe_call(call: &RuntimeCall) -> String {
	match call {
		RuntimeCall::Consortium(ConsortiumCall::admit_hospital {
			hospital, name, node, ..
		}) => {
			format!(
				"admit hospital {hospital} ({}) with node {}",
				String::from_utf8_lossy(&name.0),
				NodeId(node.0)
			)
		},
		RuntimeCall::Consortium(ConsortiumCall::remove_hospital { hospital }) => {
			format!("remove hospital {hospital}")
		},
		RuntimeCall::Consortium(ConsortiumCall::set_threshold { threshold }) => {
			format!("require {} of every {} hospitals", threshold.ayes, threshold.of)
		},
		RuntimeCall::Consortium(ConsortiumCall::set_session_length { blocks }) => {
			format!("make sessions last {blocks} blocks")
		},
		RuntimeCall::Consortium(ConsortiumCall::authorize_upgrade { code_hash }) => {
			format!("approve the runtime upgrade with code hash {code_hash:?}")
		},
		RuntimeCall::Consortium(ConsortiumCall::note_stalled { delay, best_finalized }) => format!(
			"force a new finality set {delay} blocks into the next session, on from block {best_finalized}"
		),
		RuntimeCall::Ehr(EhrCall::add_admin { admin, hospital: None }) => {
			format!("make {admin} an admin of the consortium")
		},
		RuntimeCall::Ehr(EhrCall::add_admin { admin, hospital: Some(hospital) }) => {
			format!("make {admin} an admin of hospital {hospital}")
		},
		RuntimeCall::Ehr(EhrCall::remove_admin { admin }) => format!("remove admin {admin}"),
		RuntimeCall::Ehr(EhrCall::set_difficulty { difficulty }) => {
			format!("set the proof-of-work difficulty to {difficulty} bits")
		},
		RuntimeCall::Ehr(EhrCall::set_quotas { quotas }) => format!(
			"set quotas per {} blocks: admin {}, professional {}, patient {}",
			quotas.window, quotas.admin, quotas.professional, quotas.patient
		),
		RuntimeCall::Ehr(EhrCall::set_emergency_policy { policy }) => format!(
			"let {:?} break the glass, at most {} times per {} blocks each, adding {:?}",
			policy.kinds.0, policy.max_opens, policy.period, policy.writable.0
		),
		RuntimeCall::Ehr(EhrCall::release_emergency_key { id, .. }) => {
			format!("release the patient's key to emergency access {id}")
		},
		other => format!("{other:?}"),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn an_emergency_policy_is_carried_whole_and_described() {
		let decision = Decision::SetEmergencyPolicy {
			kinds: vec![ProfessionalKind::Doctor, ProfessionalKind::Nurse],
			writable: vec![DocumentKind::ClinicalNote],
			max_opens: 5,
			period: 600,
		};
		let call = decision.call();
		let RuntimeCall::Ehr(EhrCall::set_emergency_policy { policy }) = &call else {
			panic!("not the emergency policy's call: {call:?}");
		};
		assert_eq!(policy.kinds.0, [ProfessionalKind::Doctor, ProfessionalKind::Nurse]);
		assert_eq!(policy.writable.0, [DocumentKind::ClinicalNote]);
		assert_eq!((policy.max_opens, policy.period), (5, 600));
		let said = describe_call(&call);
		assert!(said.contains("Nurse") && said.contains("5 times per 600 blocks"), "{said}");
	}
}
