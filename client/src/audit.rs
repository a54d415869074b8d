//! What an auditor reads: every event of the EHR pallet over a range of blocks, or those
//! touching one account, and the dashboard's totals.

use indicatif::ProgressBar;
use serde::Serialize;

use crate::{
	chain::{AccountId, EmergencyAccess},
	client::Client,
	runtime,
	state::State,
	views::hex32,
	Error, Result,
};

/// One event of the history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEvent {
	/// Block number.
	pub block: u64,
	/// Index of the event in the block.
	pub event_index: u32,
	/// The event's name.
	pub event: String,
	/// Its fields, accounts in SS58 and hashes in hex.
	pub fields: Vec<(String, String)>,
	#[serde(skip)]
	accounts: Vec<AccountId>,
	#[serde(skip)]
	emergency: Option<u64>,
}

fn describe(block: u64, event_index: u32, event: runtime::ehr::Event) -> HistoryEvent {
	use runtime::ehr::Event as E;
	let mut fields: Vec<(String, String)> = Vec::new();
	let mut accounts = Vec::new();
	let mut emergency = None;
	let mut account = |name: &str, who: AccountId, fields: &mut Vec<(String, String)>| {
		fields.push((name.into(), who.to_string()));
		accounts.push(who);
	};
	let name = match event {
		E::AdminAdded { admin, hospital } => {
			account("admin", admin, &mut fields);
			if let Some(hospital) = hospital {
				account("hospital", hospital, &mut fields);
			}
			"AdminAdded"
		},
		E::AdminRemoved { admin } => {
			account("admin", admin, &mut fields);
			"AdminRemoved"
		},
		E::ProfessionalRegistered { professional, kind, by } => {
			account("professional", professional, &mut fields);
			fields.push(("kind".into(), format!("{kind:?}")));
			account("by", by, &mut fields);
			"ProfessionalRegistered"
		},
		E::ProfessionalSuspended { professional, by } => {
			account("professional", professional, &mut fields);
			account("by", by, &mut fields);
			"ProfessionalSuspended"
		},
		E::ProfessionalReinstated { professional, by } => {
			account("professional", professional, &mut fields);
			account("by", by, &mut fields);
			"ProfessionalReinstated"
		},
		E::ProfessionalRemoved { professional, by } => {
			account("professional", professional, &mut fields);
			account("by", by, &mut fields);
			"ProfessionalRemoved"
		},
		E::PatientRegistered { patient, by, genesis_hash } => {
			account("patient", patient, &mut fields);
			account("by", by, &mut fields);
			fields.push(("genesis_hash".into(), hex32(&genesis_hash.0)));
			"PatientRegistered"
		},
		E::PatientKeyUpdated { patient } => {
			account("patient", patient, &mut fields);
			"PatientKeyUpdated"
		},
		E::PatientProfileUpdated { patient } => {
			account("patient", patient, &mut fields);
			"PatientProfileUpdated"
		},
		E::AccessGranted { patient, professional, scope, expires_at, key_epoch } => {
			account("patient", patient, &mut fields);
			account("professional", professional, &mut fields);
			fields.push(("scope".into(), format!("{scope:?}")));
			fields.push((
				"expires_at".into(),
				expires_at.map(|b| b.to_string()).unwrap_or_else(|| "never".into()),
			));
			fields.push(("key_epoch".into(), key_epoch.to_string()));
			"AccessGranted"
		},
		E::AccessRevoked { patient, professional, key_epoch } => {
			account("patient", patient, &mut fields);
			account("professional", professional, &mut fields);
			fields.push(("key_epoch".into(), key_epoch.to_string()));
			"AccessRevoked"
		},
		E::EmergencyAccessOpened { id, patient, professional, reason, expires_at } => {
			emergency = Some(id);
			fields.push(("id".into(), id.to_string()));
			account("patient", patient, &mut fields);
			account("professional", professional, &mut fields);
			fields.push(("reason".into(), format!("{reason:?}")));
			fields.push(("expires_at".into(), expires_at.to_string()));
			"EmergencyAccessOpened"
		},
		E::EmergencyAccessClosed { id, by } => {
			emergency = Some(id);
			fields.push(("id".into(), id.to_string()));
			account("by", by, &mut fields);
			"EmergencyAccessClosed"
		},
		E::EmergencyKeyReleased { id } => {
			emergency = Some(id);
			fields.push(("id".into(), id.to_string()));
			"EmergencyKeyReleased"
		},
		E::EmergencyAccessReviewed { id, by, outcome } => {
			emergency = Some(id);
			fields.push(("id".into(), id.to_string()));
			account("by", by, &mut fields);
			fields.push(("outcome".into(), format!("{outcome:?}")));
			"EmergencyAccessReviewed"
		},
		E::RecordAdded { patient, index, author, kind, hash, amends } => {
			account("patient", patient, &mut fields);
			fields.push(("index".into(), index.to_string()));
			account("author", author, &mut fields);
			fields.push(("kind".into(), format!("{kind:?}")));
			fields.push(("hash".into(), hex32(&hash.0)));
			if let Some(amends) = amends {
				fields.push(("amends".into(), amends.to_string()));
			}
			"RecordAdded"
		},
		E::RecordAccessed { patient, index, reader } => {
			account("patient", patient, &mut fields);
			fields.push(("index".into(), index.to_string()));
			account("reader", reader, &mut fields);
			"RecordAccessed"
		},
		E::DifficultySet { difficulty } => {
			fields.push(("difficulty".into(), difficulty.to_string()));
			"DifficultySet"
		},
		E::PatientSuspended { patient, by } => {
			account("patient", patient, &mut fields);
			account("by", by, &mut fields);
			"PatientSuspended"
		},
		E::PatientReinstated { patient, by } => {
			account("patient", patient, &mut fields);
			account("by", by, &mut fields);
			"PatientReinstated"
		},
		E::PatientRemoved { patient, by } => {
			account("patient", patient, &mut fields);
			account("by", by, &mut fields);
			"PatientRemoved"
		},
		E::InsuranceReleased { patient, by } => {
			account("patient", patient, &mut fields);
			account("by", by, &mut fields);
			"InsuranceReleased"
		},
		E::PatientAccountMoved { patient, account: moved_to, key_epoch } => {
			account("patient", patient, &mut fields);
			account("account", moved_to, &mut fields);
			fields.push(("key_epoch".into(), key_epoch.to_string()));
			"PatientAccountMoved"
		},
		E::RecordKeyRotated { patient, key_epoch } => {
			account("patient", patient, &mut fields);
			fields.push(("key_epoch".into(), key_epoch.to_string()));
			"RecordKeyRotated"
		},
		E::ProfileAccessed { patient, reader } => {
			account("patient", patient, &mut fields);
			account("reader", reader, &mut fields);
			"ProfileAccessed"
		},
		E::QuotasSet { quotas } => {
			fields.push(("window".into(), quotas.window.to_string()));
			fields.push(("admin".into(), quotas.admin.to_string()));
			fields.push(("professional".into(), quotas.professional.to_string()));
			fields.push(("patient".into(), quotas.patient.to_string()));
			"QuotasSet"
		},
		E::EmergencyPolicySet { policy } => {
			fields.push(("kinds".into(), format!("{:?}", policy.kinds.0)));
			fields.push(("writable".into(), format!("{:?}", policy.writable.0)));
			fields.push(("max_opens".into(), policy.max_opens.to_string()));
			fields.push(("period".into(), policy.period.to_string()));
			"EmergencyPolicySet"
		},
		E::EmergencyBarCleared { professional, by } => {
			account("professional", professional, &mut fields);
			account("by", by, &mut fields);
			"EmergencyBarCleared"
		},
	};
	HistoryEvent { block, event_index, event: name.into(), fields, accounts, emergency }
}

