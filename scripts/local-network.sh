#!/usr/bin/env bash
# Runs the `local` chain's four hospitals on this machine: Alice, Bob, Charlie and Dave, each a
# validator node of its own with its own database, peering over loopback, as a consortium of
# four would run (Aura blocks every 6 s, GRANDPA finality needing three of the four).
#
# RPC: Alice on ws://127.0.0.1:9944, Bob on 9945, Charlie on 9946, Dave on 9947; Prometheus on
# 9615 to 9618. Alice and Bob are the chain's admins; it has no sudo key. Each node logs to the
# directory printed at start; the chain and the logs are removed when this stops (Ctrl-C),
# unless a node stopped by itself, whose logs are then kept and shown.
#
#   scripts/local-network.sh
#   ehr --local-testnet --node ws://127.0.0.1:9944 --as //Alice bench doctor --documents 20
set -euo pipefail
source "$(dirname "$0")/env.sh"
ehr_setup
ehr_build_node_and_client

dir="$(mktemp -d "${TMPDIR:-/tmp}/ehr-local.XXXXXX")"
pids=()
alive() {
	local pid
	for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done
	return 1
}
# A node may hang while shutting down: after 30 s it is killed.
stop() {
	if [ ${#pids[@]} -gt 0 ]; then
		kill "${pids[@]}" 2>/dev/null || true
		for _ in $(seq 30); do alive || break; sleep 1; done
		kill -9 "${pids[@]}" 2>/dev/null || true
	fi
	[ "${keep_logs:-0}" = 1 ] || rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

# The `local` spec names the nodes of the network keys 0x00…01 to 0x00…04 as its hospitals'
# nodes: only they peer with each other on that chain.
names=(alice bob charlie dave)
bootnodes=()
for i in "${!names[@]}"; do
	name="${names[$i]}"
	key="$(printf '%064x' $((i + 1)))"
	printf '%s' "$key" >"$dir/$name.key"
	peer_id="$("$EHR_NODE_BIN" key inspect-node-key --file "$dir/$name.key")"
	p2p=$((30333 + i))
	"$EHR_NODE_BIN" --chain local --validator "--$name" \
		--base-path "$dir/$name" --node-key-file "$dir/$name.key" \
		--port "$p2p" --rpc-port $((9944 + i)) --prometheus-port $((9615 + i)) \
		${bootnodes[@]+--bootnodes "${bootnodes[@]}"} \
		"$@" >"$dir/$name.log" 2>&1 &
	pids+=($!)
	bootnodes+=("/ip4/127.0.0.1/tcp/$p2p/p2p/$peer_id")
	echo "$name: ws://127.0.0.1:$((9944 + i)), peer $peer_id, log $dir/$name.log"
done
echo "Ctrl-C stops the four nodes and removes their chain."
status=0
wait -n "${pids[@]}" || status=$?
echo "a node stopped (exit status $status); the last lines of each log, kept in $dir:" >&2
for name in "${names[@]}"; do
	echo "--- $name" >&2
	tail -n 20 "$dir/$name.log" >&2
done
keep_logs=1
exit 1
