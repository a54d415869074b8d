//! The transaction extension that keeps the chain permissioned.

use crate::{pallet::*, WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame::{
	prelude::*,
	traits::{DispatchInfoOf, OriginTrait, TransactionExtension, ValidateResult},
};
use scale_info::TypeInfo;

/// Refuses signed transactions from anyone but members: admins, active professionals and
/// registered patients. The chain is feeless, so this is what keeps outsiders out of its blocks.
///
/// A refused transaction gets [`InvalidTransaction::BadSigner`] ("invalid signing address")
/// from the pool and is never included. Unsigned transactions and inherents pass untouched;
/// the runtime admits no unsigned call of its own.
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

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckMembership<T> {
	const IDENTIFIER: &'static str = "CheckMembership";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, _call: &T::RuntimeCall) -> Weight {
		T::WeightInfo::check_membership()
	}

	fn validate(
		&self,
		origin: T::RuntimeOrigin,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		if let Some(who) = origin.as_signer() {
			if !Pallet::<T>::is_member(who) {
				return Err(InvalidTransaction::BadSigner.into());
			}
		}
		Ok((ValidTransaction::default(), (), origin))
	}

	frame::prelude::impl_tx_ext_default!(T::RuntimeCall; prepare);
}
