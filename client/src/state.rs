//! The chain's state at one block. An operation reads everything it needs from one [`State`],
//! so that a write landing between two of its reads cannot give it an answer no block ever
//! had: a grant seen live at one block and the patient's key epoch of a later one, say.

use crate::{
	chain::{
		decode_professional, query_error, Access, AccountId, Admin, Block, Chain, Counts,
		DocumentKind, EmergencyAccess, Grant, MessageNotice, PalletError, Patient, Professional,
		ProfessionalStatus, RecordEntry, Registrar, Right,
	},
	runtime, Error, Result,
};

/// The chain's state at one block (see the module's documentation).
pub struct State {
	at: Block,
}

impl Chain {
	/// The state at the latest finalized block (the best one when following best blocks).
	pub async fn state(&self) -> Result<State> {
		Ok(State { at: self.finalized().await? })
	}
}

impl State {
	/// The block it is the state of.
	pub fn block(&self) -> &Block {
		&self.at
	}

	/// That block's number.
	pub fn number(&self) -> u64 {
		self.at.block_number()
	}

	/// A professional, by account (as this runtime or the one before stores it).
	pub async fn professional(&self, who: &AccountId) -> Result<Option<Professional>> {
		let address = runtime::storage().ehr().professionals().unvalidated();
		let value = self.at.storage().try_fetch(address, (*who,)).await.map_err(query_error)?;
		value.map(|v| decode_professional(v.bytes())).transpose()
	}

	/// Every professional ever registered (as this runtime or the one before stores them).
	pub async fn professionals(&self) -> Result<Vec<(AccountId, Professional)>> {
		let address = runtime::storage().ehr().professionals().unvalidated();
		let mut iter = self.at.storage().iter(address, ()).await.map_err(query_error)?;
		let mut out = Vec::new();
		while let Some(kv) = iter.next().await {
			let kv = kv.map_err(query_error)?;
			let (key,) = kv.key().map_err(query_error)?.decode().map_err(query_error)?;
			out.push((key, decode_professional(kv.value().bytes())?));
		}
		Ok(out)
	}

	/// The encryption key of `who`, which must be an active professional (to be granted).
	pub async fn grantable_key(&self, who: &AccountId) -> Result<[u8; 32]> {
		let professional = self
			.professional(who)
			.await?
			.ok_or_else(|| Error::NotRegistered { who: who.to_string(), role: "professional" })?;
		if professional.status != ProfessionalStatus::Active {
			return Err(Error::Denied(format!(
				"{who} is {:?}, not active: it cannot be granted",
				professional.status
			)));
		}
		Ok(professional.encryption_key)
	}

	/// A patient, by account.
	pub async fn patient(&self, who: &AccountId) -> Result<Option<Patient>> {
		fetch(&self.at, runtime::storage().ehr().patients(), (*who,)).await
	}

	/// `patient`'s record, or that it is no registered patient.
	pub async fn registered_patient(&self, patient: &AccountId) -> Result<Patient> {
		self.patient(patient)
			.await?
			.ok_or_else(|| Error::NotRegistered { who: patient.to_string(), role: "patient" })
	}

	/// Every patient.
	pub async fn patients(&self) -> Result<Vec<(AccountId, Patient)>> {
		all(&self.at, runtime::storage().ehr().patients()).await
	}

	/// The patient `account` signs for, if a patient moved to it.
	pub async fn patient_of_account(&self, account: &AccountId) -> Result<Option<AccountId>> {
		fetch(&self.at, runtime::storage().ehr().patient_of_account(), (*account,)).await
	}

	/// The account `patient` moved to, if it moved.
	pub async fn patient_account(&self, patient: &AccountId) -> Result<Option<AccountId>> {
		fetch(&self.at, runtime::storage().ehr().patient_account(), (*patient,)).await
	}