/// Totals and recent activity.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
	/// Latest finalized block.
	pub finalized_block: u64,
	/// Administrators.
	pub admins: u32,
	/// Professionals ever registered.
	pub professionals: u32,
	/// Professionals active now.
	pub active_professionals: u32,
	/// Patients.
	pub patients: u32,
	/// Record entries, genesis entries included.
	pub records: u64,
	/// Emergency accesses ever opened.
	pub emergency_accesses: u64,
	/// Emergency accesses not reviewed yet.
	pub unreviewed_emergency_accesses: u32,
	/// Proof-of-work difficulty in bits.
	pub difficulty: u8,
	/// The blocks whose events are counted in `recent_total`.
	pub recent_blocks: (u64, u64),
	/// How many events those blocks hold.
	pub recent_total: usize,
	/// The page of them asked for, newest first.
	pub recent: Vec<HistoryEvent>,
	/// Which page that is.
	pub page: Page,
}

/// Which part of a long list to show: pages of `size` items, newest first; page 1 is the
/// newest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Page {
	/// Items per page.
	pub size: usize,
	/// The page, from 1.
	pub number: usize,
}

impl Page {
	/// Page `number` of `items` (oldest first), newest first.
	pub fn of<T: Clone>(&self, items: &[T]) -> Vec<T> {
		let skip = self.number.saturating_sub(1).saturating_mul(self.size);
		items.iter().rev().skip(skip).take(self.size).cloned().collect()
	}
}

