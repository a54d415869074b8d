//! The chat about a patient: the thread the user sent or received, and a form that seals a new
//! message to the people chosen (the same library calls as `ehr message`).

use axum::{
	extract::{Path, State},
	response::{IntoResponse, Redirect, Response},
	Form,
};
use ehr_client::{chain::AccountId, Error};
use maud::html;

use super::{
	page::{account, frame, short, Failure, PageResult},
	patient::written,
	Shared,
};

/// `GET /messages`: a patient's own thread; for a professional, the patients it may write
/// about.
pub async fn index(State(app): Shared) -> Result<Response, Failure> {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	if me.roles().patient {
		let patient = app.client.patient_of(&me.identity).await.map_err(fail)?;
		return Ok(Redirect::to(&format!("/messages/{patient}")).into_response());
	}
	let mine = app.client.my_patients(&me.account).await.map_err(fail)?;
	let body = html! {
		@if mine.iter().all(|g| !g.live) {
			p.note { "No patient has granted you access: you write about the patients whose records you may read." }
		}
		ul {
			@for grant in mine.iter().filter(|g| g.live) {
				li { a href={ "/messages/" (grant.account) } { "Patient " code title=(grant.account) { (short(&grant.account)) } } }
			}
		}
	};
	Ok(frame(me, "Messages", body).into_response())
}

/// `GET /messages/{patient}`: the thread about the patient, and the form to write.
pub async fn thread(State(app): Shared, Path(patient): Path<String>) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let patient = account(&patient).map_err(fail)?;
	let messages = app.client.messages(&me.identity, &patient).await.map_err(fail)?;
	let parties = app.client.message_parties(&me.account, &patient).await.map_err(fail)?;
	let mine = me.account.to_string();
	let body = html! {
		p { "About patient " code title=(patient) { (short(&patient.to_string())) } ". "
			span.muted { "Sealed to each recipient's key and signed by its sender; the chain holds only who wrote to whom, and when." } }
		@if messages.is_empty() { p.note { "No messages yet." } }
		ol.thread {
			@for m in &messages {
				li.message.mine[m.from == mine] {
					p.meta {
						strong { (m.from_name) } " "
						@if let Some(at) = m.sent_at { span.muted { (written(at)) } } " "
						span.muted { "block " (m.block) " · to " (m.to.iter().map(|a| short(a)).collect::<Vec<_>>().join(", ")) }
					}
					@match (&m.text, &m.problem) {
						(Some(text), _) => p.text { (text) },
						(None, Some(problem)) => p.refusal { "This message cannot be read: " (problem) },
						(None, None) => {},
					}
				}
			}
		}
		h2 { "Write" }
		@if parties.is_empty() {
			p.note { "Nobody else may read this patient's records, so there is nobody to write to." }
		} @else {
			form.card method="post" action={ "/messages/" (patient) } {
				fieldset {
					legend { "To" }
					@for party in &parties {
						label.check { input type="checkbox" name="to" value=(party.account) checked[parties.len() == 1]; " " (party.name) " " code { (short(&party.account)) } }
					}
				}
				label { "Message" textarea name="text" rows="4" maxlength="16384" required {} }
				button type="submit" { "Seal and send" }
			}
		}
	};
	Ok(frame(me, "Messages", body))
}

/// The message form: `to` repeated, once per recipient chosen, and `text`.
fn check(form: &[(String, String)]) -> Result<(Vec<AccountId>, String), Error> {
	let mut to = Vec::new();
	let mut text = None;
	for (name, value) in form {
		match name.as_str() {
			"to" => to.push(account(value)?),
			"text" => text = Some(value.clone()),
			_ => {},
		}
	}
	if to.is_empty() {
		return Err(Error::Input("choose at least one person to write to".into()));
	}
	let text = text.filter(|t| !t.trim().is_empty());
	let text = text.ok_or_else(|| Error::Input("the message is empty".into()))?;
	Ok((to, text))
}

/// `POST /messages/{patient}`.
pub async fn send(
	State(app): Shared,
	Path(patient): Path<String>,
	Form(form): Form<Vec<(String, String)>>,
) -> Response {
	let me = &app.me;
	let result = super::finish({
		let app = app.clone();
		async move {
			let patient = account(&patient)?;
			let (to, text) = check(&form)?;
			app.client.send_message(&app.me.identity, &patient, &to, &text).await?;
			Ok(patient)
		}
	})
	.await;
	match result {
		Ok(patient) => Redirect::to(&format!("/messages/{patient}")).into_response(),
		Err(e) => Failure::new(me, &e).into_response(),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_message_needs_recipients_and_text() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".to_string();
		let pair = |n: &str, v: &str| (n.to_string(), v.to_string());
		let ok = check(&[pair("to", &alice), pair("text", "hello")]).unwrap();
		assert_eq!((ok.0.len(), ok.1.as_str()), (1, "hello"));
		for form in [
			vec![pair("text", "hello")],
			vec![pair("to", &alice), pair("text", "   ")],
			vec![pair("to", &alice)],
			vec![pair("to", "not an account"), pair("text", "hello")],
		] {
			assert!(matches!(check(&form), Err(Error::Input(_))), "{form:?}");
		}
	}
}