	/// The patient whose transactions `signer` signs: itself, or the patient that moved to its
	/// key.
	pub async fn patient_signed_by(&self, signer: &AccountId) -> Result<AccountId> {
		if let Some(patient) = self.patient_of_account(signer).await? {
			return Ok(patient);
		}
		match self.patient(signer).await? {
			Some(_) if self.patient_account(signer).await?.is_none() => Ok(*signer),
			Some(_) => Err(Error::Denied(format!(
				"{signer} moved to another key: act with the key it moved to"
			))),
			None => Err(Error::NotRegistered { who: signer.to_string(), role: "patient" }),
		}
	}

	/// The grant `patient` gave `professional`, if any.
	pub async fn grant(
		&self,
		patient: &AccountId,
		professional: &AccountId,
	) -> Result<Option<Grant>> {
		fetch(&self.at, runtime::storage().ehr().grants(), (*patient, *professional)).await
	}

	/// An emergency access, by id.
	pub async fn emergency(&self, id: u64) -> Result<Option<EmergencyAccess>> {
		fetch(&self.at, runtime::storage().ehr().emergency_accesses(), (id,)).await
	}

	/// The open (possibly expired) emergency access of `professional` to `patient`, if any.
	pub async fn open_emergency(
		&self,
		patient: &AccountId,
		professional: &AccountId,
	) -> Result<Option<EmergencyAccess>> {
		let address = runtime::storage().ehr().open_emergencies();
		match fetch(&self.at, address, (*patient, *professional)).await? {
			Some(id) => self.emergency(id).await,
			None => Ok(None),
		}
	}

	/// Every administrator, with the hospital it serves (`None`: the consortium's own).
	pub async fn admins(&self) -> Result<Vec<(AccountId, Admin)>> {
		all(&self.at, runtime::storage().ehr().admins()).await
	}

	/// Every emergency access, by id.
	pub async fn emergencies(&self) -> Result<Vec<(u64, EmergencyAccess)>> {
		let mut out = all(&self.at, runtime::storage().ehr().emergency_accesses()).await?;
		out.sort_by_key(|(id, _)| *id);
		Ok(out)
	}

	/// Entry `index` of `patient`'s chain, if it exists.
	pub async fn entry(&self, patient: &AccountId, index: u32) -> Result<Option<RecordEntry>> {
		fetch(&self.at, runtime::storage().ehr().records(), (*patient, index)).await
	}

	/// Every entry of `patient`'s chain, a page at a time.
	pub async fn entries(&self, patient: &AccountId) -> Result<Vec<RecordEntry>> {
		let mut out: Vec<RecordEntry> = Vec::new();
		loop {
			let from = out.len() as u32;
			let page = runtime::view_functions().ehr().patient_chain(*patient, from, 256);
			let page = view(&self.at, page).await?;
			if page.is_empty() {
				return Ok(out);
			}
			out.extend(page);
		}
	}

	/// The notices of the latest `last` messages about `patient`, oldest first, with their
	/// indexes.
	pub async fn messages(
		&self,
		patient: &AccountId,
		last: u32,
	) -> Result<Vec<(u32, MessageNotice)>> {
		let count = fetch(&self.at, runtime::storage().ehr().message_count(), (*patient,))
			.await?
			.unwrap_or(0);
		let mut out = Vec::new();
		for index in count.saturating_sub(last)..count {
			let address = runtime::storage().ehr().messages();
			if let Some(notice) = fetch(&self.at, address, (*patient, index)).await? {
				out.push((index, notice));
			}
		}
		Ok(out)
	}

	/// Most recipients of one message (the runtime's `MaxMessageRecipients`).
	pub fn max_message_recipients(&self) -> Result<usize> {
		Ok(constant(&self.at, runtime::constants().ehr().max_message_recipients())? as usize)
	}

	/// Most entries one `add_records` call adds (the runtime's `MaxBatchEntries`); one for a
	/// runtime before spec version 107, which adds entries one at a time.
	pub fn max_batch_entries(&self) -> Result<usize> {
		if self
			.at
			.metadata_ref()
			.pallet_by_name("Ehr")
			.and_then(|p| p.call_variant_by_name("add_records"))
			.is_none()
		{
			return Ok(1);
		}
		Ok(constant(&self.at, runtime::constants().ehr().max_batch_entries())? as usize)
	}

