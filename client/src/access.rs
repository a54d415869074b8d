//! Who may use a patient's records. The runtime is the one authority: its `access` and
//! `may_add` view functions answer with the right (the patient itself, a grant, break-glass
//! access) or with the error the call would fail with, for the block after the one the client
//! reads: the earliest a transaction sent now can land in (the chain checks again in the block
//! it lands in). The client turns the right into the record key it opens: its own
//! as the patient, its grant's envelope, or the key the consortium released to its emergency
//! access.

use crate::{
	chain::{AccountId, DocumentKind, Grant, GrantScope, PalletError, Right},
	client::Client,
	crypto,
	keys::Identity,
	seeds::RecordSeeds,
	state::State,
	Error, Result,
};

/// What an operation does with a patient's records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Use {
	/// Reads a document or the profile.
	Read,
	/// Adds a document of this kind.
	Add(DocumentKind),
}

/// Whether `grant` is live in block `at`: not revoked, not expired. For lists that show many
/// grants at once ("my patients", "my doctors", the grantees a revoke re-grants), where asking
/// the runtime pair by pair would cost a call each, and for runtimes that cannot answer; what a
/// grant lets its holder do is otherwise the runtime's answer.
pub(crate) fn grant_is_live(grant: &Grant, at: u64) -> bool {
	grant.revoked_at.is_none() && grant.expires_at.is_none_or(|e| u64::from(e) >= at)
}

impl Client {
	/// The patient whose transactions `signer` signs: itself, or the patient that moved to its
	/// key.
	pub async fn patient_of(&self, signer: &Identity) -> Result<AccountId> {
		self.chain.state().await?.patient_signed_by(&signer.account()).await
	}
}

/// The record seeds `who` may use for `patient`'s documents as `state` has it, for `usage`:
/// its own as the patient, its grant's, or a released emergency key's.
pub(crate) async fn reader_seed(
	state: &State,
	who: &Identity,
	patient: &AccountId,
	usage: Use,
) -> Result<RecordSeeds> {
	let record = state.registered_patient(patient).await?;
	let account = who.account();
	let answer = match &usage {
		Use::Read => state.access(patient, &account).await?.map(|access| access.read),
		Use::Add(kind) => state.may_add(patient, &account, kind.clone()).await?,
	};
	let right = match answer {
		Some(Ok(right)) => right,
		Some(Err(error)) => return Err(no_right(error, &account, patient, usage)),
		None => return seeds_without_answer(state, who, patient, usage).await,
	};
	match right {
		Right::Patient => who.record_seeds(record.key_epoch),
		Right::Grant { .. } => {
			let grant = state.grant(patient, &account).await?.ok_or_else(|| {
				Error::Chain("the runtime named a grant the state does not hold".into())
			})?;
			crypto::open_seeds(who.encryption(), &patient.0, &grant.envelope.0)
		},
		Right::Emergency { id, .. } => {
			let envelope = state.emergency(id).await?.and_then(|access| access.key_envelope);
			match envelope {
				Some(envelope) => crypto::open_seeds(who.encryption(), &patient.0, &envelope.0),
				None => Err(Error::KeyNotReleased { access: id }),
			}
		},
	}
}

/// The seeds `who` holds for `patient` when the runtime cannot answer who may use them (one
/// released before spec 105, or one whose upgrade's migrations have not run yet): the key
/// material of a grant that is neither revoked nor expired (read-write to add documents), or of
/// an open emergency access the key was released to. The transaction that logs the read or adds
/// the document then decides; `verify`, which sends none, reads only with such a key.
async fn seeds_without_answer(
	state: &State,
	who: &Identity,
	patient: &AccountId,
	usage: Use,
) -> Result<RecordSeeds> {
	let account = who.account();
	if usage == Use::Read && state.patient_signed_by(&account).await.ok().as_ref() == Some(patient)
	{
		let record = state.registered_patient(patient).await?;
		return who.record_seeds(record.key_epoch);
	}
	let at = state.number() + 1;
	if let Some(grant) = state.grant(patient, &account).await? {
		let scope_fits = usage == Use::Read || grant.scope == GrantScope::ReadWrite;
		if grant_is_live(&grant, at) && scope_fits {
			return crypto::open_seeds(who.encryption(), &patient.0, &grant.envelope.0);
		}
	}
	if let Some(access) = state.open_emergency(patient, &account).await? {
		if let (true, Some(envelope)) =
			(access.closed.is_none() && u64::from(access.expires_at) >= at, access.key_envelope)
		{
			return crypto::open_seeds(who.encryption(), &patient.0, &envelope.0);
		}
	}
	Err(Error::Denied(format!("{account} holds no live key to {patient}'s records")))
}

/// The runtime's refusal `error`, in the user's words.
pub(crate) fn no_right(
	error: PalletError,
	who: &AccountId,
	patient: &AccountId,
	usage: Use,
) -> Error {
	let doing = match &usage {
		Use::Read => "read",
		Use::Add(_) => "add documents to",
	};
	let message = match &error {
		PalletError::NotAllowedToRead | PalletError::NotGranted => {
			format!("{who} has no grant from {patient}: ask the patient to grant you access")
		},
		PalletError::GrantExpired => {
			format!("your grant from {patient} has expired: ask the patient to grant you again")
		},
		PalletError::GrantRevoked => format!("{patient} revoked your grant"),
		PalletError::ReadOnlyGrant => format!(
			"{patient} granted you read access only; adding documents needs a read-write grant"
		),
		PalletError::GrantKeyEpochStale => format!(
			"your grant holds an older record key of {patient} than the current one (the patient revoked someone or rotated its key since): ask the patient to grant you again"
		),
		PalletError::EmergencyWriteNotAllowed => {
			let kind = match &usage {
				Use::Add(kind) => format!("{kind:?} documents"),
				Use::Read => "documents".into(),
			};
			format!("the consortium's emergency policy does not let break-glass access add {kind}")
		},
		PalletError::NotProfessional => {
			format!("{who} is not an active professional: only professionals {doing} records of others")
		},
		PalletError::ProfessionalSuspended => {
			format!("{who} is suspended: it cannot {doing} {patient}'s records until an admin reinstates it")
		},
		PalletError::ProfessionalRemoved => format!("{who} was removed from the consortium"),
		PalletError::NotPatient => format!("{patient} is not a registered patient"),
		PalletError::PatientSuspended => {
			format!("{patient} is suspended: its records cannot be read until an admin reinstates it")
		},
		PalletError::PatientRemoved => format!("{patient} was removed from the consortium"),
		other => format!("the chain does not let {who} {doing} {patient}'s records ({other:?})"),
	};
	Error::NoRight { error, message }
}
