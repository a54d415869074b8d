//! `ehr ui`: the web application, served by the user's own `ehr` on this machine only. The key
//! it acts with is unlocked in the terminal at launch and stays in this process; the pages call
//! the same library operations as the `ehr` commands, and [`guard`] decides which requests reach
//! them.

use std::{net::SocketAddr, sync::Arc};

use axum::{
	extract::DefaultBodyLimit,
	http::{header, HeaderValue},
	middleware,
	response::IntoResponse,
	routing::{get, post},
	Router,
};
use ehr_client::{chain::AccountId, keys::Identity, member::Roles, Client};

mod admin;
mod audit;
mod emergency;
mod guard;
mod home;
mod hospital;
mod messages;
mod notices;
mod page;
mod patient;
mod peer;
mod prescribe;
mod professional;
mod profile;
mod records;

/// The account the application acts as.
pub struct Me {
	/// Its key, unlocked at launch.
	pub identity: Identity,
	/// Its account.
	pub account: AccountId,
	/// The roles it acts in, as last read (at launch, and on every visit of the home page).
	roles: std::sync::RwLock<Roles>,
	/// The name it was unlocked by (a keystore name or `//Dev`).
	pub name: String,
}

impl Me {
	/// The roles it acts in, as last read.
	pub fn roles(&self) -> Roles {
		*self.roles.read().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	/// Reads its roles again from the chain (a registration or a suspension changes them).
	pub async fn refresh_roles(&self, client: &Client) -> ehr_client::Result<Roles> {
		let roles = client.roles(&self.account).await?;
		*self.roles.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = roles;
		Ok(roles)
	}

	/// How the header shows it.
	pub fn label(&self) -> String {
		format!("{} ({})", self.name, page::short(&self.account.to_string()))
	}
}

/// What every request handler shares.
pub struct App {
	/// The connected client.
	pub client: Client,
	/// The account acted as.
	pub me: Me,
	secrets: guard::Secrets,
	/// What happened to the user since the application started.
	notices: notices::Notices,
	/// Where it listens.
	address: SocketAddr,
}

/// Runs `work` to its end even if the browser stops waiting for the answer (the user navigates
/// away while the chain finalizes a transaction): a change sent is followed through, and its
/// result shows in the pages.
pub async fn finish<T, W>(work: W) -> ehr_client::Result<T>
where
	W: std::future::Future<Output = ehr_client::Result<T>> + Send + 'static,
	T: Send + 'static,
{
	tokio::spawn(work)
		.await
		.map_err(|e| ehr_client::Error::Chain(format!("the operation stopped: {e}")))?
}

/// The shared state as handlers take it.
pub type Shared = axum::extract::State<Arc<App>>;

/// The stylesheet and the script, embedded in the binary.
const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
	([(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], body)
}

/// The application's routes, behind the guard.
fn router(app: Arc<App>) -> Router {
	Router::new()
		.route("/", get(home::page))
		.route("/open", get(home::page))
		.route("/assets/style.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
		.route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
		.route("/patient", get(patient::records))
		.route("/patient/doctors", get(patient::doctors))
		.route("/patient/grant", post(patient::grant))
		.route("/patient/revoke", post(patient::revoke))
		.route("/patient/rotate", post(patient::rotate))
		.route("/profile", post(profile::set))
		.route("/profile/{patient}", get(profile::show))
		.route("/professional", get(professional::dashboard))
		.route("/professional/patients", get(professional::patients))
		.route("/admin", get(admin::page))
		.route("/admin/register", post(admin::register))
		.route("/admin/professional/{action}", post(admin::professional))
		.route("/admin/review", post(admin::review))
		.route("/records/{patient}", get(records::list))
		.route("/records/{patient}/verify", post(records::verify))
		.route(
			"/records/{patient}/add",
			// A document may be as large as the settings allow, with room for the form around it.
			post(records::add).layer(DefaultBodyLimit::max(
				usize::try_from(app.client.settings.max_document_bytes)
					.unwrap_or(usize::MAX)
					.saturating_add(64 * 1024),
			)),
		)
		.route("/records/{patient}/prescribe", get(prescribe::form).post(prescribe::submit))
		.route("/records/{patient}/{index}", get(records::show))
		.route("/records/{patient}/{index}/file", get(records::file))
		.route("/emergency/open", post(emergency::open))
		.route("/emergency/close", post(emergency::close))
		.route("/messages", get(messages::index))
		.route("/messages/{patient}", get(messages::thread).post(messages::send))
		.route("/notices", get(notices::stream))
		.route("/hospital", get(hospital::page))
		.route("/hospital/{action}", post(hospital::change))
		.route("/audit", get(audit::history))
		.route("/audit/export.csv", get(audit::export))
		.fallback(home::not_found)
		.layer(middleware::from_fn_with_state(app.clone(), guard::guard))
		.with_state(app)
}

/// Serves the application on `127.0.0.1:port` (any free port for 0) as `me`, unlocked by
/// `name`, until the process is stopped. Prints the link that opens it.
pub async fn serve(
	client: Client,
	identity: Identity,
	name: String,
	port: u16,
) -> anyhow::Result<()> {
	let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
	let port = listener.local_addr()?.port();
	let account = identity.account();
	let roles = client.roles(&account).await?;
	let me = Me { identity, account, roles: std::sync::RwLock::new(roles), name };
	let secrets = guard::Secrets::new(port)?;
	let link = format!("http://127.0.0.1:{port}/open?secret={}", secrets.link);
	let address = listener.local_addr()?;
	let app = Arc::new(App { client, me, secrets, notices: notices::Notices::new(), address });
	tokio::spawn(notices::follow(app.clone()));
	println!("ehr ui for {} at http://127.0.0.1:{port}", app.me.label());
	println!("open this link in your browser (it holds this session's secret): {link}");
	let service = router(app).into_make_service_with_connect_info::<SocketAddr>();
	axum::serve(listener, service).await?;
	Ok(())
}
