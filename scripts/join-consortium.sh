#!/usr/bin/env bash
# A hospital joins a running consortium, with one command on its validator machine:
#
#   scripts/join-consortium.sh --chain consortium-raw.json --name "St. Mary's" \
#     --bootnodes /dns/node.other-hospital.example/tcp/30333/p2p/<peer id> [--key st-marys] \
#     [--base-path /var/lib/ehr] [--rpc-port 9944] [--prebuilt] [-- NODE ARGUMENTS...]
#
# It builds the node and the `ehr` command if needed (--prebuilt: it uses the ones already built
# in $CARGO_TARGET_DIR as they are), makes the node's network key (<base path>/node-key: the
# node's identity, which the consortium admits with the hospital), starts the hospital's
# validator node on the consortium's chain spec (the other hospitals' nodes refuse it until the
# consortium admitted it; arguments after `--` go to the node as they are, such as
# `--port 30334`, but not those the script sets itself: --chain, --base-path, --rpc-port,
# --node-key-file, --validator, --bootnodes), makes the key the hospital will vote with (in the keystore, sealed with a
# passphrase: it is asked when the key is made and when it signs, unless EHR_PASSPHRASE gives
# it), prints the motion the consortium must pass to admit it, waits for that, and then has the
# node make its Aura and GRANDPA keys and registers them: the node validates from the session
# after next (within two sessions: twenty minutes unless the consortium chose shorter
# sessions). The node keeps running in the foreground afterwards; stopping the script stops
# it. Running the script again starts the node again on the same database, skips the key and
# the wait, and registers fresh node keys (the old ones stop at the session after next).
set -euo pipefail
source "$(dirname "$0")/env.sh"

chain="" name="" key="hospital" base_path="/var/lib/ehr" rpc_port=9944 bootnodes=() prebuilt=0 node_args=()
while [ $# -gt 0 ]; do
	case "$1" in
	--chain) chain="$2"; shift 2 ;;
	--name) name="$2"; shift 2 ;;
	--key) key="$2"; shift 2 ;;
	--base-path) base_path="$2"; shift 2 ;;
	--rpc-port) rpc_port="$2"; shift 2 ;;
	--prebuilt) prebuilt=1; shift ;;
	--) shift; node_args=("$@"); break ;;
	--bootnodes) shift; while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do bootnodes+=("$1"); shift; done ;;
	*) echo "unknown argument: $1 (see the top of $0)" >&2; exit 2 ;;
	esac
done
for arg in ${node_args[@]+"${node_args[@]}"}; do
	case "$arg" in
	--chain* | --base-path* | --rpc-port* | --node-key-file* | --validator | --bootnodes*)
		echo "$arg after --: the script sets it itself; give it before -- (see the top of $0)" >&2
		exit 2 ;;
	esac
done
if [ -z "$chain" ] || [ -z "$name" ] || [ ${#bootnodes[@]} -eq 0 ]; then
	echo "usage: $0 --chain SPEC --name NAME --bootnodes ADDRESS... [--key KEY] [--base-path DIR] [--rpc-port PORT] [--prebuilt] [-- NODE ARGUMENTS...]" >&2
	exit 2
fi

ehr="$CARGO_TARGET_DIR/release/ehr"
if [ "$prebuilt" = 1 ]; then
	[ -x "$EHR_NODE_BIN" ] && [ -x "$ehr" ] ||
		{ echo "--prebuilt, but $EHR_NODE_BIN or $ehr is not built" >&2; exit 1; }
else
	ehr_setup
	(cd "$ehr_root" && cargo build --release --locked --workspace --bin ehr-node --bin ehr)
fi
node_url="ws://127.0.0.1:$rpc_port"

# 1. The validator node, on loopback RPC (the key commands below need its own machine), with
#    its network key made once.
mkdir -p "$base_path"
node_key="$base_path/node-key"
[ -f "$node_key" ] || "$EHR_NODE_BIN" key generate-node-key --file "$node_key" 2>/dev/null
"$EHR_NODE_BIN" --validator --chain "$chain" --base-path "$base_path" --rpc-port "$rpc_port" \
	--node-key-file "$node_key" \
	--bootnodes "${bootnodes[@]}" ${node_args[@]+"${node_args[@]}"} >>"$base_path/node.log" 2>&1 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null || true' EXIT
echo "node started (log: $base_path/node.log)"
genesis=""
for _ in $(seq 60); do
	genesis=$(curl -s -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"chain_getBlockHash","params":[0]}' \
		"http://127.0.0.1:$rpc_port" | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p') || true
	[ -n "$genesis" ] && break
	sleep 1
done
[ -n "$genesis" ] || { echo "the node did not start: see $base_path/node.log" >&2; exit 1; }
# The client checks it talks to the consortium's chain: the genesis hash the consortium
# published (EHR_GENESIS_HASH or the settings file), which the spec given must match.
if [ -n "${EHR_GENESIS_HASH:-}" ] && [ "$EHR_GENESIS_HASH" != "$genesis" ]; then
	echo "$chain is not the consortium's chain: its genesis is $genesis, the consortium's $EHR_GENESIS_HASH" >&2
	exit 1
fi
if [ -z "${EHR_GENESIS_HASH:-}" ]; then
	echo "Check this genesis hash against the one the consortium published: $genesis"
	export EHR_GENESIS_HASH="$genesis"
fi

# 2. The key the hospital votes with.
if ! "$ehr" key list | awk -v k="$key" '$1 == k { found = 1 } END { exit !found }'; then
	"$ehr" key new "$key" --show-phrase
fi
account=$("$ehr" key list | awk -v k="$key" '$1 == k { print $2 }')

# 3. What the consortium votes on, and the wait for it.
if ! "$ehr" --node "$node_url" consortium show | grep -q "^$account "; then
	echo
	echo "Ask a hospital of the consortium to propose this hospital's admission, with its node:"
	echo
	"$ehr" --node "$node_url" --as "$key" consortium node-proof --node-key-file "$node_key" |
		sed -e "s/--name <name>/--name \"$name\"/" -e 's/^/  /'
	echo
	echo "and the others to vote for it (ehr consortium vote <motion>). Waiting for it..."
	until "$ehr" --node "$node_url" consortium show 2>/dev/null | grep -q "^$account "; do
		kill -0 "$node_pid" 2>/dev/null || { echo "the node stopped: see $base_path/node.log" >&2; exit 1; }
		sleep 12
	done
	echo "admitted."
fi

# 4. The node's session keys, made in its own keystore and registered for the hospital.
"$ehr" --node "$node_url" --as "$key" consortium set-keys
echo "$name validates from the session after next. The node runs on; Ctrl-C stops it."
wait "$node_pid"
