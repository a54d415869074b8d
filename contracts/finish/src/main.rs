//! `ehr-contract-finish IN OUT`: turns a contract that cargo built for wasm32v1-none into code
//! pallet-contracts accepts, and refuses code it would not.
//!
//! The linker exports `__heap_base` and `__data_end` besides the contract's `call` and
//! `deploy`, and the chain refuses any export but those two functions; it also adds custom
//! sections (names, the compiler's version) that only make the code larger and its hash
//! depend on the machine. This keeps every other section as it is, keeps only the two
//! functions among the exports, drops the custom sections, and checks what the chain checks of
//! the imports: the one memory imported is `env.memory`, of at most 16 pages, and no table or
//! global is imported.

use std::{env, fs, process::ExitCode};

/// The most pages of 64 KiB a contract's memory may have on the chain.
const MAX_PAGES: u32 = 16;

const CUSTOM: u8 = 0;
const IMPORT: u8 = 2;
const EXPORT: u8 = 7;

const FUNC: u8 = 0;
const TABLE: u8 = 1;
const MEMORY: u8 = 2;
const GLOBAL: u8 = 3;

fn main() -> ExitCode {
	let args: Vec<String> = env::args().skip(1).collect();
	let [input, output] = args.as_slice() else {
		eprintln!("usage: ehr-contract-finish IN.wasm OUT.wasm");
		return ExitCode::from(2);
	};
	let result = fs::read(input)
		.map_err(|e| format!("reading {input}: {e}"))
		.and_then(|code| finish(&code))
		.and_then(|code| {
			fs::write(output, &code).map_err(|e| format!("writing {output}: {e}"))?;
			Ok(code.len())
		});
	match result {
		Ok(size) => {
			println!("{output}: {size} bytes");
			ExitCode::SUCCESS
		},
		Err(e) => {
			eprintln!("{input}: {e}");
			ExitCode::FAILURE
		},
	}
}

/// The finished code of `code`, or why the chain would refuse it.
fn finish(code: &[u8]) -> Result<Vec<u8>, String> {
	const HEADER: &[u8] = b"\0asm\x01\0\0\0";
	let mut rest = code.strip_prefix(HEADER).ok_or("not a Wasm 1.0 module")?;
	let mut out = HEADER.to_vec();
	let mut exported = Vec::new();
	let mut memories = 0;
	while !rest.is_empty() {
		let id = byte(&mut rest)?;
		let size = leb(&mut rest)? as usize;
		if size > rest.len() {
			return Err("a section runs past the end of the module".into());
		}
		let (body, after) = rest.split_at(size);
		rest = after;
		match id {
			CUSTOM => {},
			IMPORT => {
				memories += check_imports(body)?;
				push_section(&mut out, id, body);
			},
			EXPORT => {
				let (kept, names) = entry_points(body)?;
				exported = names;
				push_section(&mut out, id, &kept);
			},
			_ => push_section(&mut out, id, body),
		}
	}
	if memories != 1 {
		return Err("it must import exactly one memory: build with `-C link-arg=--import-memory` \
			(contracts/.cargo/config.toml)"
			.into());
	}
	for name in ["call", "deploy"] {
		if !exported.iter().any(|n| n == name) {
			return Err(format!("no `{name}` function exported: is it an ink! contract?"));
		}
	}
	Ok(out)
}

/// The export section with only the `call` and `deploy` functions, and their names.
fn entry_points(mut body: &[u8]) -> Result<(Vec<u8>, Vec<String>), String> {
	let count = leb(&mut body)?;
	let mut entries = Vec::new();
	let mut names = Vec::new();
	for _ in 0..count {
		let start = body;
		let name = name(&mut body)?;
		let kind = byte(&mut body)?;
		leb(&mut body)?;
		let entry = &start[..start.len() - body.len()];
		if kind == FUNC && (name == "call" || name == "deploy") {
			entries.push(entry.to_vec());
			names.push(name);
		}
	}
	if !body.is_empty() {
		return Err("the export section runs on past its entries".into());
	}
	let mut kept = Vec::new();
	push_leb(&mut kept, entries.len() as u32);
	entries.iter().for_each(|entry| kept.extend_from_slice(entry));
	Ok((kept, names))
}

/// Checks the imports as the chain does: functions from the chain's API, and memory only as
/// `env.memory`, of at most [`MAX_PAGES`] pages. Returns how many memories it imports.
fn check_imports(mut body: &[u8]) -> Result<u32, String> {
	let count = leb(&mut body)?;
	let mut memories = 0;
	for _ in 0..count {
		let module = name(&mut body)?;
		let field = name(&mut body)?;
		match byte(&mut body)? {
			FUNC => {
				leb(&mut body)?;
			},
			MEMORY => {
				if (module.as_str(), field.as_str()) != ("env", "memory") {
					return Err(format!("imports memory `{module}.{field}`, not `env.memory`"));
				}
				let (min, max) = limits(&mut body)?;
				if min > MAX_PAGES || max.is_some_and(|max| max > MAX_PAGES) {
					return Err(format!("its memory may grow past {MAX_PAGES} pages"));
				}
				if max.is_some_and(|max| min > max) {
					return Err("its memory's minimum is above its maximum".into());
				}
				memories += 1;
			},
			TABLE | GLOBAL => return Err(format!("imports a table or global `{module}.{field}`")),
			kind => return Err(format!("an import of unknown kind {kind}")),
		}
	}
	if !body.is_empty() {
		return Err("the import section runs on past its entries".into());
	}
	Ok(memories)
}

