#!/usr/bin/env bash
# Install what building and testing Hooklens needs, idempotently.
#   scripts/deps.sh              Go and Node checks, frontend node_modules, strace (Linux: the
#                                syscall-order test of acknowledged deliveries)
#   scripts/deps.sh --desktop    + GTK 3 / WebKitGTK 4.1 headers for the desktop binary
#   scripts/deps.sh --browser    + Chromium, Xvfb and tools for the e2e and desktop smoke tests
#   scripts/deps.sh --dist       + zip, unzip, file and curl for scripts/dist.sh and dist-check.sh
# Debian packages are installed with apt-get --no-install-recommends when run as
# root; otherwise the exact command to run is printed and the script fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

desktop=0 browser=0 dist=0
for arg in "$@"; do
	case $arg in
	--desktop) desktop=1 ;;
	--browser) browser=1 ;;
	--dist) dist=1 ;;
	-h | --help)
		sed -n '2,9s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*) die "deps.sh: unknown argument '$arg' (want --desktop, --browser and/or --dist)" ;;
	esac
done

TEST_PKGS=(strace)
DESKTOP_PKGS=(libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config)
BROWSER_PKGS=(chromium xvfb xauth x11-utils imagemagick curl)
DIST_PKGS=(zip unzip file curl)

installed() {
	[[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

apt_install() {
	local missing=() p
	for p in "$@"; do
		installed "$p" || missing+=("$p")
	done
	((${#missing[@]} == 0)) && return 0
	command -v apt-get >/dev/null 2>&1 ||
		die "missing packages ${missing[*]}, and this is not a Debian/Ubuntu system with apt-get; install their equivalents by hand"
	local cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
	if ((EUID != 0)); then
		die "missing Debian packages: ${missing[*]}
run as root:
  sudo sh -c '$cmd'
then run this command again"
	fi
	note "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	quietly apt-get update -q || die "apt-get update failed"
	quietly apt-get install -y -q --no-install-recommends "${missing[@]}" ||
		die "apt-get install of ${missing[*]} failed (output above)"
}

ensure_go
ensure_node

pkgs=()
# strace for cli's syscall-order test (it skips, saying so, without it); only where apt-get is.
[[ $(uname -s) == Linux ]] && command -v apt-get >/dev/null 2>&1 && pkgs+=("${TEST_PKGS[@]}")
((desktop)) && pkgs+=("${DESKTOP_PKGS[@]}")
((browser)) && pkgs+=("${BROWSER_PKGS[@]}")
((dist)) && pkgs+=("${DIST_PKGS[@]}")
((${#pkgs[@]})) && apt_install "${pkgs[@]}"

# Frontend packages: npm ci when node_modules is missing or older than the lock file.
lock=frontend/package-lock.json
stamp=frontend/node_modules/.package-lock.json
if [[ -f $lock ]] && { [[ ! -f $stamp ]] || [[ $lock -nt $stamp ]]; }; then
	note "deps: npm ci in frontend/"
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 quietly npm --prefix frontend ci --no-audit --no-fund --loglevel=error ||
		die "npm ci in frontend/ failed (output above)"
fi
