//! A patient's documents, for the patient and the professionals it granted: the list, one
//! document shown (its read logged on chain first), the chain's check, and a form that adds a
//! document.

use axum::{
	body::Bytes,
	extract::{Multipart, Path, State},
	http::header,
	response::{IntoResponse, Redirect, Response},
};
use clap::ValueEnum;
use ehr_client::{chain::AccountId, views::EntryView, Error};
use maud::{html, Markup};

use super::{
	page::{account, frame, short, Failure, PageResult},
	patient::written,
	Shared,
};
use crate::cli::parse::Kind;

/// `GET /records/{patient}`: the patient's entries, the chain's check, and (for professionals)
/// the form to add a document.
pub async fn list(State(app): Shared, Path(patient): Path<String>) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let patient = account(&patient).map_err(fail)?;
	let entries = app.client.records(&patient).await.map_err(fail)?;
	let emergencies = match me.roles().professional {
		true => app.client.emergencies().await.map_err(fail)?,
		false => Vec::new(),
	};
	let body = html! {
		p { "Patient " code { (patient.to_string()) } " · " a href={ "/messages/" (patient) } { "Messages" } " · " a href={ "/profile/" (patient) } { "Profile" } }
		(entries_table(&patient, &entries))
		form.inline method="post" action={ "/records/" (patient) "/verify" } {
			button type="submit" { "Check the chain and its copies" }
		}
		@if me.roles().professional {
			p { a href={ "/records/" (patient) "/prescribe" } { "Write a prescription" } }
			h2 { "Add a document" }
			form.card method="post" action={ "/records/" (patient) "/add" } enctype="multipart/form-data" {
				label { "Kind"
					select name="kind" {
						@for kind in Kind::value_variants() {
							@if let Some(value) = kind.to_possible_value() { option value=(value.get_name()) { (value.get_name()) } }
						}
					}
				}
				label { "File" input type="file" name="file" required; }
				button type="submit" { "Encrypt, store and record" }
			}
			(super::emergency::section(me, &patient, &emergencies))
		}
	};
	Ok(frame(me, "Documents", body))
}

/// A patient's chain as a table, every entry but the genesis one with a link that opens it.
pub fn entries_table(patient: &AccountId, entries: &[EntryView]) -> Markup {
	html! {
		table {
			thead { tr { th { "#" } th { "Kind" } th { "Author" } th { "Written" } th { "Block" } th { "Amends" } th {} } }
			tbody {
				@for entry in entries {
					tr {
						td { (entry.index) }
						td { (entry.kind) }
						td { code title=(entry.author) { (short(&entry.author)) } " " span.muted { (entry.specialty) } }
						td { (written(entry.timestamp)) }
						td { (entry.block) }
						td { @if let Some(amended) = entry.amends { (amended) } }
						td { @if entry.index > 0 { a href={ "/records/" (patient) "/" (entry.index) } { "Open" } } }
					}
				}
			}
		}
	}
}

/// `GET /records/{patient}/{index}`: one document, shown in the page when the browser can.
pub async fn show(State(app): Shared, Path((patient, index)): Path<(String, u32)>) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let patient = account(&patient).map_err(fail)?;
	let entries = app.client.records(&patient).await.map_err(fail)?;
	let entry = entries
		.iter()
		.find(|e| e.index == index && index > 0)
		.ok_or_else(|| fail(Error::NotFound(format!("{patient} has no document {index}"))))?;
	let file = format!("/records/{patient}/{index}/file");
	let body = html! {
		p { (entry.kind) " by " code title=(entry.author) { (short(&entry.author)) } ", " (written(entry.timestamp)) ", block " (entry.block) "." }
		p.note { "Opening it logs your read on the chain first: it takes a few seconds." }
		p { a href=(file) target="_blank" { "Open the document" } }
		iframe.document src=(file) title="The document" {}
	};
	Ok(frame(me, &format!("Document {index}"), body))
}

/// What a document's first bytes say it is: its content type, and whether a browser shows it.
fn content_type(bytes: &[u8]) -> (&'static str, bool) {
	if bytes.starts_with(b"%PDF-") {
		("application/pdf", true)
	} else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
		("image/png", true)
	} else if bytes.starts_with(b"\xff\xd8\xff") {
		("image/jpeg", true)
	} else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
		("image/gif", true)
	} else if std::str::from_utf8(bytes).is_ok() {
		("text/plain; charset=utf-8", true)
	} else {
		("application/octet-stream", false)
	}
}