	/// Most grantees a revoke or key rotation re-grants in the same call (the runtime's
	/// `MaxRegrants`).
	pub fn max_regrants(&self) -> Result<usize> {
		Ok(constant(&self.at, runtime::constants().ehr().max_regrants())? as usize)
	}

	/// The chain's block time in milliseconds: twice the timestamp pallet's minimum period.
	pub fn block_millis(&self) -> Result<u64> {
		let period = constant(&self.at, runtime::constants().timestamp().minimum_period())?;
		Ok(period.saturating_mul(2).max(1))
	}

	/// The block that comes about `days` days after this one, at the chain's block time: for
	/// an expiry given in days.
	pub fn block_after_days(&self, days: u32) -> Result<u32> {
		let blocks = u64::from(days).saturating_mul(86_400_000) / self.block_millis()?;
		u32::try_from(self.number().saturating_add(blocks)).map_err(|_| {
			Error::Input(format!("{days} days from now is past the chain's last block"))
		})
	}

	/// When block `number` was or will be made, Unix milliseconds: this block's time, moved by
	/// the chain's block time for each block between them (an estimate for a block to come).
	pub async fn time_of_block(&self, number: u32) -> Result<u64> {
		let now = value(&self.at, runtime::storage().timestamp().now()).await?.unwrap_or(0);
		let block = self.block_millis()?;
		let here = self.number();
		let number = u64::from(number);
		Ok(if number >= here {
			now.saturating_add((number - here).saturating_mul(block))
		} else {
			now.saturating_sub((here - number).saturating_mul(block))
		})
	}

	/// How many blocks make about `minutes` minutes at the chain's block time (at least one):
	/// for a duration given in time.
	pub fn blocks_in_minutes(&self, minutes: u32) -> Result<u32> {
		let blocks = u64::from(minutes).saturating_mul(60_000) / self.block_millis()?;
		Ok(u32::try_from(blocks.max(1)).unwrap_or(u32::MAX))
	}

	/// Totals.
	pub async fn counts(&self) -> Result<Counts> {
		view(&self.at, runtime::view_functions().ehr().counts()).await
	}

	/// "My patients" of `professional`.
	pub async fn patients_of(&self, professional: &AccountId) -> Result<Vec<(AccountId, Grant)>> {
		view(&self.at, runtime::view_functions().ehr().patients_of(*professional)).await
	}

	/// What `who` may do with `patient`'s records in the block after this one (the earliest a
	/// transaction sent now can land in), as the runtime answers (`None` from a runtime older
	/// than that answer, spec 105, where the transaction that uses the right is the only check).
	pub async fn access(&self, patient: &AccountId, who: &AccountId) -> Result<Option<Access>> {
		let payload = runtime::view_functions().ehr().access(*patient, *who);
		if !self.answers(&payload).await? {
			return Ok(None);
		}
		view(&self.at, payload).await.map(Some)
	}

	/// Whether `author` may add a document of `kind` to `patient`'s chain in the block after this
	/// one, as the runtime answers (`None` as for [`Self::access`]).
	pub async fn may_add(
		&self,
		patient: &AccountId,
		author: &AccountId,
		kind: DocumentKind,
	) -> Result<Option<std::result::Result<Right, PalletError>>> {
		let payload = runtime::view_functions().ehr().may_add(*patient, *author, kind);
		if !self.answers(&payload).await? {
			return Ok(None);
		}
		view(&self.at, payload).await.map(Some)
	}

	/// Whether `who` may register patients in the block after this one, and as what, as the
	/// runtime answers (`None` as for [`Self::access`]).
	pub async fn may_register(
		&self,
		who: &AccountId,
	) -> Result<Option<std::result::Result<Registrar, PalletError>>> {
		let payload = runtime::view_functions().ehr().may_register(*who);
		if !self.answers(&payload).await? {
			return Ok(None);
		}
		view(&self.at, payload).await.map(Some)
	}

