//! Only the client library builds extrinsics: the `ehr` command, the examples and the tests
//! call its typed methods, so that what a call needs (checks, sealing, proofs of work) is done
//! in one place, the one a hospital's own software uses too.

use std::path::Path;

use ehr_tests::repo_root;

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
	for entry in std::fs::read_dir(dir).expect("a source directory").flatten() {
		let path = entry.path();
		if path.is_dir() {
			sources(&path, out);
		} else if path.extension().is_some_and(|e| e == "rs") {
			let text = std::fs::read_to_string(&path).expect("a source file");
			out.push((path.display().to_string(), text));
		}
	}
}

#[test]
fn only_the_client_library_builds_extrinsics() {
	let root = repo_root();
	let mut files = Vec::new();
	for dir in ["client/src/cli", "client/examples", "tests"] {
		sources(&root.join(dir), &mut files);
	}
	let main = root.join("client/src/main.rs");
	files.push((main.display().to_string(), std::fs::read_to_string(&main).expect("main.rs")));
	assert!(files.len() > 10, "the sources were not found: {files:?}");
	// Spelled in two halves, so that this file does not find itself.
	let building = ["runtime::", "tx()"].concat();
	let builders: Vec<&str> = files
		.iter()
		.filter(|(_, text)| text.contains(&building))
		.map(|(path, _)| path.as_str())
		.collect();
	assert!(builders.is_empty(), "extrinsics built outside the client library: {builders:?}");
}
