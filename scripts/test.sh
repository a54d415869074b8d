#!/usr/bin/env bash
# Installs what is missing, builds the node, and runs every test: formatting, lints, docs, the
# pallet's unit, property and benchmark tests, the runtime's tests, the integration tests
# that spawn the real node, the runtime upgrade's try-runtime checks, and the contracts (built
# for the chain, linted and unit-tested).
set -euo pipefail
source "$(dirname "$0")/env.sh"
ehr_setup
cd "$ehr_root"

echo "== formatting"
cargo fmt --all --check

echo "== dependencies"
scripts/check-deps.sh

echo "== building the node, the client, the tests and the examples (release)"
ehr_build_all

echo "== lints"
cargo clippy --release --locked --workspace --all-targets -- -D warnings
# The node's benchmark commands are built only on demand (scripts/benchmark.sh); checking them
# here keeps them compiling.
cargo clippy --release --locked --workspace --bin ehr-node --features ehr-node/benchmark -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --release --locked --workspace --no-deps

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

echo "== tests"
cargo test --release --locked --workspace --all-targets 2>&1 | tee -a "$log"

echo "== benchmarks as tests"
cargo test --release --locked -p pallet-ehr -p pallet-consortium --all-targets \
	--features pallet-ehr/runtime-benchmarks,pallet-consortium/runtime-benchmarks \
	-- benchmarking:: 2>&1 |
	tee -a "$log"

# The runtime's try-runtime feature must not reach the node's build (its wasm would carry the
# checks), so the upgrade's try-runtime checks build in a cargo run of their own, natively.
echo "== try-runtime: this runtime's upgrade on snapshots of live chains of earlier releases"
SKIP_WASM_BUILD=1 cargo clippy --release --locked -p ehr-tests --features try-runtime \
	--test try_runtime -- -D warnings
SKIP_WASM_BUILD=1 cargo test --release --locked -p ehr-tests --features try-runtime \
	--test try_runtime 2>&1 | tee -a "$log"

# The contracts are a workspace of their own (contracts/Cargo.toml says why).
echo "== contracts"
(cd contracts && cargo fmt --all --check)
(cd contracts && cargo clippy --release --locked --all-targets -- -D warnings)
scripts/contracts.sh test 2>&1 | tee -a "$log"

# One line for all the test binaries above (pipefail has already stopped on any failure).
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "%d passed, %d failed\n", passed, failed }' "$log"
