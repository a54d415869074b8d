#!/usr/bin/env bash
# Installs what is missing, builds the node, and runs a single-node development chain:
# Alice validates and is the consortium's admin; blocks every 6 s, finalized by GRANDPA;
# ParityDB storage under --base-path (default: a directory the node chooses under $HOME).
# RPC (WebSocket and HTTP) on ws://127.0.0.1:9944 for the client and Polkadot-JS Apps.
# Extra arguments go to the node, e.g. `scripts/dev.sh --tmp` for a throw-away chain.
set -euo pipefail
source "$(dirname "$0")/env.sh"
ehr_setup
ehr_build
exec "$EHR_NODE" --dev "$@"
