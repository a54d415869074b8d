#!/usr/bin/env bash
# Installs what is missing, builds the node and the `ehr` command, and runs a single-node
# development chain:
# Alice validates and is the consortium's admin; blocks every 6 s, finalized by GRANDPA.
# The chain lives in ParityDB under $EHR_BASE_PATH (default ~/.local/share/ehr-dev), so
# stopping and starting again continues the same chain. RPC (WebSocket and HTTP) listens on
# ws://127.0.0.1:9944 for the client and Polkadot-JS Apps.
# It keeps every block's state (archive), as auditors need. Extra arguments go to the node; `scripts/dev.sh --tmp` runs a throw-away chain instead.
set -euo pipefail
source "$(dirname "$0")/env.sh"
ehr_setup
ehr_build_node_and_client

storage=(--base-path "${EHR_BASE_PATH:-$HOME/.local/share/ehr-dev}")
for arg in "$@"; do
	[ "$arg" = "--tmp" ] && storage=()
done
# An archive node keeps every block's state, so `ehr history` can audit from block 1.
exec "$EHR_NODE_BIN" --dev --state-pruning archive --blocks-pruning archive "${storage[@]}" "$@"
