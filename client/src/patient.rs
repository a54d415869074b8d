//! What a patient does with its own records: its profile, "my doctors", granting and revoking
//! access, moving its record key to a new epoch, and moving to a key only it holds.

use std::path::Path;

use crate::{
	access::grant_is_live,
	chain::{AccountId, BoundedVec, Grant, GrantScope, Receipt, Regrant},
	client::Client,
	crypto,
	documents::{check_file, seal_file},
	keys::Identity,
	runtime,
	seeds::{Bridge, RecordSeeds},
	state::State,
	store,
	views::{bounded, text, GrantView},
	Error, Result,
};

impl Client {
	/// Encrypts `file` as `patient`'s profile (name, address, contacts: health data, so off
	/// chain) under the current record key, stores it, and points the chain to it; `None` clears
	/// the pointer.
	pub async fn set_profile(&self, patient: &Identity, file: Option<&Path>) -> Result<Receipt> {
		let state = self.chain.state().await?;
		let account = state.patient_signed_by(&patient.account()).await?;
		let record = state.registered_patient(&account).await?;
		let locator = match file {
			None => None,
			Some(path) => {
				check_file(path, self.settings.max_document_bytes)?;
				let seed = patient.record_seeds(record.key_epoch)?.seed_of(record.key_epoch)?;
				let (sealed, blob) =
					seal_file(&account, record.key_epoch, &crypto::record_key(&seed), path)?;
				self.stores.put_file(&sealed.ciphertext_hash, blob.path(), &|_| {}).await?;
				Some(bounded(store::locator(&sealed.ciphertext_hash)))
			},
		};
		self.chain.submit(patient, &runtime::tx().ehr().set_profile(locator)).await
	}

	/// "My doctors": every professional `patient` granted, live or not.
	pub async fn my_doctors(&self, patient: &AccountId) -> Result<Vec<GrantView>> {
		let state = self.chain.state().await?;
		// Live in the block a transaction sent now lands in at the earliest.
		let at = state.number() + 1;
		let mut out = Vec::new();
		for (who, grant) in state.doctors_of(patient).await? {
			let name = state.professional(&who).await?.map(|p| text(&p.display_name));
			out.push(GrantView {
				account: who.to_string(),
				name,
				scope: format!("{:?}", grant.scope),
				expires_at: grant.expires_at,
				expires_around: match grant.expires_at {
					Some(block) => Some(state.time_of_block(block).await?),
					None => None,
				},
				key_epoch: grant.key_epoch,
				granted_at: grant.granted_at,
				live: grant_is_live(&grant, at),
			});
		}
		Ok(out)
	}

	/// Grants `professional` access to `patient`'s records with the current record key. The
	/// grant names the key's epoch, so the chain refuses it if the epoch moved meanwhile.
	pub async fn grant(
		&self,
		patient: &Identity,
		professional: &AccountId,
		scope: GrantScope,
		expires_at: Option<u32>,
	) -> Result<Receipt> {
		let state = self.chain.state().await?;
		let account = state.patient_signed_by(&patient.account()).await?;
		let record = state.registered_patient(&account).await?;
		let recipient = state.grantable_key(professional).await?;
		let seeds = patient.record_seeds(record.key_epoch)?;
		let envelope = crypto::seal_seeds(&recipient, &account.0, &seeds)?;
		let call = runtime::tx().ehr().grant_access(
			*professional,
			scope,
			expires_at,
			record.key_epoch,
			bounded(envelope),
		);
		self.chain.submit(patient, &call).await
	}

	/// Revokes `professional`'s access. One call advances the key epoch, escrows the new record
	/// key for the consortium and hands it to every other live grantee; the chain applies all
	/// of it or nothing, so a refused or repeated revoke hands out no key of the next epoch. The
	/// grant is checked first: revoking one already revoked sends nothing. An expired grant is
	/// revoked too: its holder still has the current epoch's key, and only a revoke (or a
	/// rotation) moves later documents to a key it never had.
	pub async fn revoke(
		&self,
		patient: &Identity,
		professional: &AccountId,
	) -> Result<Vec<Receipt>> {
		let state = self.chain.state().await?;
		let account = state.patient_signed_by(&patient.account()).await?;
		match state.grant(&account, professional).await? {
			Some(grant) if grant.revoked_at.is_none() => {},
			Some(_) => {
				return Err(Error::Denied(format!(
					"{professional}'s grant is already revoked: nothing was revoked"
				)))
			},
			None => {
				return Err(Error::Denied(format!(
					"{professional} holds no grant from you: nothing was revoked"
				)))
			},
		}
		self.advance_epoch(&state, patient, Some(professional)).await
	}

	/// Moves `patient` to a new record key without revoking anyone: every live grantee gets the
	/// new key, and whoever held only the old one (a break-glass reader whose key an admin
	/// released, say) cannot read what is written next.
	pub async fn rotate_key(&self, patient: &Identity) -> Result<Vec<Receipt>> {
		self.advance_epoch(&self.chain.state().await?, patient, None).await
	}

	/// Sets the key others wrap `patient`'s record keys for (its X25519 public key), such as
	/// after the patient lost the old one's secret.
	pub async fn update_encryption_key(
		&self,
		patient: &Identity,
		key: [u8; 32],
	) -> Result<Receipt> {
		self.patient_of(patient).await?;
		self.chain.submit(patient, &runtime::tx().ehr().update_patient_key(key)).await
	}

