#!/usr/bin/env bash
# Measures this machine and writes the weights the runtime charges:
#
#   pallets   each call of pallet-ehr and pallet-consortium, into their weights.rs, and
#             frame_system's transaction extensions, into
#             runtime/src/weights/frame_system_extensions.rs;
#   overhead  what an empty block and one transaction cost beyond their calls, into
#             runtime/src/weights/block_weights.rs and extrinsic_weights.rs;
#   storage   what reading and writing one item of the chain's state costs in ParityDB, on a
#             development chain it first fills with `ehr bench load`, into
#             runtime/src/weights/paritydb_weights.rs.
#
# `scripts/benchmark.sh` runs pallets and overhead; `scripts/benchmark.sh storage` the third,
# which needs a node built with `--features ehr-node/storage-benchmark`: the native crates
# below the node's database compiled a second time (about 10 minutes here, once).
# `scripts/benchmark.sh overhead` runs one part;
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
	pallets | overhead | storage) ;;
	*)
		echo "unknown part '$part': pallets, overhead or storage" >&2
		exit 2
		;;
	esac
done

node_features=ehr-node/benchmark
for part in "${parts[@]}"; do
	[ "$part" = storage ] && node_features=ehr-node/storage-benchmark
done
cargo build --release --locked --workspace --bin ehr-node --features "$node_features"

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

# A development chain filled as hospitals fill theirs: 200 professionals, 2,000 patients and
# 128,000 records (in batches of 64, as studies of many images are sent; SEED_RECORDS sets how
# many), in a directory of its own, with RPC on a port of its own, so a development chain
# already running is left alone. Fails unless nine in ten of the records went in.
seed_state() {
	local base="$1" port="${EHR_BENCH_RPC_PORT:-9955}" records="${SEED_RECORDS:-128000}"
	# The ordinary client, as scripts/dev.sh builds it (the node above has features of its own).
	cargo build --release --locked --workspace --bin ehr
	if curl -s "http://127.0.0.1:$port" >/dev/null 2>&1; then
		echo "something already listens on port $port: set EHR_BENCH_RPC_PORT to a free one" >&2
		return 1
	fi
	"$EHR_NODE_BIN" --dev --base-path "$base" --db paritydb --rpc-port "$port" --port 0 \
		>"$base.log" 2>&1 &
	seed_node=$!
	local tries=0
	until kill -0 "$seed_node" 2>/dev/null &&
		curl -sf -H 'Content-Type: application/json' \
			-d '{"id":1,"jsonrpc":"2.0","method":"system_health"}' "http://127.0.0.1:$port" >/dev/null; do
		tries=$((tries + 1))
		if [ $tries -gt 120 ] || ! kill -0 "$seed_node" 2>/dev/null; then
			echo "the node filling the chain did not start; its log: $base.log" >&2
			return 1
		fi
		sleep 1
	done
	local report
	report="$("$CARGO_TARGET_DIR/release/ehr" --dev --node "ws://127.0.0.1:$port" --as //Alice --json \
		bench load --professionals 200 --patients 2000 --count "$records" --batch 64)"
	kill -INT "$seed_node" 2>/dev/null || true
	wait "$seed_node" || true
	seed_node=""
	local done
	# The report's own count comes first; each block's follows.
	done="$(printf '%s' "$report" | grep -o '"done": *[0-9]*' | head -1 | grep -o '[0-9]*$')"
	echo "the chain holds $done of the $records records asked for"
	if [ "${done:-0}" -lt $((records * 9 / 10)) ]; then
		echo "too few records went in for a measurement of a filled chain; the node's log: $base.log" >&2
		return 1
	fi
}

storage() {
	seed_node=""
	seed_base="$(mktemp -d "${TMPDIR:-/tmp}/ehr-storage-bench.XXXXXX")"
	# Whatever happens, the node stops and the chain's directory goes (its log stays on failure).
	trap '[ -n "$seed_node" ] && kill "$seed_node" 2>/dev/null; rm -rf "$seed_base"' EXIT
	local base="$seed_base"
	seed_state "$base"
	# Writes in batches of 10,000, about what a full block of records writes (its state root
	# computed once at its end), rather than the benchmark's default of 100,000.
	"$EHR_NODE_BIN" benchmark storage --dev --base-path "$base" --db paritydb \
		--state-version 1 --batch-size "${BATCH_SIZE:-10000}" \
		--template-path .maintain/db-weight-template.hbs \
		--weight-path runtime/src/weights
	rustfmt --edition 2021 runtime/src/weights/paritydb_weights.rs
	rm -f "$base.log"
}

for part in "${parts[@]}"; do
	"$part"
done
