#!/usr/bin/env bash
# Guards what a cold build costs. Fails when
# - a heavy crate (polkadot-sdk's, wasmtime and cranelift, subxt, tokio, the networking and TLS
#   stacks) is compiled in two versions: a new dependency that brings a second copy adds minutes
#   to every hospital's build;
# - a dependency would be compiled with other features by the test command than by the README's
#   first command (scripts/dev.sh builds the node with the workspace's features, without
#   dev-dependencies): the test command would then compile it, and everything built on it, a
#   second time instead of reusing it.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ehr_root"

host="$(rustc -vV | sed -n 's/^host: //p')"
tree() {
	cargo tree --locked --workspace --target "$host" --prefix none "$@" | sed 's/ (\*)$//' | sort -u
}

heavy='^(polkadot-.*|cumulus-.*|staging-xcm.*|sp-.*|sc-.*|frame-(support|system|executive|benchmarking).*|pallet-.*|substrate-.*|subxt.*|wasmtime.*|cranelift-.*|wasm-opt.*|tokio|litep2p|libp2p.*|jsonrpsee.*|hyper|reqwest|rustls|openssl|object_store|parity-scale-codec|scale-info|scale-decode|scale-encode)$'
duplicates="$(tree -e normal,build,dev -f '{p}' |
	awk -v heavy="$heavy" '$1 ~ heavy { versions[$1] = versions[$1] " " $2; count[$1]++ }
		END { for (name in count) if (count[name] > 1) print name ":" versions[name] }')"
if [ -n "$duplicates" ]; then
	echo "A heavy crate is compiled in more than one version; align the dependency that brings the" >&2
	echo "second copy with the version the rest of the workspace uses:" >&2
	echo "$duplicates" >&2
	exit 1
fi

# Each package's features as the first command resolves them (the workspace without its
# dev-dependencies) and as the test command does (with them). Comparing every package, not only
# the node's, also covers optional dependencies that only the workspace's features turn on.
first="$(tree -e normal,build -f '{p} {f}')"
tests="$(tree -e normal,build,dev -f '{p} {f}' |
	awk 'NR == FNR { built[$1 " " $2] = 1; next } ($1 " " $2) in built' <(echo "$first") /dev/stdin)"
if [ "$first" != "$tests" ]; then
	echo "The test command would compile these crates again, with other features than" >&2
	echo "scripts/dev.sh built them with (a dev-dependency turns them on). Turn the same features" >&2
	echo "on in a normal dependency of the workspace:" >&2
	diff <(echo "$first") <(echo "$tests") >&2 || true
	exit 1
fi
echo "dependencies: no heavy crate twice; the test command reuses the node's build"
