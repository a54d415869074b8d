#!/usr/bin/env bash
# Regenerates the committed chain specs from the node's built-in presets.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ehr_root"
"$EHR_NODE_BIN" build-spec --chain dev --disable-default-bootnode > chain-spec/dev.json
"$EHR_NODE_BIN" build-spec --chain local --disable-default-bootnode > chain-spec/local.json
echo "chain-spec/dev.json and chain-spec/local.json regenerated"
