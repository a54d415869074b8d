//! The transaction extensions that keep the chain permissioned and its blocks shared fairly.
//!
//! - [`CheckMembership`]: only members sign transactions, only for calls the runtime admits,
//!   and an entry's proof of work is checked before the transaction enters the pool.
//! - [`CheckNonceWithinQuota`]: the account's nonce, as `frame_system::CheckNonce` checks it,
//!   and a quota of transactions per window by role, with administrators first in line.
//!
//! Both answer the pool and the block builder alike (`validate` runs in both), so a refused
//! transaction never takes block space.

use crate::{pallet::*, types::*, WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame::{
	deps::frame_system::ExtensionsWeightInfo,
	hashing::H256,
	prelude::*,
	traits::{DispatchInfoOf, OriginTrait, TransactionExtension, ValidateResult},
};
use scale_info::TypeInfo;

/// The codes of [`InvalidTransaction::Custom`] refusals.
pub mod refusal {
	/// The account has sent as many transactions as its role's quota allows in this window.
	pub const QUOTA_EXHAUSTED: u8 = 1;
	/// The entry's hash is not its fields' hash, or lacks the chain's proof of work.
	pub const BAD_PROOF_OF_WORK: u8 = 2;
	/// A batch of entries is empty, or its entries are not consecutive, each linked to the
	/// one before it.
	pub const MALFORMED_BATCH: u8 = 3;
}

/// Priority of an administrator's transactions over everyone else's, so that suspending an
/// abusive account gets in while it floods the pool.
pub const ADMIN_PRIORITY: u64 = 1 << 40;

/// Refuses signed transactions from anyone but members (admins, active professionals and active
/// patients), calls the runtime's call filter does not admit, `add_record` and `add_records`
/// entries whose hash or proof of work is wrong, and batches whose entries are not consecutive
/// and linked. The chain is feeless, so this is what keeps outsiders and garbage out of its
/// blocks.
///
/// A non-member gets [`InvalidTransaction::BadSigner`] ("invalid signing address"), a filtered
/// call [`InvalidTransaction::Call`], a bad entry `Custom(`[`refusal::BAD_PROOF_OF_WORK`]`)`,
/// a malformed batch `Custom(`[`refusal::MALFORMED_BATCH`]`)`.
/// Unsigned transactions and inherents pass untouched; the runtime admits no unsigned call of
/// its own.
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckMembership<T>(PhantomData<T>);

impl<T> CheckMembership<T> {
	/// The extension; it carries no data.
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> core::fmt::Debug for CheckMembership<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckMembership")
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckMembership<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
{
	const IDENTIFIER: &'static str = "CheckMembership";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		// Every entry's proof of work is checked.
		let entries = match call.is_sub_type() {
			Some(Call::add_records { entries, .. }) => entries.len() as u32,
			_ => 1,
		};
		T::WeightInfo::check_membership(entries)
	}

	fn validate(
		&self,
		origin: T::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		if let Some(who) = origin.as_signer() {
			if Pallet::<T>::role_of(who).is_none() {
				return Err(InvalidTransaction::BadSigner.into());
			}
			if !<T as frame_system::Config>::BaseCallFilter::contains(call) {
				return Err(InvalidTransaction::Call.into());
			}
			let mined = match call.is_sub_type() {
				Some(Call::add_record { entry, hash, .. }) => {
					Pallet::<T>::entry_is_mined(who, entry, hash)
				},
				Some(Call::add_records { entries, .. }) => {
					if !is_linked_batch(entries) {
						return Err(InvalidTransaction::Custom(refusal::MALFORMED_BATCH).into());
					}
					entries
						.iter()
						.all(|(entry, hash)| Pallet::<T>::entry_is_mined(who, entry, hash))
				},
				_ => true,
			};
			if !mined {
				return Err(InvalidTransaction::Custom(refusal::BAD_PROOF_OF_WORK).into());
			}
		}
		Ok((ValidTransaction::default(), (), origin))
	}

	frame::prelude::impl_tx_ext_default!(T::RuntimeCall; prepare);
}

/// The account's nonce, checked as `frame_system::CheckNonce` checks it (and encoded the same,
/// under the same identifier, so wallets fill it in), and the account's quota: at most the
/// [`Quotas`] of its role per window of blocks.
///
/// In a block, a transaction beyond the quota is refused with
/// `Custom(`[`refusal::QUOTA_EXHAUSTED`]`)`; at the pool, so is one whose nonce lies further
/// ahead than the quota left, so that no account can fill the pool with transactions that can
/// never get in. Priority is the quota an account has left (plus [`ADMIN_PRIORITY`] for an
/// administrator), so that a light user goes before a heavy one.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckNonceWithinQuota<T: Config>(#[codec(compact)] pub T::Nonce);

impl<T: Config> CheckNonceWithinQuota<T> {
	/// The extension for a transaction with `nonce`.
	pub fn from(nonce: T::Nonce) -> Self {
		Self(nonce)
	}
}

impl<T: Config> core::fmt::Debug for CheckNonceWithinQuota<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckNonceWithinQuota")
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckNonceWithinQuota<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
{
	const IDENTIFIER: &'static str = "CheckNonce";
	type Implicit = ();
	type Val = Option<T::AccountId>;
	type Pre = ();

	fn weight(&self, _call: &T::RuntimeCall) -> Weight {
		// The nonce check `frame_system::CheckNonce` weighs, and the quota on top.
		<T as frame_system::Config>::ExtensionsWeightInfo::check_nonce()
			.saturating_add(T::WeightInfo::check_nonce_within_quota())
	}

	fn validate(
		&self,
		origin: T::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let Some(who) = origin.as_signer() else {
			return Ok((ValidTransaction::default(), None, origin));
		};
		let role = Pallet::<T>::role_of(who).ok_or(InvalidTransaction::BadSigner)?;
		let nonces = frame_system::CheckNonce::<T>::validate_nonce_for_account(who, self.0)?;
		let left = Pallet::<T>::quota_left(who, role);
		// Transactions of this account ahead of this one in the pool use quota first (one
		// each, at least).
		let ahead = self.0.saturating_sub(frame_system::Pallet::<T>::account_nonce(who));
		let ahead = u32::try_from(ahead.saturated_into::<u64>()).unwrap_or(u32::MAX);
		if ahead.saturating_add(quota_units::<T>(call)) > left {
			return Err(InvalidTransaction::Custom(refusal::QUOTA_EXHAUSTED).into());
		}
		let base = if role == Role::Admin { ADMIN_PRIORITY } else { 0 };
		let validity = ValidTransaction {
			priority: base.saturating_add(u64::from(left - ahead)),
			requires: nonces.requires,
			provides: nonces.provides,
			longevity: u64::MAX,
			propagate: true,
		};
		Ok((validity, Some(who.clone()), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		_origin: &T::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		if let Some(who) = val {
			frame_system::CheckNonce::<T>::prepare_nonce_for_account(&who, self.0)?;
			Pallet::<T>::use_quota(&who, quota_units::<T>(call));
		}
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// The role `who` acts in, if it is a member: admin first (a hospital of the consortium
	/// acts as one), then active professional, then active patient.
	///
	/// Between a runtime upgrade's block and the next, whose start runs the upgrade's
	/// migrations, an entry the runtime before wrote that this one cannot read yet counts as
	/// the role it is for.
	pub fn role_of(who: &T::AccountId) -> Option<Role> {
		if Self::serving_admin(who).is_some() || T::Hospitals::contains(who) {
			Some(Role::Admin)
		} else if Professionals::<T>::get(who)
			.is_some_and(|p| p.status == ProfessionalStatus::Active)
		{
			Some(Role::Professional)
		} else if Self::acting_patient(who).is_ok() {
			Some(Role::Patient)
		} else {
			// Only for an account that is no member by this runtime's reading.
			match Self::awaiting_migration(who) {
				(true, _, _) => Some(Role::Admin),
				(_, true, _) => Some(Role::Professional),
				(_, _, true) => Some(Role::Patient),
				_ => None,
			}
		}
	}

	/// Whether `who`'s admin, professional and patient entries are stored in a layout this
	/// runtime cannot read: written by the runtime before, whose upgrade's migrations run at
	/// the start of the next block. The transaction pool checks transactions in between, on
	/// the state the upgrade's block left, so this keeps members' transactions from being
	/// refused there; the block checks them again, once the migrations have run. Once the
	/// pallet's storage is at this runtime's version, no entry is taken on trust.
	pub(crate) fn awaiting_migration(who: &T::AccountId) -> (bool, bool, bool) {
		use frame::deps::frame_support::traits::GetStorageVersion;
		if Self::on_chain_storage_version() >= Self::in_code_storage_version() {
			return (false, false, false);
		}
		(
			Admins::<T>::contains_key(who) && Admins::<T>::try_get(who).is_err(),
			Professionals::<T>::contains_key(who) && Professionals::<T>::try_get(who).is_err(),
			Patients::<T>::contains_key(who) && Patients::<T>::try_get(who).is_err(),
		)
	}

	/// How many more transactions `who`, acting as `role`, may send in the current window.
	pub fn quota_left(who: &T::AccountId, role: Role) -> u32 {
		let quotas = QuotaSetting::<T>::get();
		let now = frame_system::Pallet::<T>::block_number();
		let used = TxUsage::<T>::get(who)
			.filter(|(start, _)| now < start.saturating_add(quotas.window))
			.map_or(0, |(_, used)| used);
		quotas.of(role).saturating_sub(used)
	}

	/// Counts `units` transactions of `who` in the current window (starting a new one if the
	/// last has passed).
	pub(crate) fn use_quota(who: &T::AccountId, units: u32) {
		let window = QuotaSetting::<T>::get().window;
		let now = frame_system::Pallet::<T>::block_number();
		TxUsage::<T>::mutate(who, |usage| {
			*usage = match *usage {
				Some((start, used)) if now < start.saturating_add(window) => {
					Some((start, used.saturating_add(units)))
				},
				_ => Some((now, units)),
			}
		});
	}

	/// Whether `entry`, written by `author`, hashes to `hash` and that hash meets the entry's
	/// difficulty, which is at least the chain's. Needs nothing but the entry, the author's
	/// specialty and the difficulty, so the pool checks it before the entry takes block space.
	pub(crate) fn entry_is_mined(
		author: &T::AccountId,
		entry: &EntryInput<LocatorOf<T>>,
		hash: &H256,
	) -> bool {
		let Ok(professional) = Professionals::<T>::try_get(author) else {
			// The author's entry awaits its migration: the block checks the entry, after it.
			return Self::awaiting_migration(author).1;
		};
		let body = Self::entry_body(author.clone(), professional.specialty, entry.clone());
		body.difficulty >= Difficulty::<T>::get()
			&& body.hash() == *hash
			&& meets_difficulty(hash, body.difficulty)
	}
}

/// How much of its sender's quota `call` uses: one transaction, or one for each entry of a
/// batch, so that batching adds no more entries than single transactions would.
fn quota_units<T: Config>(call: &T::RuntimeCall) -> u32
where
	T::RuntimeCall: IsSubType<Call<T>>,
{
	match call.is_sub_type() {
		Some(Call::add_records { entries, .. }) => (entries.len() as u32).max(1),
		_ => 1,
	}
}

/// Whether `entries` is not empty and each entry is the one after the entry before it: the
/// next index, linked to its hash. Needs no storage, so the pool checks it first.
pub(crate) fn is_linked_batch<L>(entries: &[(EntryInput<L>, H256)]) -> bool {
	!entries.is_empty()
		&& entries.windows(2).all(|pair| {
			let ((before, hash), (next, _)) = (&pair[0], &pair[1]);
			Some(next.index) == before.index.checked_add(1) && next.prev_hash == *hash
		})
}
