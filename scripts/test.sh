#!/usr/bin/env bash
# Installs what is missing, builds the node, and runs every test: formatting, lints, the
# pallet's unit, property and benchmark tests, the runtime's tests, and the integration tests
# that spawn the real node.
set -euo pipefail
source "$(dirname "$0")/env.sh"
ehr_setup
cd "$ehr_root"

echo "== formatting"
cargo fmt --all --check

echo "== building the node (release)"
ehr_build

echo "== lints"
SKIP_WASM_BUILD=1 cargo clippy --release --locked -p pallet-ehr -p ehr-runtime --all-targets -- -D warnings

echo "== tests"
cargo test --release --locked --workspace

echo "== benchmarks as tests"
SKIP_WASM_BUILD=1 cargo test --release --locked -p pallet-ehr --features runtime-benchmarks benchmarking
