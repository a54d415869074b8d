//! The consortium's invariants, which `try_state` and the tests check.

use crate::pallet::*;
use alloc::vec::Vec;

impl<T: Config> Pallet<T> {
	/// Whether the stored state is consistent: [`Members`] is sorted, without duplicates,
	/// not empty, and holds exactly the keys of [`Hospitals`]; the threshold is valid.
	pub fn do_try_state() -> Result<(), &'static str> {
		let members = Members::<T>::get();
		if members.is_empty() {
			return Err("the consortium has no hospital");
		}
		if !members.windows(2).all(|pair| pair[0] < pair[1]) {
			return Err("members are not sorted or not unique");
		}
		if Hospitals::<T>::iter_keys().count() != members.len()
			|| !members.iter().all(Hospitals::<T>::contains_key)
		{
			return Err("members and hospitals differ");
		}
		let named = Hospitals::<T>::iter().filter_map(|(account, h)| Some((h.node?, account)));
		let named = named.collect::<Vec<_>>();
		if named.len() != Nodes::<T>::iter_keys().count()
			|| !named.iter().all(|(node, account)| Nodes::<T>::get(node).as_ref() == Some(account))
		{
			return Err("the hospitals' nodes and the nodes' hospitals differ");
		}
		if !ApprovalThreshold::<T>::get().is_valid() {
			return Err("the approval threshold is invalid");
		}
		if !Self::session_length_is_valid(SessionLength::<T>::get()) {
			return Err("the session length is out of bounds");
		}
		Ok(())
	}
}
