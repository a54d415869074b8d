//! The pallet's invariants, checked by `try_state` and after every unit test.
#![cfg(any(feature = "try-runtime", feature = "std"))]

use crate::{pallet::*, types::*};
use frame::{hashing::H256, prelude::*};

impl<T: Config> Pallet<T> {
	/// Checks that every count agrees with the map it summarises, that both grant indexes hold
	/// the same pairs, that every open-emergency index points at its own access, and that every
	/// patient's chain verifies: indexes without gaps, links, hashes and proofs of work.
	pub fn do_try_state() -> Result<(), &'static str> {
		let exists = frame_system::Pallet::<T>::account_exists;
		ensure!(Admins::<T>::iter_keys().all(|a| exists(&a)), "an admin's account does not exist");
		ensure!(
			Professionals::<T>::iter_keys().all(|p| exists(&p)),
			"a professional's account does not exist"
		);
		ensure!(
			Patients::<T>::iter_keys().all(|p| exists(&p)),
			"a patient's account does not exist"
		);

		let admins = Admins::<T>::iter_keys().count() as u32;
		ensure!(admins == AdminCount::<T>::get(), "AdminCount disagrees with Admins");
		let mut of_hospital = alloc::collections::BTreeMap::<T::AccountId, u32>::new();
		let mut of_consortium = 0u32;
		for admin in Admins::<T>::iter_values() {
			match admin.hospital {
				Some(hospital) => *of_hospital.entry(hospital).or_default() += 1,
				None => of_consortium += 1,
			}
		}
		ensure!(of_consortium >= 1, "the consortium has no admin left");
		ensure!(
			of_consortium == ConsortiumAdminCount::<T>::get(),
			"ConsortiumAdminCount disagrees"
		);
		let counted: alloc::collections::BTreeMap<_, _> = HospitalAdminCount::<T>::iter().collect();
		ensure!(counted == of_hospital, "HospitalAdminCount disagrees with Admins");
		ensure!(
			of_hospital.values().all(|n| *n <= T::MaxAdminsPerHospital::get()),
			"a hospital has more admins than it may"
		);
		ensure!(
			PatientHospital::<T>::iter_keys().all(|p| Patients::<T>::contains_key(&p)),
			"a patient's hospital is on record for no patient"
		);

		let mut professionals = 0u32;
		let mut active = 0u32;
		for (_, record) in Professionals::<T>::iter() {
			professionals += 1;
			if record.status == ProfessionalStatus::Active {
				active += 1;
			}
		}
		ensure!(professionals == ProfessionalCount::<T>::get(), "ProfessionalCount disagrees");
		ensure!(active == ActiveProfessionalCount::<T>::get(), "ActiveProfessionalCount disagrees");

		let mut patients = 0u32;
		let mut insured = 0u32;
		let mut records = 0u64;
		for (patient, record) in Patients::<T>::iter() {
			patients += 1;
			// Only a removed patient's commitment may have been released (and maybe taken by
			// the person it belongs to).
			if PatientByInsurance::<T>::get(record.insurance_commitment).as_ref() == Some(&patient)
			{
				insured += 1;
			} else {
				ensure!(
					record.status == PatientStatus::Removed,
					"insurance index does not point back at its patient"
				);
			}
			let mut prev = H256::zero();
			for index in 0..record.record_count {
				let entry = Records::<T>::get(&patient, index).ok_or("gap in a record chain")?;
				ensure!(entry.body.index == index, "entry stored under the wrong index");
				ensure!(entry.body.prev_hash == prev, "broken link in a record chain");
				ensure!(entry.body.hash() == entry.hash, "entry hash does not match its body");
				ensure!(
					meets_difficulty(&entry.hash, entry.body.difficulty),
					"entry lacks its proof of work"
				);
				ensure!(entry.body.key_epoch <= record.key_epoch, "entry of a future key epoch");
				prev = entry.hash;
			}
			ensure!(prev == record.head, "chain head is not the newest entry");
			records += u64::from(record.record_count);
		}
		ensure!(patients == PatientCount::<T>::get(), "PatientCount disagrees with Patients");
		ensure!(
			PatientByInsurance::<T>::iter_keys().count() as u32 == insured,
			"insurance index has entries without a patient"
		);
		ensure!(
			Records::<T>::iter_keys().count() as u64 == records,
			"entries beyond a chain's end"
		);
		ensure!(records == RecordCount::<T>::get(), "RecordCount disagrees with Records");