impl Client {
	/// Every event of the pallet in blocks `from..=to` (the latest finalized block if `to` is
	/// `None`), or only those touching `subject` (as patient, professional, author, reader,
	/// admin or actor; emergency events through their access). Reading old blocks needs an
	/// archive node.
	pub async fn history(
		&self,
		subject: Option<&AccountId>,
		from: u64,
		to: Option<u64>,
	) -> Result<Vec<HistoryEvent>> {
		self.events(&self.chain.state().await?, subject, from, to).await
	}

	/// [`Self::history`], up to `state`'s block at most, with the emergency accesses as
	/// `state` has them.
	async fn events(
		&self,
		state: &State,
		subject: Option<&AccountId>,
		from: u64,
		to: Option<u64>,
	) -> Result<Vec<HistoryEvent>> {
		let last = state.number();
		let to = to.unwrap_or(last).min(last);
		if from > to {
			return Err(Error::Input(format!(
				"the range {from}..{to} is empty (the latest finalized block is {last})"
			)));
		}
		let bar = ProgressBar::new(to - from + 1);
		let mut out = Vec::new();
		let mut emergencies = std::collections::HashMap::new();
		for block in from..=to {
			bar.inc(1);
			for (index, event) in self.chain.ehr_events(block).await? {
				let event = describe(block, index, event);
				let touches = match subject {
					None => true,
					Some(who) => {
						event.accounts.contains(who)
							|| match event.emergency {
								Some(id) => {
									if let std::collections::hash_map::Entry::Vacant(slot) =
										emergencies.entry(id)
									{
										slot.insert(state.emergency(id).await?);
									}
									emergencies.get(&id).and_then(|a| a.as_ref()).is_some_and(
										|a: &EmergencyAccess| {
											a.patient == *who || a.professional == *who
										},
									)
								},
								None => false,
							}
					},
				};
				if touches {
					out.push(event);
				}
			}
		}
		bar.finish_and_clear();
		Ok(out)
	}

	/// The dashboard: totals, and a page of the events of the last `blocks` blocks, all from
	/// one block's state.
	pub async fn stats(&self, blocks: u64, page: Page) -> Result<Stats> {
		if page.size == 0 || page.number == 0 {
			return Err(Error::Input("pages hold at least one event and count from 1".into()));
		}
		let state = self.chain.state().await?;
		let counts = state.counts().await?;
		let last = state.number();
		let from = last.saturating_sub(blocks.saturating_sub(1));
		let events = self.events(&state, None, from, Some(last)).await?;
		Ok(Stats {
			finalized_block: last,
			admins: counts.admins,
			professionals: counts.professionals,
			active_professionals: counts.active_professionals,
			patients: counts.patients,
			records: counts.records,
			emergency_accesses: counts.emergency_accesses,
			unreviewed_emergency_accesses: counts.unreviewed_emergency_accesses,
			difficulty: counts.difficulty,
			recent_blocks: (from, last),
			recent_total: events.len(),
			recent: page.of(&events),
			page,
		})
	}
}

#[cfg(test)]
mod tests {
	use super::Page;

	#[test]
	fn pages_count_from_the_newest() {
		let items: Vec<u32> = (1..=45).collect();
		assert_eq!(Page { size: 20, number: 1 }.of(&items), (26..=45).rev().collect::<Vec<_>>());
		assert_eq!(Page { size: 20, number: 3 }.of(&items), (1..=5).rev().collect::<Vec<_>>());
		assert!(Page { size: 20, number: 4 }.of(&items).is_empty());
	}
}