fn limits(body: &mut &[u8]) -> Result<(u32, Option<u32>), String> {
	match byte(body)? {
		0 => Ok((leb(body)?, None)),
		1 => Ok((leb(body)?, Some(leb(body)?))),
		flag => Err(format!("memory limits of unknown form {flag} (shared memory?)")),
	}
}

fn byte(body: &mut &[u8]) -> Result<u8, String> {
	let (&first, rest) = body.split_first().ok_or("the module ends early")?;
	*body = rest;
	Ok(first)
}

/// An unsigned LEB128 number of at most 32 bits.
fn leb(body: &mut &[u8]) -> Result<u32, String> {
	let mut value: u32 = 0;
	for shift in (0..35).step_by(7) {
		let b = byte(body)?;
		let bits = u32::from(b & 0x7f);
		if shift == 28 && bits > 0x0f {
			return Err("a number too large for 32 bits".into());
		}
		value |= bits << shift;
		if b & 0x80 == 0 {
			return Ok(value);
		}
	}
	Err("a number too large for 32 bits".into())
}

fn name(body: &mut &[u8]) -> Result<String, String> {
	let len = leb(body)? as usize;
	if len > body.len() {
		return Err("a name runs past the end of the module".into());
	}
	let (bytes, rest) = body.split_at(len);
	*body = rest;
	String::from_utf8(bytes.to_vec()).map_err(|_| "a name that is not UTF-8".into())
}

fn push_leb(out: &mut Vec<u8>, mut value: u32) {
	loop {
		let b = (value & 0x7f) as u8;
		value >>= 7;
		if value == 0 {
			out.push(b);
			return;
		}
		out.push(b | 0x80);
	}
}

fn push_section(out: &mut Vec<u8>, id: u8, body: &[u8]) {
	out.push(id);
	push_leb(out, body.len() as u32);
	out.extend_from_slice(body);
}

#[cfg(test)]
mod tests {
	use super::*;

	fn section(id: u8, body: &[u8]) -> Vec<u8> {
		let mut out = Vec::new();
		push_section(&mut out, id, body);
		out
	}

	fn named(s: &str) -> Vec<u8> {
		let mut out = vec![s.len() as u8];
		out.extend_from_slice(s.as_bytes());
		out
	}

	fn import_memory(module: &str, field: &str, limits: &[u8]) -> Vec<u8> {
		let mut body = vec![1];
		body.extend(named(module));
		body.extend(named(field));
		body.push(MEMORY);
		body.extend_from_slice(limits);
		section(IMPORT, &body)
	}

	/// An export section of (name, kind, index).
	fn exports(entries: &[(&str, u8, u8)]) -> Vec<u8> {
		let mut body = vec![entries.len() as u8];
		for (name, kind, index) in entries {
			body.extend(named(name));
			body.extend([*kind, *index]);
		}
		section(EXPORT, &body)
	}

	fn module(sections: &[Vec<u8>]) -> Vec<u8> {
		let mut out = b"\0asm\x01\0\0\0".to_vec();
		sections.iter().for_each(|s| out.extend_from_slice(s));
		out
	}

	#[test]
	fn keeps_the_entry_points_and_drops_the_rest_of_the_exports_and_custom_sections() {
		let code = module(&[
			section(CUSTOM, &named("producers")),
			import_memory("env", "memory", &[0, 2]),
			exports(&[("call", FUNC, 4), ("__heap_base", GLOBAL, 0), ("deploy", FUNC, 5)]),
		]);
		let expected = module(&[
			import_memory("env", "memory", &[0, 2]),
			exports(&[("call", FUNC, 4), ("deploy", FUNC, 5)]),
		]);
		assert_eq!(finish(&code).unwrap(), expected);
	}

	#[test]
	fn refuses_what_the_chain_refuses() {
		let entry_points = exports(&[("call", FUNC, 0), ("deploy", FUNC, 1)]);
		let refused = [
			module(std::slice::from_ref(&entry_points)),
			module(&[import_memory("env", "other", &[0, 1]), entry_points.clone()]),
			module(&[import_memory("env", "memory", &[1, 1, 17]), entry_points.clone()]),
			module(&[import_memory("env", "memory", &[0, 17]), entry_points.clone()]),
			module(&[import_memory("env", "memory", &[0, 1]), exports(&[("call", FUNC, 0)])]),
			b"\0asm\x02\0\0\0".to_vec(),
			module(&[vec![EXPORT, 9, 1]]),
			module(&[import_memory("env", "memory", &[1, 3, 2]), entry_points.clone()]),
			module(&[import_memory("env", "memory", &[0, 1]), {
				let mut trailing = entry_points.clone();
				trailing[1] += 1;
				trailing.push(0);
				trailing
			}]),
			module(&[import_memory("env", "memory", &[0, 1]), exports(&[("call", MEMORY, 0)])]),
		];
		for code in refused {
			assert!(finish(&code).is_err(), "{code:?} was finished");
		}
	}

	#[test]
	fn reads_and_writes_leb128() {
		for value in [0, 1, 127, 128, 300, 16_384, u32::MAX] {
			let mut out = Vec::new();
			push_leb(&mut out, value);
			assert_eq!(leb(&mut out.as_slice()), Ok(value));
		}
		assert!(leb(&mut [0xff, 0xff, 0xff, 0xff, 0x7f].as_slice()).is_err());
		assert!(leb(&mut [0x80].as_slice()).is_err());
	}
}
