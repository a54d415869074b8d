//! The patient's pages: its records, and who may read them ("my doctors"), with grant and
//! revoke.

use axum::{
	extract::{Query, State},
	response::{IntoResponse, Redirect, Response},
	Form,
};
use ehr_client::{chain::GrantScope, Error};
use maud::html;
use serde::Deserialize;

use super::{
	page::{account, frame, short, Failure, PageResult},
	Shared,
};

/// `GET /patient`: every entry of the patient's chain.
pub async fn records(State(app): Shared) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let patient = app.client.patient_of(&me.identity).await.map_err(fail)?;
	let entries = app.client.records(&patient).await.map_err(fail)?;
	let body = html! {
		p { a href={ "/records/" (patient) } { "Check your chain" } " · " a href={ "/profile/" (patient) } { "Your profile" } }
		p.note { "Your chain: every document written to your record, in order. Nobody can change or remove an entry; a correction is a new entry that amends an earlier one." }
		(super::records::entries_table(&patient, &entries))
	};
	Ok(frame(me, "My records", body))
}

/// A Unix time in milliseconds as a UTC date and time.
pub fn written(millis: u64) -> String {
	let secs = millis / 1000;
	let (days, rest) = (secs / 86_400, secs % 86_400);
	let (year, month, day) = civil_from_days(days as i64);
	format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", rest / 3600, rest % 3600 / 60)
}

/// A Unix time in milliseconds as a UTC date: for what the chain's block time only
/// estimates.
pub fn written_day(millis: u64) -> String {
	written(millis).get(..10).map_or_else(|| written(millis), |day| format!("about {day}"))
}

/// The proleptic Gregorian date of day `days` since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
	let z = days + 719_468;
	let era = z.div_euclid(146_097);
	let doe = z.rem_euclid(146_097);
	let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
	let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	let mp = (5 * doy + 2) / 153;
	let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
	let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
	let year = yoe + era * 400 + i64::from(month <= 2);
	(year, month, day)
}

/// What the doctors page is told after a change.
#[derive(Deserialize)]
pub struct DoctorsQuery {
	/// An emergency access whose key was released was just closed: the patient should move
	/// to a new record key.
	#[serde(default)]
	rotate: bool,
}

/// `GET /patient/doctors`: the professionals the patient granted, and a form to grant one more;
/// the emergency accesses to its records, open ones with a button that closes them.
pub async fn doctors(State(app): Shared, Query(query): Query<DoctorsQuery>) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let patient = app.client.patient_of(&me.identity).await.map_err(fail)?;
	let grants = app.client.my_doctors(&patient).await.map_err(fail)?;
	let professionals = app.client.professionals().await.map_err(fail)?;
	let patient_text = patient.to_string();
	let emergencies: Vec<_> = app
		.client
		.emergencies()
		.await
		.map_err(fail)?
		.into_iter()
		.filter(|e| e.patient == patient_text)
		.collect();
	let body = html! {
		@if query.rotate {
			p.refusal role="alert" { "The consortium had released your record key to that emergency access: move to a new key, so that what is written from now on is closed to it." }
			form.inline method="post" action="/patient/rotate" { button.danger type="submit" { "Move to a new record key" } }
		}
		table {
			thead { tr { th { "Professional" } th { "Access" } th { "Until" } th { "Since block" } th {} } }
			tbody {
				@for grant in &grants {
					tr {
						td { (grant.name.clone().unwrap_or_default()) " " code title=(grant.account) { (short(&grant.account)) } }
						td { (if grant.scope == "ReadWrite" { "read and write" } else { "read" }) }
						td { @match (grant.expires_at, grant.expires_around) { (Some(block), Some(at)) => { (written_day(at)) " " span.muted { "(block " (block) ")" } }, (Some(block), None) => { "block " (block) }, _ => "no end" } }
						td { (grant.granted_at) }
						td {
							@if grant.live {
								form.inline method="post" action="/patient/revoke" {
									input type="hidden" name="professional" value=(grant.account);
									button.danger type="submit" { "Revoke" }
								}
							} @else { span.muted { "ended" } }
						}
					}
				}
			}
		}
		h2 { "Grant access" }
		form.card method="post" action="/patient/grant" {
			label { "Professional"
				select name="professional" required {
					@for p in professionals.iter().filter(|p| p.status == "Active") {
						option value=(p.account) { (p.name) " — " (p.kind) ", " (p.organisation) }
					}
				}
			}
			label { "Access"
				select name="scope" {
					option value="read" { "read my records" }
					option value="write" { "read and add documents" }
				}
			}
			label { "For how many days (empty: until I revoke it)"
				input type="number" name="days" min="1" max="3650" inputmode="numeric";
			}
			button type="submit" { "Grant" }
		}
		p.note { "A revoke moves your later documents to a new key the revoked professional never gets; what it has already read, it keeps." }
		h2 { "Emergency accesses to your records" }
		@if emergencies.is_empty() { p.note { "Nobody has broken the glass on your records." } }
		@else {
			table {
				thead { tr { th { "#" } th { "Professional" } th { "Reason" } th { "Blocks" } th { "Key released" } th {} } }
				tbody {
					@for e in &emergencies {
						tr {
							td { (e.id) }
							td { code title=(e.professional) { (short(&e.professional)) } }
							td { (e.reason) }
							td { (e.opened_at) " to " (e.expires_at) }
							td { (if e.key_released { "yes" } else { "no" }) }
							td { @if e.open { (super::emergency::close_form(e.id)) } @else { span.muted { "ended" } } }
						}
					}
				}
			}
		}
	};
	Ok(frame(me, "My doctors", body))
}

