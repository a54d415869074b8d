//! Messages about a patient between the patient and the professionals who may read its records:
//! the chain keeps each message's notice, never its content.

use crate::{pallet::*, types::*};
use frame::{hashing::H256, prelude::*};

impl<T: Config> Pallet<T> {
	/// Errors: see [`Pallet::post_message`].
	pub(crate) fn do_post_message(
		from: T::AccountId,
		patient: T::AccountId,
		to: RecipientsOf<T>,
		digest: H256,
		locator: LocatorOf<T>,
	) -> DispatchResult {
		let record = Patients::<T>::get(&patient).ok_or(Error::<T>::NotPatient)?;
		ensure!(record.status != PatientStatus::Removed, Error::<T>::PatientRemoved);
		let now = frame_system::Pallet::<T>::block_number();
		let sender = Self::read_right(&from, &patient, now)?;
		ensure!(!to.is_empty(), Error::<T>::NoRecipients);
		ensure!(!locator.is_empty(), Error::<T>::EmptyLocator);
		for (i, recipient) in to.iter().enumerate() {
			let is_sender =
				*recipient == from || (sender == Right::Patient && *recipient == patient);
			ensure!(!is_sender, Error::<T>::MessageToSelf);
			ensure!(!to[..i].contains(recipient), Error::<T>::DuplicateRecipient);
			ensure!(
				Self::may_receive(recipient, &patient, &record, now),
				Error::<T>::RecipientMayNotRead
			);
		}
		let index = MessageCount::<T>::get(&patient);
		let next = index.checked_add(1).ok_or(Error::<T>::CountOverflow)?;
		MessageCount::<T>::insert(&patient, next);
		Messages::<T>::insert(
			&patient,
			index,
			MessageNotice { from: from.clone(), to: to.clone(), digest, locator, block: now },
		);
		Self::deposit_event(Event::MessagePosted { patient, index, from, to });
		Ok(())
	}

	/// Whether `recipient` may read messages about `patient`, whose record is `record`, at
	/// `now`: it is the patient, named by its own account and not suspended (as it may read its
	/// records), or a professional that may read them. A patient that moved to another key is
	/// still named by its own account, never by the key it signs with, so that it is named once.
	fn may_receive(
		recipient: &T::AccountId,
		patient: &T::AccountId,
		record: &PatientOf<T>,
		now: BlockNumberFor<T>,
	) -> bool {
		if recipient == patient {
			return record.status == PatientStatus::Active;
		}
		matches!(
			Self::read_right(recipient, patient, now),
			Ok(Right::Grant { .. } | Right::Emergency { .. })
		)
	}
}
