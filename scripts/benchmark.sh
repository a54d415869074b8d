#!/usr/bin/env bash
# Runs the benchmarks of pallet-ehr and pallet-consortium on this machine and regenerates their
# weights.rs.
#
# The node runs a runtime built with the `runtime-benchmarks` feature, given with --runtime,
# so the node itself is the ordinary release build with the `benchmark` commands added (built
# with the workspace's features, like scripts/dev.sh's, so it reuses that build's crates).
set -euo pipefail
source "$(dirname "$0")/env.sh"
ehr_setup
cd "$ehr_root"

cargo build --release --locked --workspace --bin ehr-node --features ehr-node/benchmark
cargo build --release --locked -p ehr-runtime --features runtime-benchmarks
bench_wasm="$CARGO_TARGET_DIR/ehr_runtime.benchmarks.wasm"
cp "$CARGO_TARGET_DIR/release/wbuild/ehr-runtime/ehr_runtime.compact.compressed.wasm" "$bench_wasm"

# Each of the project's pallets, into its own weights.rs.
for pallet in ehr consortium; do
	"$EHR_NODE_BIN" benchmark pallet \
		--runtime "$bench_wasm" \
		--genesis-builder-preset development \
		--pallet "pallet_$pallet" \
		--extrinsic '*' \
		--steps "${STEPS:-50}" \
		--repeat "${REPEAT:-20}" \
		--template .maintain/pallet-weight-template.hbs \
		--output "pallets/$pallet/src/weights.rs"
done
