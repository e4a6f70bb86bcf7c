# shellcheck shell=bash
# Helpers shared by the scripts in this folder; source it, do not run it.
# Every script cds to the repository root first, so paths here are relative to it.

HOOKLENS_GO_MIN=1.26

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
note() { printf '%s\n' "$*" >&2; }

# quietly CMD...: run CMD with its output captured; show the output only on failure.
quietly() {
	local log rc=0
	log=$(mktemp)
	"$@" >"$log" 2>&1 || rc=$?
	if ((rc != 0)); then
		cat "$log" >&2
		note "error: command failed (exit $rc): $*"
	fi
	rm -f "$log"
	return "$rc"
}

# ensure_go: put Go on PATH (also from /usr/local/go/bin) and check its version.
ensure_go() {
	if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
		export PATH="/usr/local/go/bin:$PATH"
	fi
	command -v go >/dev/null 2>&1 ||
		die "Go >= $HOOKLENS_GO_MIN is required and was not found on PATH or in /usr/local/go/bin; install it from https://go.dev/dl/"
	local v
	v=$(go env GOVERSION 2>/dev/null) || die "\`go env GOVERSION\` failed; is $(command -v go) a working Go toolchain?"
	v=${v#go}
	local major=${v%%.*} rest=${v#*.}
	local minor=${rest%%[!0-9]*}
	local want_major=${HOOKLENS_GO_MIN%%.*} want_minor=${HOOKLENS_GO_MIN#*.}
	if ((major < want_major || (major == want_major && minor < want_minor))); then
		die "Go >= $HOOKLENS_GO_MIN is required; $(command -v go) is go$v (install a newer Go from https://go.dev/dl/ into /usr/local/go)"
	fi
}

# ensure_node: Node >= 20 and npm are needed for the frontend.
ensure_node() {
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		die "Node.js >= 20 with npm is required for the frontend and was not found on PATH (https://nodejs.org/ or NodeSource's Debian packages)"
	fi
	local v
	v=$(node --version)
	v=${v#v}
	((${v%%.*} >= 20)) || die "Node.js >= 20 is required; found v$v"
}

# display_available: true when a desktop session can show a window.
display_available() {
	[[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]
}