	/// Whether the runtime at this block answers `payload`'s view function as this client
	/// reads it: it has the function, with the types this client was built with, and no runtime
	/// upgrade's migrations wait for the next block (until they have run, the new runtime reads
	/// storage the old one wrote, and its answer would be wrong).
	async fn answers<P>(&self, payload: &P) -> Result<bool>
	where
		P: subxt::view_functions::Payload + Clone,
	{
		if self.at.view_functions().validate(payload.clone()).is_err() {
			return Ok(false);
		}
		let migrated = value(&self.at, runtime::storage().system().last_runtime_upgrade()).await?;
		Ok(migrated.is_some_and(|last| last.spec_version >= self.at.spec_version()))
	}

	/// "My doctors" of `patient`.
	pub async fn doctors_of(&self, patient: &AccountId) -> Result<Vec<(AccountId, Grant)>> {
		view(&self.at, runtime::view_functions().ehr().doctors_of(*patient)).await
	}
}

/// The value at `address` under `key` in block `at`, if there is one.
pub(crate) async fn fetch<A>(at: &Block, address: A, key: A::KeyParts) -> Result<Option<A::Value>>
where
	A: subxt::storage::Address,
	A::Value: subxt::ext::scale_decode::DecodeAsType,
{
	let value = at.storage().try_fetch(address, key).await.map_err(query_error)?;
	value.map(|v| v.decode().map_err(query_error)).transpose()
}

/// The value of plain storage item `address` in block `at`, if it is set.
pub(crate) async fn value<A>(at: &Block, address: A) -> Result<Option<A::Value>>
where
	A: subxt::storage::Address<KeyParts = ()>,
	A::Value: subxt::ext::scale_decode::DecodeAsType,
{
	fetch(at, address, ()).await
}

/// The runtime's constant at `address`, as of block `at`.
pub(crate) fn constant<A: subxt::constants::Address>(at: &Block, address: A) -> Result<A::Target> {
	at.constants().entry(address).map_err(query_error)
}

/// Every entry of a map with one key, at block `at`.
pub(crate) async fn all<A, K>(at: &Block, address: A) -> Result<Vec<(K, A::Value)>>
where
	A: subxt::storage::Address<KeyParts = (K,)>,
	(K,): subxt::ext::frame_decode::storage::IntoDecodableValues,
	(): subxt::storage::PrefixOf<(K,)>,
{
	let mut iter = at.storage().iter(address, ()).await.map_err(query_error)?;
	let mut out = Vec::new();
	while let Some(kv) = iter.next().await {
		let kv = kv.map_err(query_error)?;
		let (key,) = kv.key().map_err(query_error)?.decode().map_err(query_error)?;
		out.push((key, kv.value().decode().map_err(query_error)?));
	}
	Ok(out)
}

/// Runs a view function at block `at`.
///
/// The runtime's `RuntimeViewFunction_execute_view_function` takes `(ViewFunctionId,
/// Vec<u8>)` and returns `Result<Vec<u8>, ViewFunctionDispatchError>`; subxt 0.50 sends the
/// arguments without the `Vec` length and reads the answer without the `Result`, which the
/// runtime refuses, so the call is framed here.
pub(crate) async fn view<P>(at: &Block, payload: P) -> Result<P::ReturnType>
where
	P: subxt::view_functions::Payload,
	P::ReturnType: codec::Decode,
{
	use codec::{Compact, Decode, Encode};
	let views = at.view_functions();
	let args = views.encode_args(&payload).map_err(query_error)?;
	let (id, input) = args.split_at(32.min(args.len()));
	let mut framed = id.to_vec();
	Compact(input.len() as u32).encode_to(&mut framed);
	framed.extend_from_slice(input);
	let bytes = views.call_raw(Some(&framed)).await.map_err(query_error)?;
	let cursor = &mut &bytes[..];
	match u8::decode(cursor).map_err(query_error)? {
		0 => {
			let output = Vec::<u8>::decode(cursor).map_err(query_error)?;
			P::ReturnType::decode(&mut &output[..]).map_err(query_error)
		},
		_ => Err(Error::Chain(format!(
			"the runtime refused the view function {}: {}",
			payload.function_name(),
			hex::encode(&bytes[1..])
		))),
	}
}
