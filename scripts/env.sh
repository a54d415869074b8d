# Shared set-up for the project's scripts: installs what is missing and sets the cargo target
# directory. Source it; do not run it.
#
# One target directory, outside the clone, serves every clone and every run on this machine,
# so a second build only compiles what changed.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ehr-target}"
# rustup's default location, for shells (CI, cron) that did not source ~/.cargo/env.
if [ -d "$HOME/.cargo/bin" ] && ! command -v cargo >/dev/null; then
	export PATH="$HOME/.cargo/bin:$PATH"
fi
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# The node binary (`EHR_NODE` is the client's setting: the URL of the node it talks to).
EHR_NODE_BIN="$CARGO_TARGET_DIR/release/ehr-node"

ehr_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages the build needs: clang (and mold) to compile and link, protoc for libp2p,
# OpenSSL's headers for WebRTC.
ehr_install_packages() {
	local missing=()
	command -v clang >/dev/null || missing+=(clang libclang-dev)
	command -v protoc >/dev/null || missing+=(protobuf-compiler)
	command -v mold >/dev/null || missing+=(mold)
	command -v pkg-config >/dev/null || missing+=(pkg-config)
	command -v make >/dev/null || missing+=(make)
	# scripts/join-consortium.sh asks the node for its genesis hash.
	command -v curl >/dev/null || missing+=(curl)
	# The tests of `ehr ui` drive a real, headless browser.
	command -v chromium >/dev/null || missing+=(chromium)
	command -v chromedriver >/dev/null || missing+=(chromium-driver)
	# The node's WebRTC transport links the system's OpenSSL (see .cargo/config.toml).
	{ command -v pkg-config >/dev/null && pkg-config --exists openssl; } || missing+=(libssl-dev)
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "Installing Debian packages: ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The Rust toolchain pieces rust-toolchain.toml names, installed explicitly so a machine that
# already has the toolchain gets the wasm targets and rust-src too.
ehr_install_rust_parts() {
	if ! command -v rustup >/dev/null; then
		echo "rustup is missing: install Rust from https://rustup.rs first" >&2
		return 1
	fi
	(cd "$ehr_root" &&
		rustup target add wasm32-unknown-unknown wasm32v1-none >/dev/null &&
		rustup component add rust-src rustfmt clippy >/dev/null)
}

ehr_setup() {
	ehr_install_packages
	ehr_install_rust_parts
}

# `--timings` when EHR_BUILD_TIMINGS=1.
ehr_timings() {
	[ "${EHR_BUILD_TIMINGS:-0}" = 1 ] && echo --timings || true
}

# Builds the node (and with it the runtime's wasm) in release, the profile the tests use, and
# nothing else: enough to run the chain. `--workspace` resolves the dependencies' features for
# the whole workspace, exactly as `ehr_build_all` does, so the test command later reuses every
# crate compiled here (scripts/check-deps.sh fails the tests when that stops being true).
# EHR_BUILD_TIMINGS=1 writes cargo's report of where the time went to
# $CARGO_TARGET_DIR/cargo-timings/.
ehr_build_node() {
	(cd "$ehr_root" && cargo build --release --locked --workspace --bin ehr-node $(ehr_timings))
}

# Builds the node and the `ehr` command (the client and its web application), for
# scripts/dev.sh: in one cargo run, with the workspace's features, as `ehr_build_node`.
ehr_build_node_and_client() {
	(cd "$ehr_root" && cargo build --release --locked --workspace --bin ehr-node --bin ehr $(ehr_timings))
}

# Builds everything the tests run: the node, the client and its `ehr` command, every test and
# example.
ehr_build_all() {
	(cd "$ehr_root" && cargo build --release --locked --workspace --all-targets $(ehr_timings))
}
