#!/usr/bin/env bash
# Measures this machine and writes the weights the runtime charges:
#
#   pallets   each call of pallet-ehr and pallet-consortium, into their weights.rs, and
#             frame_system's transaction extensions, into
#             runtime/src/weights/frame_system_extensions.rs;
#   overhead  what an empty block and one transaction cost beyond their calls, into
#             runtime/src/weights/block_weights.rs and extrinsic_weights.rs.
#
# `scripts/benchmark.sh` runs both; `scripts/benchmark.sh overhead` one of them;
# `PALLETS=consortium scripts/benchmark.sh pallets` measures only pallet-consortium's calls (and
# frame_system's extensions).
#
# The node runs a runtime built with the `runtime-benchmarks` feature, given with --runtime,
# so the node itself is the ordinary release build with the `benchmark` commands added (built
# with the workspace's features, like scripts/dev.sh's, so it reuses that build's crates).
set -euo pipefail
source "$(dirname "$0")/env.sh"
ehr_setup
cd "$ehr_root"

parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(pallets overhead)
for part in "${parts[@]}"; do
	case "$part" in
	pallets | overhead) ;;
	*)
		echo "unknown part '$part': pallets or overhead" >&2
		exit 2
		;;
	esac
done

cargo build --release --locked --workspace --bin ehr-node --features ehr-node/benchmark

pallets() {
	cargo build --release --locked -p ehr-runtime --features runtime-benchmarks
	local wasm="$CARGO_TARGET_DIR/ehr_runtime.benchmarks.wasm"
	cp "$CARGO_TARGET_DIR/release/wbuild/ehr-runtime/ehr_runtime.compact.compressed.wasm" "$wasm"
	local pallet
	for pallet in ${PALLETS:-ehr consortium}; do
		"$EHR_NODE_BIN" benchmark pallet \
			--runtime "$wasm" \
			--genesis-builder-preset development \
			--pallet "pallet_$pallet" \
			--extrinsic '*' \
			--steps "${STEPS:-50}" \
			--repeat "${REPEAT:-20}" \
			--template .maintain/pallet-weight-template.hbs \
			--output "pallets/$pallet/src/weights.rs"
	done
	local extensions=runtime/src/weights/frame_system_extensions.rs
	"$EHR_NODE_BIN" benchmark pallet \
		--runtime "$wasm" \
		--genesis-builder-preset development \
		--pallet frame_system_extensions \
		--extrinsic '*' \
		--steps "${STEPS:-50}" \
		--repeat "${REPEAT:-20}" \
		--output "$extensions"
	# The generator names polkadot-sdk's crates directly; the runtime reaches them through
	# the umbrella crate.
	sed -i -e 's/^use frame_support::/use polkadot_sdk::{frame_support, frame_system};\nuse frame_support::/' \
		"$extensions"
}

# On the development chain's genesis, from blocks of an administrator's cheapest call
# (node/src/benchmarking.rs), 1,000 a block: an administrator's quota.
overhead() {
	"$EHR_NODE_BIN" benchmark overhead --dev \
		--max-ext-per-block 1000 \
		--warmup "${WARMUP:-10}" --repeat "${REPEAT:-100}" \
		--weight-path runtime/src/weights
	# The generator names polkadot-sdk's crates directly; the runtime reaches them through
	# the umbrella crate (sp-weights as frame-support re-exports it).
	sed -i -e 's/^\(\s*\)use sp_core::/\1use polkadot_sdk::sp_core::/' \
		-e 's/^\(\s*\)use sp_weights::/\1use polkadot_sdk::frame_support::weights::/' \
		runtime/src/weights/block_weights.rs runtime/src/weights/extrinsic_weights.rs
	rustfmt --edition 2021 runtime/src/weights/block_weights.rs runtime/src/weights/extrinsic_weights.rs
}

for part in "${parts[@]}"; do
	"$part"
done
