#!/usr/bin/env bash
# Build Hooklens. Assumes scripts/deps.sh has run (the Makefile and run.sh do that).
#   scripts/build.sh frontend   frontend/dist (skipped when it is newer than its sources)
#   scripts/build.sh headless   build/bin/hooklens          pure Go (CGO_ENABLED=0), `hooklens serve`
#   scripts/build.sh desktop    build/bin/hooklens-desktop  Wails window, needs GTK 3 + WebKitGTK 4.1
# headless and desktop build the frontend first, since the binary embeds it.
# Set FORCE=1 to rebuild the frontend even when it looks fresh. Both binaries carry the version
# from stamp_version (scripts/lib.sh: git describe, or HOOKLENS_VERSION) for `hooklens version`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

# frontend_stale: true when frontend/dist/index.html is missing or older than a source.
frontend_stale() {
	local out=frontend/dist/index.html
	[[ ${FORCE:-0} == 1 || ! -f $out ]] && return 0
	local newer
	newer=$(find frontend/src frontend/public frontend/index.html frontend/package-lock.json \
		frontend/vite.config.* frontend/svelte.config.* frontend/tsconfig*.json \
		-newer "$out" -print -quit 2>/dev/null || true)
	[[ -n $newer ]]
}

build_frontend() {
	ensure_node
	local rc=0
	if frontend_stale; then
		quietly npm --prefix frontend run build || rc=$?
	fi
	# vite empties dist/; keep the placeholder that lets `go:embed all:frontend/dist`
	# compile in a fresh clone (and `go vet` run after a failed frontend build).
	mkdir -p frontend/dist
	touch frontend/dist/.gitkeep
	((rc == 0)) || die "frontend build failed (output above)"
}

build_headless() {
	ensure_go
	build_frontend
	mkdir -p build/bin
	CGO_ENABLED=0 go build -ldflags "-X main.version=$(stamp_version)" -o build/bin/hooklens . || die "go build of build/bin/hooklens failed"
}

build_desktop() {
	ensure_go
	build_frontend
	if ! { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gtk+-3.0 webkit2gtk-4.1; }; then
		die "the desktop build needs GTK 3 and WebKitGTK 4.1 headers: run scripts/deps.sh --desktop"
	fi
	mkdir -p build/bin
	CGO_ENABLED=1 go build -tags production,webkit2_41 -ldflags "-w -s -X main.version=$(stamp_version)" \
		-o build/bin/hooklens-desktop . ||
		die "go build of build/bin/hooklens-desktop failed"
}

case ${1:-} in
frontend) build_frontend ;;
headless) build_headless ;;
desktop) build_desktop ;;
*) die "usage: scripts/build.sh frontend|headless|desktop" ;;
esac