/// The grant form.
#[derive(Deserialize)]
pub struct GrantForm {
	professional: String,
	scope: String,
	#[serde(default)]
	days: String,
}

impl GrantForm {
	/// The scope and the number of days, or why the form is not acceptable.
	fn check(&self) -> Result<(GrantScope, Option<u32>), Error> {
		let scope = match self.scope.as_str() {
			"read" => GrantScope::Read,
			"write" => GrantScope::ReadWrite,
			other => return Err(Error::Input(format!("`{other}` is no kind of access"))),
		};
		let days = match self.days.trim() {
			"" => None,
			text => match text.parse::<u32>() {
				Ok(days @ 1..=3650) => Some(days),
				_ => {
					return Err(Error::Input(format!(
						"`{text}` is not a number of days from 1 to 3650"
					)))
				},
			},
		};
		Ok((scope, days))
	}
}

/// `POST /patient/grant`.
pub async fn grant(State(app): Shared, Form(form): Form<GrantForm>) -> Response {
	let me = &app.me;
	let result = super::finish({
		let app = app.clone();
		async move {
			let (scope, days) = form.check()?;
			let professional = account(&form.professional)?;
			let expires_at = match days {
				Some(days) => Some(app.client.chain.state().await?.block_after_days(days)?),
				None => None,
			};
			app.client.grant(&app.me.identity, &professional, scope, expires_at).await
		}
	})
	.await;
	match result {
		Ok(_) => Redirect::to("/patient/doctors").into_response(),
		Err(e) => Failure::new(me, &e).into_response(),
	}
}

/// The revoke form.
#[derive(Deserialize)]
pub struct RevokeForm {
	professional: String,
}

/// `POST /patient/revoke`.
pub async fn revoke(State(app): Shared, Form(form): Form<RevokeForm>) -> Response {
	let me = &app.me;
	let result = super::finish({
		let app = app.clone();
		async move {
			let professional = account(&form.professional)?;
			app.client.revoke(&app.me.identity, &professional).await
		}
	})
	.await;
	match result {
		Ok(_) => Redirect::to("/patient/doctors").into_response(),
		Err(e) => Failure::new(me, &e).into_response(),
	}
}

/// `POST /patient/rotate`: moves the patient's record key to the next epoch, handing it to
/// every live grantee.
pub async fn rotate(State(app): Shared) -> Response {
	let result = super::finish({
		let app = app.clone();
		async move { app.client.rotate_key(&app.me.identity).await }
	})
	.await;
	match result {
		Ok(_) => Redirect::to("/patient/doctors").into_response(),
		Err(e) => Failure::new(&app.me, &e).into_response(),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dates_are_utc_calendar_dates() {
		assert_eq!(written(0), "1970-01-01 00:00 UTC");
		assert_eq!(written(1_795_741_320_000), "2026-11-27 01:02 UTC");
		assert_eq!(written(951_782_400_000), "2000-02-29 00:00 UTC");
		assert_eq!(written_day(1_795_741_320_000), "about 2026-11-27");
	}

	#[test]
	fn absurd_grants_are_refused_in_words() {
		let form = |scope: &str, days: &str| GrantForm {
			professional: String::new(),
			scope: scope.into(),
			days: days.into(),
		};
		assert!(matches!(form("read", "").check(), Ok((GrantScope::Read, None))));
		assert!(matches!(form("write", "30").check(), Ok((GrantScope::ReadWrite, Some(30)))));
		for days in ["0", "-3", "3651", "ten", "1.5"] {
			assert!(matches!(form("read", days).check(), Err(Error::Input(_))), "{days}");
		}
		assert!(matches!(form("admin", "").check(), Err(Error::Input(_))));
	}
}