	/// Moves `patient` (acting with its current key `from`) to the key `to`, one only the
	/// patient holds: the chain makes `to` the patient's signing account and encryption key,
	/// and the next key epoch's record key comes from `to`'s secret, handed to every live
	/// grantee in the same call. Whoever else held `from` (the registrar that made it) can no
	/// longer act for the patient or derive what is written afterwards from that key. Grants are
	/// kept, the registrar's own included: a patient that wants its registrar out revokes it
	/// afterwards.
	///
	/// `to` must carry the bridges to `from`'s seeds ([`Self::bridges_for_move`]), so that it
	/// still opens the documents written before the move.
	pub async fn move_account(&self, from: &Identity, to: &Identity) -> Result<Receipt> {
		let state = self.chain.state().await?;
		let patient = state.patient_signed_by(&from.account()).await?;
		let record = state.registered_patient(&patient).await?;
		if to.bridges().last().map(|b| b.last_epoch) != Some(record.key_epoch) {
			return Err(Error::Input(
				"the new key does not carry the bridge to the current key's seeds".into(),
			));
		}
		let epoch = record.key_epoch.saturating_add(1);
		let seeds = to.record_seeds(epoch)?;
		let escrow = crypto::seal_seeds(&self.settings.emergency_key()?, &patient.0, &seeds)?;
		let regrants: Vec<Regrant> =
			regrants(&state, &patient, &seeds, None).await?.into_iter().map(|(r, _)| r).collect();
		if regrants.len() > state.max_regrants()? {
			return Err(Error::Input(format!(
				"{} grantees are more than one move re-grants; revoke some first",
				regrants.len()
			)));
		}
		let encryption_key = to.encryption().public();
		let consent = crate::registration::move_consent(
			&self.chain.genesis_hash(),
			&patient,
			&encryption_key,
			&escrow,
		);
		let call = runtime::tx().ehr().move_patient_account(
			to.account(),
			encryption_key,
			bounded(escrow),
			BoundedVec(regrants),
			runtime::runtime_types::sp_runtime::MultiSignature::Sr25519(to.sign(&consent)),
		);
		self.chain.submit(from, &call).await
	}

	/// The bridges a key the patient moves to must carry: `from`'s own, and `from`'s seed of
	/// the patient's current epoch.
	pub async fn bridges_for_move(&self, from: &Identity) -> Result<Vec<Bridge>> {
		let state = self.chain.state().await?;
		let patient = state.patient_signed_by(&from.account()).await?;
		let epoch = state.registered_patient(&patient).await?.key_epoch;
		let mut bridges = from.bridges().to_vec();
		bridges.push(Bridge { last_epoch: epoch, seed: from.record_seeds(epoch)?.seed_of(epoch)? });
		Ok(bridges)
	}

	/// Revokes `revoked` (or only rotates) and re-grants the next epoch's key to every other
	/// live, active grantee: the first `MaxRegrants` in the same call, the rest once that call
	/// is final, each naming the new epoch.
	async fn advance_epoch(
		&self,
		state: &State,
		patient: &Identity,
		revoked: Option<&AccountId>,
	) -> Result<Vec<Receipt>> {
		let account = state.patient_signed_by(&patient.account()).await?;
		let record = state.registered_patient(&account).await?;
		let epoch = record.key_epoch.saturating_add(1);
		let seeds = patient.record_seeds(epoch)?;
		let escrow_key = self.settings.emergency_key()?;
		let escrow = bounded(crypto::seal_seeds(&escrow_key, &account.0, &seeds)?);
		let mut regrants = regrants(state, &account, &seeds, revoked).await?;
		let later = regrants.split_off(regrants.len().min(state.max_regrants()?));
		let now_regranted = BoundedVec(regrants.into_iter().map(|(r, _)| r).collect());
		let first = match revoked {
			Some(who) => {
				let call = runtime::tx().ehr().revoke_access(*who, escrow, now_regranted);
				self.chain.submit(patient, &call).await?
			},
			None => {
				let call = runtime::tx().ehr().rotate_record_key(escrow, now_regranted);
				self.chain.submit(patient, &call).await?
			},
		};
		let mut pending = Vec::new();
		for (regrant, grant) in later {
			let call = runtime::tx().ehr().grant_access(
				regrant.professional,
				grant.scope,
				grant.expires_at,
				epoch,
				regrant.envelope,
			);
			pending.push(self.chain.send(patient, &call).await?);
		}
		let mut receipts = vec![first];
		for tx in pending {
			receipts.push(tx.finalized().await?);
		}
		Ok(receipts)
	}
}

/// `seeds` wrapped for every live, active grantee of `patient` but `except`, as `state` has
/// them, with the grant each renews.
async fn regrants(
	state: &State,
	patient: &AccountId,
	seeds: &RecordSeeds,
	except: Option<&AccountId>,
) -> Result<Vec<(Regrant, Grant)>> {
	// Live in the block a transaction sent now lands in at the earliest.
	let at = state.number() + 1;
	let mut regrants = Vec::new();
	for (who, grant) in state.doctors_of(patient).await? {
		if Some(&who) == except || !grant_is_live(&grant, at) {
			continue;
		}
		let Ok(recipient) = state.grantable_key(&who).await else { continue };
		let envelope = bounded(crypto::seal_seeds(&recipient, &patient.0, seeds)?);
		regrants.push((Regrant { professional: who, envelope }, grant));
	}
	Ok(regrants)
}
