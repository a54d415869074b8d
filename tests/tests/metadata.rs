//! The client's types are generated from `client/artifacts/ehr.scale`; this keeps that file the
//! metadata of the runtime the node runs.
//!
//! After a runtime change, refresh it with
//! `EHR_UPDATE_METADATA=1 cargo test --release -p ehr-tests --test metadata`.

use ehr_tests::{repo_root, Node};

#[test]
fn committed_metadata_is_the_runtime_metadata() {
	let node = Node::dev();
	let live = node.metadata_at_version(16);
	let path = repo_root().join("client/artifacts/ehr.scale");
	if std::env::var_os("EHR_UPDATE_METADATA").is_some() {
		std::fs::write(&path, &live).expect("write the metadata");
	}
	let committed = std::fs::read(&path).expect("client/artifacts/ehr.scale");
	assert!(
		committed == live,
		"client/artifacts/ehr.scale differs from the runtime's metadata ({} vs {} bytes): \
		 run `EHR_UPDATE_METADATA=1 cargo test --release -p ehr-tests --test metadata`, \
		 then rebuild the client",
		committed.len(),
		live.len()
	);
}
