//! A minimal HTTP/1.1 client for tests of `ehr ui`: one request per connection, every header
//! as the test sets it (a browser's `Host` and `Origin` included), so the server's checks can be
//! driven from both sides.

use std::{
	io::{Read, Write},
	net::TcpStream,
	time::Duration,
};

/// An answer.
#[derive(Debug)]
pub struct Response {
	/// The status code.
	pub status: u16,
	/// The headers, names in lower case.
	pub headers: Vec<(String, String)>,
	/// The body, as text.
	pub body: String,
}

impl Response {
	/// The value of header `name` (lower case), if present.
	pub fn header(&self, name: &str) -> Option<&str> {
		self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
	}
}

/// Sends `method path` to the server on 127.0.0.1:`port` with `headers` and `body`, and reads
/// the whole answer. A transaction's page takes as long as the chain takes to finalize it.
pub fn request(
	port: u16,
	method: &str,
	path: &str,
	headers: &[(&str, &str)],
	body: &str,
) -> Response {
	request_typed(port, method, path, headers, "application/x-www-form-urlencoded", body)
}

/// [`request`] with a body of `content_type`.
pub fn request_typed(
	port: u16,
	method: &str,
	path: &str,
	headers: &[(&str, &str)],
	content_type: &str,
	body: &str,
) -> Response {
	try_request(port, method, path, headers, content_type, body)
		.unwrap_or_else(|e| panic!("{method} {path} on port {port}: {e}"))
}

/// [`request_typed`], with what went wrong instead of a panic (for clean-up code).
pub fn try_request(
	port: u16,
	method: &str,
	path: &str,
	headers: &[(&str, &str)],
	content_type: &str,
	body: &str,
) -> std::io::Result<Response> {
	let mut stream = TcpStream::connect(("127.0.0.1", port))?;
	stream.set_read_timeout(Some(Duration::from_secs(180)))?;
	let mut text = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
	for (name, value) in headers {
		text.push_str(&format!("{name}: {value}\r\n"));
	}
	if !body.is_empty() {
		text.push_str(&format!("Content-Type: {content_type}\r\n"));
	}
	text.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
	stream.write_all(text.as_bytes())?;
	// Read until the answer is complete: some servers keep the connection open anyway.
	let mut raw = Vec::new();
	let mut buffer = [0u8; 16 * 1024];
	loop {
		if is_complete(&raw) {
			break;
		}
		let read = stream.read(&mut buffer)?;
		if read == 0 {
			break;
		}
		raw.extend_from_slice(&buffer[..read]);
	}
	Ok(parse(&raw))
}

/// Whether `raw` holds a whole answer: its headers, and the body they announce.
fn is_complete(raw: &[u8]) -> bool {
	let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else { return false };
	let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
	let body = &raw[split + 4..];
	let length = head
		.lines()
		.find_map(|line| line.strip_prefix("content-length:"))
		.and_then(|n| n.trim().parse::<usize>().ok());
	if let Some(length) = length {
		return body.len() >= length;
	}
	if head.contains("transfer-encoding: chunked") {
		return body.ends_with(b"0\r\n\r\n");
	}
	false
}

fn parse(raw: &[u8]) -> Response {
	let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
	let head = String::from_utf8_lossy(&raw[..split]);
	let body = raw.get(split + 4..).unwrap_or_default();
	let mut lines = head.lines();
	let status = lines
		.next()
		.and_then(|line| line.split_whitespace().nth(1))
		.and_then(|code| code.parse().ok())
		.expect("a status line");
	let headers = lines
		.filter_map(|line| line.split_once(':'))
		.map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
		.collect::<Vec<_>>();
	let chunked = headers
		.iter()
		.any(|(name, value)| name == "transfer-encoding" && value.contains("chunked"));
	let body = if chunked { dechunk(body) } else { body.to_vec() };
	Response { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
}

/// The body of a chunked answer.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
	let mut out = Vec::new();
	while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
		let size = std::str::from_utf8(&rest[..end]).ok().map(str::trim);
		let Some(size) = size.and_then(|s| usize::from_str_radix(s, 16).ok()) else { break };
		let data = &rest[end + 2..];
		if size == 0 || data.len() < size {
			break;
		}
		out.extend_from_slice(&data[..size]);
		rest = data[size..].strip_prefix(b"\r\n").unwrap_or(&data[size..]);
	}
	out
}

/// `text` encoded for a form's body.
pub fn form_encode(text: &str) -> String {
	text.bytes()
		.map(|b| match b {
			b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
				(b as char).to_string()
			},
			_ => format!("%{b:02X}"),
		})
		.collect()
}
