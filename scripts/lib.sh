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

# stamp_version: the version stamped into binaries with -ldflags "-X main.version=…":
# `git describe --tags --always --dirty` when a tag is reachable (v1.2.3, v1.2.3-4-gabc1234,
# …-dirty), else 0.0.0-dev+<short sha> (+<short sha>.dirty with uncommitted changes), and
# 0.0.0-dev outside a git checkout. HOOKLENS_VERSION overrides it.
stamp_version() {
	if [[ -n ${HOOKLENS_VERSION:-} ]]; then
		printf '%s\n' "$HOOKLENS_VERSION"
		return
	fi
	local d sha
	if ! d=$(git describe --tags --always --dirty 2>/dev/null) || [[ -z $d ]]; then
		echo 0.0.0-dev
		return
	fi
	if git describe --tags >/dev/null 2>&1; then
		printf '%s\n' "$d"
		return
	fi
	sha=$(git rev-parse --short HEAD)
	[[ $d == *-dirty ]] && sha+=.dirty
	printf '0.0.0-dev+%s\n' "$sha"
}

# deb_version VERSION: VERSION as a Debian package version that sorts like it: the leading v
# goes, a pre-release sorts before its release (1.2.3-rc.1 -> 1.2.3~rc.1), commits after a tag
# sort after it (1.2.3-4-gabc1234 -> 1.2.3+git4.gabc1234), build metadata follows a + (and
# -dirty joins it: 1.2.3+git4.gabc1234.dirty). Fails when the result is no valid version.
deb_version() {
	local v=${1#v} meta="" pre="" dirty=0 out
	if [[ $v == *-dirty ]]; then
		dirty=1
		v=${v%-dirty}
	fi
	if [[ $v == *+* ]]; then
		meta=${v#*+}
		v=${v%%+*}
	fi
	if [[ $v =~ ^(.+)-([0-9]+)-g([0-9a-f]+)$ ]]; then
		v=${BASH_REMATCH[1]}
		meta="git${BASH_REMATCH[2]}.g${BASH_REMATCH[3]}${meta:+.$meta}"
	fi
	if [[ $v == *-* ]]; then
		pre=${v#*-}
		v=${v%%-*}
	fi
	((dirty)) && meta+="${meta:+.}dirty"
	out=$v
	[[ -n $pre ]] && out+="~${pre//-/.}"
	[[ -n $meta ]] && out+="+${meta//-/.}"
	if ! [[ $out =~ ^[0-9][A-Za-z0-9.+~]*$ ]]; then
		note "deb_version: '$1' gives '$out', which is no Debian version (it must start with a digit)"
		return 1
	fi
	printf '%s\n' "$out"
}
