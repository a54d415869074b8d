//! The auditor's page: every event of the chain over a range of blocks, or those touching one
//! account, and its export as CSV.

use axum::{
	extract::{Query, State},
	http::header,
	response::{IntoResponse, Response},
};
use ehr_client::{audit::HistoryEvent, Error};
use maud::{html, Markup};
use serde::Deserialize;

use super::{
	page::{frame, Failure, PageResult},
	Shared,
};

/// The history's filters, as the form sends them.
#[derive(Deserialize, Default)]
pub struct Filters {
	#[serde(default)]
	account: String,
	#[serde(default)]
	from: String,
	#[serde(default)]
	to: String,
}

/// The most blocks one request reads: a longer range is asked for in parts.
const MAX_RANGE: u64 = 2_000;

impl Filters {
	/// The account and the range, or why the filters are not acceptable. The range defaults to
	/// the last 200 blocks.
	async fn check(
		&self,
		app: &super::App,
	) -> Result<(Option<ehr_client::chain::AccountId>, u64, u64), Error> {
		let account = match self.account.trim() {
			"" => None,
			text => Some(
				text.parse()
					.map_err(|_| Error::Input(format!("`{text}` is not an account (SS58)")))?,
			),
		};
		let last = app.client.chain.finalized_number().await?;
		let block = |text: &str, default: u64| match text.trim() {
			"" => Ok(default),
			text => text
				.parse::<u64>()
				.map_err(|_| Error::Input(format!("`{text}` is not a block number"))),
		};
		let to = block(&self.to, last)?.min(last);
		let from = block(&self.from, to.saturating_sub(199).max(1))?;
		if from > to {
			return Err(Error::Input(format!("block {from} comes after block {to}")));
		}
		if to - from >= MAX_RANGE {
			return Err(Error::Input(format!(
				"{} blocks is more than {MAX_RANGE} at once: ask for a shorter range",
				to - from + 1
			)));
		}
		Ok((account, from, to))
	}
}

/// The events as a table.
pub fn events_table(events: &[HistoryEvent]) -> Markup {
	html! {
		table.events {
			thead { tr { th { "Block" } th { "Event" } th { "Details" } } }
			tbody {
				@for event in events {
					tr {
						td { (event.block) }
						td { (event.event) }
						td {
							@for (name, value) in &event.fields {
								span.field { span.muted { (name) "=" } code { (value) } " " }
							}
						}
					}
				}
			}
		}
	}
}

/// `GET /audit`: the filter form and the events it selects.
pub async fn history(State(app): Shared, Query(filters): Query<Filters>) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let (account, from, to) = filters.check(&app).await.map_err(fail)?;
	let events = app.client.history(account.as_ref(), from, Some(to)).await.map_err(fail)?;
	let export = format!(
		"/audit/export.csv?account={}&from={from}&to={to}",
		account.map(|a| a.to_string()).unwrap_or_default()
	);
	let body = html! {
		form.card method="get" action="/audit" {
			label { "Account (empty: every event)" input type="text" name="account" value=(filters.account); }
			label { "From block" input type="number" name="from" min="1" value=(from); }
			label { "To block" input type="number" name="to" min="1" value=(to); }
			button type="submit" { "Show" }
		}
		p.note { (events.len()) " events in blocks " (from) " to " (to) ". " a href=(export) download="ehr-history.csv" { "Export as CSV" } }
		(events_table(&events))
	};
	Ok(frame(me, "History", body))
}

/// `GET /audit/export.csv`: the same events as CSV, the way `ehr history --format csv` writes
/// them.
pub async fn export(State(app): Shared, Query(filters): Query<Filters>) -> Response {
	let me = &app.me;
	let result = async {
		let (account, from, to) = filters.check(&app).await?;
		let events = app.client.history(account.as_ref(), from, Some(to)).await?;
		crate::cli::output::history_csv(&events).map_err(|e| Error::Input(e.to_string()))
	}
	.await;
	match result {
		Ok(csv) => (
			[
				(header::CONTENT_TYPE, "text/csv; charset=utf-8"),
				(header::CONTENT_DISPOSITION, "attachment; filename=\"ehr-history.csv\""),
			],
			csv,
		)
			.into_response(),
		Err(e) => Failure::new(me, &e).into_response(),
	}
}
