//! A currency with nothing in it, for pallets that ask for one on a chain without funds.
//!
//! The chain is feeless and keeps no balances, but `pallet-session` wants a currency to hold a
//! deposit for session keys. With a deposit of zero it never holds anything; [`NoFunds`] is
//! that currency: every balance and hold is zero, and anything that would create funds or put
//! some on hold is refused, so no pallet can conjure a balance out of it.

use super::{AccountId, RuntimeHoldReason};
use polkadot_sdk::{
	frame_support::traits::{
		fungible,
		tokens::{DepositConsequence, Fortitude, Preservation, Provenance, WithdrawConsequence},
	},
	sp_runtime::{DispatchError, DispatchResult, TokenError},
};

/// The currency of a chain without funds.
pub struct NoFunds;

impl fungible::Inspect<AccountId> for NoFunds {
	type Balance = u128;

	fn total_issuance() -> u128 {
		0
	}

	fn minimum_balance() -> u128 {
		0
	}

	fn total_balance(_: &AccountId) -> u128 {
		0
	}

	fn balance(_: &AccountId) -> u128 {
		0
	}

	fn reducible_balance(_: &AccountId, _: Preservation, _: Fortitude) -> u128 {
		0
	}

	fn can_deposit(_: &AccountId, amount: u128, _: Provenance) -> DepositConsequence {
		if amount == 0 {
			DepositConsequence::Success
		} else {
			DepositConsequence::UnknownAsset
		}
	}

	fn can_withdraw(_: &AccountId, amount: u128) -> WithdrawConsequence<u128> {
		if amount == 0 {
			WithdrawConsequence::Success
		} else {
			WithdrawConsequence::BalanceLow
		}
	}
}

impl fungible::Unbalanced<AccountId> for NoFunds {
	fn handle_dust(_: fungible::Dust<AccountId, Self>) {}

	fn write_balance(_: &AccountId, amount: u128) -> Result<Option<u128>, DispatchError> {
		if amount == 0 {
			Ok(None)
		} else {
			Err(TokenError::UnknownAsset.into())
		}
	}

	fn set_total_issuance(_: u128) {}
}

impl fungible::Mutate<AccountId> for NoFunds {}

impl fungible::InspectHold<AccountId> for NoFunds {
	type Reason = RuntimeHoldReason;

	fn total_balance_on_hold(_: &AccountId) -> u128 {
		0
	}

	fn balance_on_hold(_: &Self::Reason, _: &AccountId) -> u128 {
		0
	}
}

impl fungible::UnbalancedHold<AccountId> for NoFunds {
	fn set_balance_on_hold(_: &Self::Reason, _: &AccountId, amount: u128) -> DispatchResult {
		if amount == 0 {
			Ok(())
		} else {
			Err(TokenError::FundsUnavailable.into())
		}
	}
}

impl fungible::MutateHold<AccountId> for NoFunds {}

#[cfg(test)]
mod tests {
	use super::*;
	use fungible::{Inspect, Mutate, MutateHold};
	use polkadot_sdk::{
		frame_support::traits::tokens::Precision, pallet_session, sp_keyring::Sr25519Keyring,
	};

	#[test]
	fn nothing_is_created_or_held_and_releasing_nothing_succeeds() {
		let alice = Sr25519Keyring::Alice.to_account_id();
		let reason = RuntimeHoldReason::Session(pallet_session::HoldReason::Keys);
		assert!(NoFunds::mint_into(&alice, 1).is_err());
		assert!(NoFunds::hold(&reason, &alice, 1).is_err());
		assert_eq!(NoFunds::balance(&alice), 0);
		assert_eq!(NoFunds::release_all(&reason, &alice, Precision::BestEffort), Ok(0));
		assert!(NoFunds::hold(&reason, &alice, 0).is_ok());
	}
}
