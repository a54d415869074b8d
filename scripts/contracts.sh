#!/usr/bin/env bash
# Builds the consortium's contracts (contracts/: claims and research, in ink! 5.1.1) into the
# code the chain accepts, $CARGO_TARGET_DIR/contracts/{claims,research}.wasm, which
# `ehr contract deploy` uploads and the runtime's tests run; `scripts/contracts.sh test` also
# runs their unit tests on this machine.
#
# They are compiled for wasm32v1-none (Wasm 1.0 and mutable globals: what the chain's
# interpreter runs), with the chain's memory imported and a stack of one page
# (contracts/.cargo/config.toml); ehr-contract-finish then keeps only the `call` and `deploy`
# exports and checks the imports as the chain will.
set -euo pipefail
source "$(dirname "$0")/env.sh"
ehr_setup
cd "$ehr_root/contracts"

cargo build --locked --release --target wasm32v1-none --no-default-features \
	-p ehr-claims -p ehr-research
cargo build --locked --release -p ehr-contract-finish
out="$CARGO_TARGET_DIR/contracts"
mkdir -p "$out"
for contract in claims research; do
	"$CARGO_TARGET_DIR/release/ehr-contract-finish" \
		"$CARGO_TARGET_DIR/wasm32v1-none/release/ehr_$contract.wasm" "$out/$contract.wasm"
done

if [ "${1:-}" = test ]; then
	cargo test --locked --release
fi
