#!/usr/bin/env bash
# Release artefacts in dist/ (`make dist`), made again from scratch on every run:
#   hooklens_<version>_<os>_<arch>.tar.gz  linux and darwin, amd64 and arm64: the headless binary
#   hooklens_<version>_windows_<arch>.zip  windows, amd64 and arm64            (pure Go, frontend
#                                          embedded) in a folder with README.md and LICENSE
#   hooklens_<deb version>_<arch>.deb      the Linux desktop build (Wails, GTK 3 + WebKitGTK 4.1)
#                                          for this machine's architecture, made with nfpm
#   checksums.txt                          SHA-256 of each: `sha256sum -c checksums.txt`
# <version> is stamp_version (scripts/lib.sh) without its leading v; every binary prints it as
# `hooklens version`. The artefacts are reproducible (sorted, owned by root, dated by the commit).
# DIST_DEB=0 skips the .deb (it needs the desktop headers: scripts/deps.sh --desktop).
# scripts/dist-check.sh verifies what this writes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

# nfpm, pinned: v2.48.0 builds with the Go this repository needs (a later release may need a
# newer one). `go run module@version` keeps it and its dependencies out of go.mod (the app does
# not link it), and Go caches the built tool, so only the first run compiles it.
NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
PLATFORMS=(linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64)
OUT=dist

ensure_go
version=$(stamp_version)
export HOOKLENS_VERSION=$version # scripts/build.sh stamps the same version
plain=${version#v}
epoch=$(git log -1 --format=%ct 2>/dev/null || date +%s)

# archive DIR OS: DIR (under $stage) as $OUT/DIR.tar.gz, or .zip for windows.
archive() {
	local dir=$1 os=$2
	find "$stage/$dir" -exec touch -h -d "@$epoch" {} +
	if [[ $os == windows ]]; then
		command -v zip >/dev/null 2>&1 || die "zip is needed for the windows archives: run scripts/deps.sh --dist"
		(cd "$stage" && zip -q -X -r "$OLDPWD/$OUT/$dir.zip" "$dir")
	else
		tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -cf - "$dir" |
			gzip -n -9 >"$OUT/$dir.tar.gz"
	fi
}

# build_archives: the headless binary for every platform, each in its archive.
build_archives() {
	local p os arch dir exe
	for p in "${PLATFORMS[@]}"; do
		os=${p%/*} arch=${p#*/}
		dir="hooklens_${plain}_${os}_${arch}"
		exe=hooklens
		[[ $os == windows ]] && exe=hooklens.exe
		mkdir -p "$stage/$dir"
		CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath \
			-ldflags "-s -w -X main.version=$version" -o "$stage/$dir/$exe" . ||
			die "go build for $os/$arch failed"
		cp README.md LICENSE "$stage/$dir/"
		archive "$dir" "$os"
	done
}

# deb_arch: this machine's architecture as Debian names it.
deb_arch() {
	if command -v dpkg >/dev/null 2>&1; then
		dpkg --print-architecture
	else
		go env GOARCH
	fi
}

# build_deb: the desktop binary packaged by nfpm with build/linux/nfpm.yaml.
build_deb() {
	bash scripts/build.sh desktop
	local dv
	dv=$(deb_version "$version") || die "cannot package version $version as a .deb"
	DEB_VERSION=$dv DEB_ARCH=$(deb_arch) SOURCE_DATE_EPOCH=$epoch \
		quietly go run "$NFPM" package --config build/linux/nfpm.yaml --packager deb --target "$OUT/" ||
		die "nfpm could not package the .deb"
}

rm -rf "$OUT"
mkdir -p "$OUT"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

bash scripts/build.sh frontend
build_archives
if [[ ${DIST_DEB:-1} == 0 ]]; then
	note "dist: no .deb (DIST_DEB=0)"
elif [[ $(go env GOOS) != linux ]]; then
	note "dist: no .deb (the desktop .deb is built on Linux only)"
else
	build_deb
fi
(cd "$OUT" && sha256sum -- * >checksums.txt)
note "dist: version $version"
(cd "$OUT" && ls -l --block-size=K -- * | awk '{printf "  %8s  %s\n", $5, $9}') >&2