		for (patient, professional, grant) in Grants::<T>::iter() {
			ensure!(
				GrantsByProfessional::<T>::contains_key(&professional, &patient),
				"grant missing from the professional index"
			);
			let record = Patients::<T>::get(&patient).ok_or("grant from an unknown patient")?;
			ensure!(grant.key_epoch <= record.key_epoch, "grant of a future key epoch");
			ensure!(
				Professionals::<T>::contains_key(&professional),
				"grant to an unknown professional"
			);
		}
		for (professional, patient) in GrantsByProfessional::<T>::iter_keys() {
			ensure!(
				Grants::<T>::contains_key(&patient, &professional),
				"professional index entry without a grant"
			);
		}

		// A patient (or a patient's signing account) holds no other role.
		for who in Patients::<T>::iter_keys().chain(PatientOfAccount::<T>::iter_keys()) {
			ensure!(
				!Admins::<T>::contains_key(&who) && !Professionals::<T>::contains_key(&who),
				"a patient's account also holds another role"
			);
		}

		for (patient, account) in PatientAccount::<T>::iter() {
			ensure!(Patients::<T>::contains_key(&patient), "a moved patient does not exist");
			ensure!(
				PatientOfAccount::<T>::get(&account).as_ref() == Some(&patient),
				"a patient's signing account does not point back at it"
			);
			ensure!(exists(&account), "a patient's signing account does not exist");
		}
		ensure!(
			PatientOfAccount::<T>::iter_keys().count() == PatientAccount::<T>::iter_keys().count(),
			"signing accounts without a patient"
		);

		for ((_, _, seq), grant) in PastGrants::<T>::iter() {
			ensure!(grant.revoked_at.is_some(), "a past grant was never revoked");
			ensure!(seq < NextPastGrant::<T>::get(), "past grant beyond the counter");
		}

		let mut emergencies = 0u64;
		let mut unreviewed = 0u32;
		let mut by_professional = alloc::collections::BTreeMap::<T::AccountId, u32>::new();
		for (id, access) in EmergencyAccesses::<T>::iter() {
			emergencies += 1;
			ensure!(id < NextEmergencyId::<T>::get(), "emergency id beyond the counter");
			if access.review.is_none() {
				unreviewed += 1;
				*by_professional.entry(access.professional).or_default() += 1;
			}
		}
		for (professional, standing) in EmergencyStandings::<T>::iter() {
			ensure!(
				standing.unreviewed == by_professional.remove(&professional).unwrap_or(0),
				"a professional's standing miscounts its unreviewed accesses"
			);
		}
		ensure!(by_professional.is_empty(), "unreviewed accesses missing from the standings");
		ensure!(emergencies == NextEmergencyId::<T>::get(), "NextEmergencyId disagrees");
		ensure!(unreviewed == UnreviewedEmergencyCount::<T>::get(), "unreviewed count disagrees");
		for (patient, professional, id) in OpenEmergencies::<T>::iter() {
			let access = EmergencyAccesses::<T>::get(id).ok_or("open index without an access")?;
			ensure!(
				access.patient == patient && access.professional == professional,
				"open index points at another pair's access"
			);
			ensure!(access.closed.is_none(), "open index points at a closed access");
		}

		let mut messages = alloc::collections::BTreeMap::<T::AccountId, u32>::new();
		for (patient, index, notice) in Messages::<T>::iter() {
			ensure!(Patients::<T>::contains_key(&patient), "a message about no patient");
			ensure!(index < MessageCount::<T>::get(&patient), "a message beyond its count");
			ensure!(!notice.to.is_empty(), "a message without recipients");
			*messages.entry(patient).or_default() += 1;
		}
		let counted: alloc::collections::BTreeMap<_, _> = MessageCount::<T>::iter().collect();
		ensure!(counted == messages, "MessageCount disagrees with Messages");

		let difficulty = Difficulty::<T>::get();
		ensure!(
			(T::MinDifficulty::get()..=T::MaxDifficulty::get()).contains(&difficulty),
			"difficulty out of bounds"
		);
		Ok(())
	}
}
