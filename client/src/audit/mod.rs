//! What an auditor reads: every event of the EHR pallet over a range of blocks, or those
//! touching one account, and the dashboard's totals.

mod describe;
mod events;

use indicatif::ProgressBar;
use serde::Serialize;

use crate::{
	chain::{AccountId, EmergencyAccess},
	client::Client,
	state::State,
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
		let subjects: Vec<AccountId> = subject.into_iter().copied().collect();
		let bar = ProgressBar::new(0);
		self.events(&self.chain.state().await?, &subjects, from, to, &bar).await
	}

	/// The events of blocks `from..=to` that touch any of `subjects`, as [`Self::history`]
	/// finds them, without a progress bar: for notifications that follow the chain.
	pub async fn notices(
		&self,
		subjects: &[AccountId],
		from: u64,
		to: u64,
	) -> Result<Vec<HistoryEvent>> {
		let state = self.chain.state().await?;
		self.events(&state, subjects, from, Some(to), &ProgressBar::hidden()).await
	}

	/// The events of blocks `from..=to` touching any of `subjects` (all of them for none), up
	/// to `state`'s block at most, with the emergency accesses as `state` has them; `bar` shows
	/// the blocks read.
	async fn events(
		&self,
		state: &State,
		subjects: &[AccountId],
		from: u64,
		to: Option<u64>,
		bar: &ProgressBar,
	) -> Result<Vec<HistoryEvent>> {
		let last = state.number();
		let to = to.unwrap_or(last).min(last);
		if from > to {
			return Err(Error::Input(format!(
				"the range {from}..{to} is empty (the latest finalized block is {last})"
			)));
		}
		bar.set_length(to - from + 1);
		let mut out = Vec::new();
		let mut emergencies = std::collections::HashMap::new();
		for block in from..=to {
			bar.inc(1);
			for (event_index, name, fields) in self.chain.ehr_events(block).await? {
				let described = describe::describe(&name, fields);
				let event = HistoryEvent {
					block,
					event_index,
					event: name,
					fields: described.fields,
					accounts: described.accounts,
					emergency: described.emergency,
				};
				let mut touches =
					subjects.is_empty() || subjects.iter().any(|who| event.accounts.contains(who));
				if let (false, Some(id)) = (touches, event.emergency) {
					if let std::collections::hash_map::Entry::Vacant(slot) = emergencies.entry(id) {
						slot.insert(state.emergency(id).await?);
					}
					touches = emergencies.get(&id).and_then(|a| a.as_ref()).is_some_and(
						|a: &EmergencyAccess| {
							subjects.iter().any(|who| a.patient == *who || a.professional == *who)
						},
					);
				}
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
		let events = self.events(&state, &[], from, Some(last), &ProgressBar::new(0)).await?;
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
