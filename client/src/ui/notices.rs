//! Live notifications: one task follows the finalized blocks for as long as the application
//! runs and turns every event that touches the user (a grant or revoke, a new document, a read
//! of its record, an emergency access, a message) into a notice; pages receive them as
//! server-sent events (`GET /notices`), and the script shows them at the top of the page.

use std::{
	collections::{HashMap, VecDeque},
	convert::Infallible,
	sync::Arc,
	time::Duration,
};

use axum::{
	extract::{Query, State},
	response::sse::{Event, KeepAlive, Sse},
};
use ehr_client::{audit::HistoryEvent, chain::AccountId};
use futures::Stream;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::{page::short, App, Shared};

/// Notices kept for pages that open after they were made.
const KEPT: usize = 64;
/// How often the follower asks the node for a new finalized block.
const POLL: Duration = Duration::from_secs(2);

/// One notice.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
	/// Its number, counting from 1 since the application started.
	pub id: u64,
	/// The block it comes from.
	pub block: u64,
	/// What happened, in words.
	pub text: String,
	/// The page to see it on.
	pub link: Option<String>,
}

/// The notices made so far and the channel new ones go out on.
pub struct Notices {
	kept: std::sync::Mutex<VecDeque<Notice>>,
	sender: broadcast::Sender<Notice>,
}

impl Notices {
	/// No notices yet.
	pub fn new() -> Self {
		Self { kept: std::sync::Mutex::new(VecDeque::new()), sender: broadcast::channel(KEPT).0 }
	}

	/// The number of the latest notice (0 for none): a page shows only those after it.
	pub fn last_id(&self) -> u64 {
		self.kept.lock().unwrap_or_else(|p| p.into_inner()).back().map_or(0, |n| n.id)
	}

	fn push(&self, block: u64, text: String, link: Option<String>) {
		let notice = {
			let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
			let id = kept.back().map_or(0, |n| n.id) + 1;
			let notice = Notice { id, block, text, link };
			if kept.len() == KEPT {
				kept.pop_front();
			}
			kept.push_back(notice.clone());
			notice
		};
		// Nobody listening is fine: the notice is kept for the next page.
		let _ = self.sender.send(notice);
	}

	fn since(&self, id: u64) -> Vec<Notice> {
		let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
		kept.iter().filter(|n| n.id > id).cloned().collect()
	}
}

/// Follows the finalized blocks from the latest one on, for as long as the application runs.
/// A failed read is tried again at the next poll, from the same block.
pub async fn follow(app: Arc<App>) {
	let mut subjects = vec![app.me.account];
	if app.me.roles().patient {
		if let Ok(patient) = app.client.patient_of(&app.me.identity).await {
			if patient != app.me.account {
				subjects.push(patient);
			}
		}
	}
	let mut names = HashMap::new();
	let mut done = loop {
		match app.client.chain.finalized_number().await {
			Ok(number) => break number,
			Err(_) => tokio::time::sleep(POLL).await,
		}
	};
	loop {
		tokio::time::sleep(POLL).await;
		let Ok(last) = app.client.chain.finalized_number().await else { continue };
		if last <= done {
			continue;
		}
		let Ok(events) = app.client.notices(&subjects, done + 1, last).await else { continue };
		for event in &events {
			for account in event.fields.iter().filter(|(name, _)| PEOPLE.contains(&name.as_str())) {
				if !names.contains_key(&account.1) {
					let name = professional_name(&app, &account.1).await;
					names.insert(account.1.clone(), name);
				}
			}
			if let Some((text, link)) = describe(event, &app.me.account, &names) {
				app.notices.push(event.block, text, link);
			}
		}
		done = last;
	}
}

/// The fields of the pallet's events that name a professional (or the patient, as a sender).
const PEOPLE: [&str; 4] = ["professional", "author", "reader", "from"];

/// How notices name `account`: its display name if it is a professional; else its short form.
async fn professional_name(app: &App, account: &str) -> String {
	let Ok(who) = account.parse::<AccountId>() else { return short(account) };
	let professional = match app.client.chain.state().await {
		Ok(state) => state.professional(&who).await.ok().flatten(),
		Err(_) => None,
	};
	match professional {
		Some(p) => String::from_utf8_lossy(&p.display_name.0).into_owned(),
		None => short(account),
	}
}

fn field<'a>(event: &'a HistoryEvent, name: &str) -> &'a str {
	event.fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
}