/// `GET /records/{patient}/{index}/file`: the document itself, decrypted after its read is
/// logged on chain. Served as data (never as a page of this application): images, PDFs and
/// text inline, anything else as a download.
pub async fn file(State(app): Shared, Path((patient, index)): Path<(String, u32)>) -> Response {
	let me = &app.me;
	let result = async {
		let patient = account(&patient)?;
		let dir = tempfile::tempdir()?;
		let out = dir.path().join("document");
		app.client.read_document(&me.identity, &patient, index, &out, false).await?;
		Ok::<_, Error>(tokio::fs::read(&out).await?)
	}
	.await;
	match result {
		Ok(bytes) => {
			let (kind, inline) = content_type(&bytes);
			// Whatever the document holds runs nothing in this application's origin: a PDF
			// needs the browser's viewer, anything else is sandboxed outright.
			let policy = if kind == "application/pdf" {
				"default-src 'none'; object-src 'self'; frame-ancestors 'self'"
			} else {
				"sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
			};
			let disposition = if inline {
				format!("inline; filename=\"document-{index}\"")
			} else {
				format!("attachment; filename=\"document-{index}\"")
			};
			(
				[
					(header::CONTENT_TYPE, kind.to_string()),
					(header::CONTENT_DISPOSITION, disposition),
					(header::CONTENT_SECURITY_POLICY, policy.to_string()),
				],
				Bytes::from(bytes),
			)
				.into_response()
		},
		Err(e) => Failure::new(me, &e).into_response(),
	}
}

/// `POST /records/{patient}/verify`: the chain checked, with every copy of its documents.
pub async fn verify(State(app): Shared, Path(patient): Path<String>) -> PageResult {
	let me = &app.me;
	let fail = |e: Error| Failure::new(me, &e);
	let patient = account(&patient).map_err(fail)?;
	let report = app.client.verify(&patient, Some(&me.identity)).await.map_err(fail)?;
	let body = html! {
		@if report.ok() {
			p.done { "The chain verifies: " (report.entries) " entries, " (report.documents) " documents, " (report.documents_decrypted) " of them opened and matched." }
		} @else {
			p.refusal role="alert" {
				"The chain does not verify"
				@if let Some(bad) = &report.first_bad { " at entry " (bad.index) ": " (bad.reason) }
				@if let Some(profile) = &report.profile_error { " (profile: " (profile) ")" }
			}
		}
		@if let Some(why) = &report.not_decrypted { p.note { (why) } }
		@for repair in &report.repaired {
			p { "Copy of " @if let Some(index) = repair.index { "document " (index) } @else { "the profile" } " in " (repair.store) ": " (format!("{:?}", repair.state)) }
		}
		p { a href={ "/records/" (patient) } { "Back to the documents" } }
	};
	Ok(frame(me, "Chain check", body))
}

/// `POST /records/{patient}/add`: a document uploaded, encrypted, stored and recorded.
pub async fn add(State(app): Shared, Path(patient): Path<String>, mut form: Multipart) -> Response {
	let me = &app.me;
	let result = async {
		let patient = account(&patient)?;
		let dir = tempfile::tempdir()?;
		let (mut kind, mut file) = (None, None);
		while let Some(mut field) = form
			.next_field()
			.await
			.map_err(|e| Error::Input(format!("the upload broke off: {e}")))?
		{
			match field.name() {
				Some("kind") => {
					let text = field.text().await.map_err(|e| Error::Input(e.to_string()))?;
					kind =
						Some(Kind::from_str(&text, true).map_err(|_| {
							Error::Input(format!("`{text}` is no kind of document"))
						})?);
				},
				Some("file") => {
					let path = dir.path().join("upload");
					let mut out = tokio::fs::File::create(&path).await?;
					let (mut size, limit) = (0u64, app.client.settings.max_document_bytes);
					while let Some(chunk) = field
						.chunk()
						.await
						.map_err(|e| Error::Input(format!("the upload broke off: {e}")))?
					{
						size += chunk.len() as u64;
						if size > limit {
							return Err(Error::FileTooLarge {
								path: "the upload".into(),
								size,
								limit,
							});
						}
						tokio::io::AsyncWriteExt::write_all(&mut out, &chunk).await?;
					}
					if size == 0 {
						return Err(Error::Input("choose a file to add".into()));
					}
					file = Some(path);
				},
				_ => {},
			}
		}
		let kind = kind.ok_or_else(|| Error::Input("say what kind of document it is".into()))?;
		let file = file.ok_or_else(|| Error::Input("choose a file to add".into()))?;
		// The upload is in; storing and recording it goes on if the browser stops waiting.
		let app = app.clone();
		super::finish(async move {
			let added = app
				.client
				.add_documents(&app.me.identity, &patient, &[(file, kind.into())], None)
				.await;
			drop(dir);
			added.map(|_| patient)
		})
		.await
	}
	.await;
	match result {
		Ok(patient) => Redirect::to(&format!("/records/{patient}")).into_response(),
		Err(e) => Failure::new(me, &e).into_response(),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn documents_are_served_as_what_they_are() {
		assert_eq!(content_type(b"%PDF-1.7\n..."), ("application/pdf", true));
		assert_eq!(content_type(b"\x89PNG\r\n\x1a\n...."), ("image/png", true));
		assert_eq!(content_type(b"Follow-up in two weeks."), ("text/plain; charset=utf-8", true));
		// HTML is text here: served as text/plain with nosniff, it never runs as a page.
		assert_eq!(content_type(b"<script>alert(1)</script>"), ("text/plain; charset=utf-8", true));
		assert_eq!(content_type(&[0, 159, 146, 150]), ("application/octet-stream", false));
	}
}
