//! The professional's pages: the dashboard (the consortium's totals and the latest activity)
//! and its patients.

use axum::extract::{Query, State};
use ehr_client::{audit::Page, Error};
use maud::html;
use serde::Deserialize;

use super::{
	audit::events_table,
	page::{frame, short, Failure, PageResult},
	patient::written_day,
	Shared,
};

/// Which page of the latest events the dashboard shows.
#[derive(Deserialize)]
pub struct DashboardQuery {
	#[serde(default = "first")]
	page: usize,
}

fn first() -> usize {
	1
}

/// `GET /professional`: the totals and a page of the events of the last 100 blocks.
pub async fn dashboard(State(app): Shared, Query(query): Query<DashboardQuery>) -> PageResult {
	let me = &app.me;
	let page = Page { size: 15, number: query.page.max(1) };
	let stats = app.client.stats(100, page).await.map_err(|e| Failure::new(me, &e))?;
	let pages = stats.recent_total.div_ceil(page.size).max(1);
	let body = html! {
		div.stats {
			div { strong { (stats.active_professionals) } "active professionals" }
			div { strong { (stats.patients) } "patients" }
			div { strong { (stats.records) } "record entries" }
			div { strong { (stats.emergency_accesses) } "emergency accesses" }
			div { strong { (stats.unreviewed_emergency_accesses) } "awaiting review" }
			div { strong { (stats.finalized_block) } "latest final block" }
		}
		h2 { "Recent activity" }
		p.note { (stats.recent_total) " events in blocks " (stats.recent_blocks.0) " to " (stats.recent_blocks.1) ", newest first." }
		(events_table(&stats.recent))
		p {
			@if page.number > 1 { a href={ "/professional?page=" (page.number - 1) } { "Newer" } " " }
			"Page " (page.number) " of " (pages)
			@if page.number < pages { " " a href={ "/professional?page=" (page.number + 1) } { "Older" } }
		}
	};
	Ok(frame(me, "Dashboard", body))
}

/// `GET /professional/patients`: the patients who granted this professional ("my patients"),
/// then every patient of the consortium.
pub async fn patients(State(app): Shared) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let mine = app.client.my_patients(&me.account).await.map_err(fail)?;
	let all = app.client.patients().await.map_err(fail)?;
	let body = html! {
		h2 { "My patients" }
		@if mine.is_empty() {
			p.note { "No patient has granted you access yet." }
		} @else {
			table {
				thead { tr { th { "Patient" } th { "Access" } th { "Until" } th { "Live" } th {} } }
				tbody {
					@for grant in &mine {
						tr {
							td { a href={ "/records/" (grant.account) } { code title=(grant.account) { (short(&grant.account)) } } }
							td { (if grant.scope == "ReadWrite" { "read and write" } else { "read" }) }
							td { @match (grant.expires_at, grant.expires_around) { (Some(block), Some(at)) => { (written_day(at)) " " span.muted { "(block " (block) ")" } }, (Some(block), None) => { "block " (block) }, _ => "no end" } }
							td { (if grant.live { "yes" } else { "no" }) }
							td { @if grant.live { a href={ "/messages/" (grant.account) } { "Messages" } } }
						}
					}
				}
			}
		}
		h2 { "All patients" }
		table {
			thead { tr { th { "Patient" } th { "Registered by" } th { "Block" } th { "Entries" } } }
			tbody {
				@for patient in &all {
					tr {
						td { code title=(patient.account) { (short(&patient.account)) } }
						td { code title=(patient.registered_by) { (short(&patient.registered_by)) } }
						td { (patient.registered_at) }
						td { (patient.records) }
					}
				}
			}
		}
	};
	Ok(frame(me, "Patients", body))
}