/// A notice's text and page for `event`, seen by `me`; `None` for what the user needs no
/// telling about: its own documents, reads and messages, and messages it is not sent (between
/// professionals about it, as a patient).
fn describe(
	event: &HistoryEvent,
	me: &AccountId,
	names: &HashMap<String, String>,
) -> Option<(String, Option<String>)> {
	let me = me.to_string();
	let who = |name: &str| {
		let account = field(event, name);
		match names.get(account) {
			_ if account == me => "you".to_string(),
			Some(name) => name.clone(),
			None => short(account),
		}
	};
	let patient = field(event, "patient");
	let records = Some(format!("/records/{patient}"));
	let (text, link) = match event.event.as_str() {
		"AccessGranted" => {
			(format!("{} granted {} access", who("patient"), who("professional")), records)
		},
		"AccessRevoked" => {
			(format!("{} revoked the access of {}", who("patient"), who("professional")), records)
		},
		"RecordAdded" if field(event, "author") != me => (
			format!(
				"{} added document {} to the record of {}",
				who("author"),
				field(event, "index"),
				who("patient")
			),
			Some(format!("/records/{patient}/{}", field(event, "index"))),
		),
		"RecordAccessed" if field(event, "reader") != me => (
			format!(
				"{} read document {} of {}",
				who("reader"),
				field(event, "index"),
				who("patient")
			),
			records,
		),
		"ProfileAccessed" if field(event, "reader") != me => {
			(format!("{} read the profile of {}", who("reader"), who("patient")), records)
		},
		"EmergencyAccessOpened" => (
			format!(
				"Emergency access {} opened by {} on the records of {}",
				field(event, "id"),
				who("professional"),
				who("patient")
			),
			records,
		),
		"EmergencyAccessClosed" => {
			(format!("Emergency access {} was closed", field(event, "id")), None)
		},
		"EmergencyKeyReleased" => (
			format!("The consortium released the key of emergency access {}", field(event, "id")),
			None,
		),
		"EmergencyAccessReviewed" => (
			format!(
				"Emergency access {} was reviewed: {}",
				field(event, "id"),
				field(event, "outcome")
			),
			None,
		),
		"MessagePosted" if field(event, "from") != me && field(event, "to").contains(&me) => (
			format!("New message from {} about {}", who("from"), who("patient")),
			Some(format!("/messages/{patient}")),
		),
		"RecordAdded" | "RecordAccessed" | "ProfileAccessed" | "MessagePosted" => return None,
		other => (format!("{other} in block {}", event.block), None),
	};
	Some((text, link))
}

/// Where a page's stream starts: after the last notice the user saw (the script remembers it
/// from page to page), or from now.
#[derive(Deserialize)]
pub struct Since {
	since: Option<u64>,
}

/// `GET /notices?since=N`: the notices after `N` (none without it), then each new one as it is
/// made.
pub async fn stream(
	State(app): Shared,
	Query(Since { since }): Query<Since>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
	let receiver = app.notices.sender.subscribe();
	// A number beyond the latest notice comes from an earlier run of the application (its
	// notices count from 1 again): from now, then.
	let last_id = app.notices.last_id();
	let since = since.filter(|since| *since <= last_id).unwrap_or(last_id);
	let backlog = app.notices.since(since);
	let last = backlog.last().map_or(since, |n| n.id);
	let live = futures::stream::unfold((receiver, last), |(mut receiver, last)| async move {
		loop {
			match receiver.recv().await {
				Ok(notice) if notice.id > last => {
					return Some((notice.clone(), (receiver, notice.id)))
				},
				Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
				Err(broadcast::error::RecvError::Closed) => return None,
			}
		}
	});
	let notices = futures::StreamExt::chain(futures::stream::iter(backlog), live);
	let notices = futures::StreamExt::map(notices, |notice| {
		let data = serde_json::to_string(&notice).unwrap_or_default();
		Ok(Event::default().event("notice").id(notice.id.to_string()).data(data))
	});
	// First, where the stream starts: the script carries it to the next page.
	let start = Ok(Event::default().event("start").data(since.to_string()));
	let events = futures::StreamExt::chain(futures::stream::iter([start]), notices);
	Sse::new(events).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn notices_are_numbered_kept_and_replayed_after_a_given_one() {
		let notices = Notices::new();
		assert_eq!(notices.last_id(), 0);
		for block in 1..=(KEPT as u64 + 3) {
			notices.push(block, format!("block {block}"), None);
		}
		assert_eq!(notices.last_id(), KEPT as u64 + 3);
		let since = notices.since(KEPT as u64);
		assert_eq!(since.iter().map(|n| n.id).collect::<Vec<_>>(), vec![65, 66, 67]);
		assert_eq!(notices.since(0).len(), KEPT, "only the latest are kept");
	}
}
