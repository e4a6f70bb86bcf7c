#!/usr/bin/env bash
# Check the release artefacts scripts/dist.sh wrote in dist/ (the `dist` step of scripts/test.sh):
#   1. deb_version maps git versions to Debian versions that sort the same way
#   2. plain cross builds: GOOS=darwin and GOOS=windows (CGO_ENABLED=0) go vet + go build ./...
#      (vet leaves out backend/schema: see check_cross)
#   3. checksums.txt matches; every archive holds README.md, LICENSE and a binary of its
#      platform's format and architecture (ELF, Mach-O, PE, read by `file`); the native one
#      prints the stamped version
#   4. the .deb: its version, dependencies and files; then, as root, `apt-get install` it, run
#      /usr/bin/hooklens version and a `hooklens serve` smoke request, and remove it again
#      (not root: the install part is skipped with a message)
# HOOKLENS_VERSION must be what dist.sh stamped when it is set; else stamp_version is used.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
ensure_go

OUT=dist
version=$(stamp_version)
plain=${version#v}
tmp=$(mktemp -d)
installed_pkg=0
cleanup() {
	[[ -n ${serve_pid:-} ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
	if ((installed_pkg)); then
		quietly apt-get remove -y -q hooklens || note "dist-check: could not remove the hooklens package"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() { die "dist-check: $*"; }

check_deb_version() {
	local cases=(
		"v1.2.3=1.2.3"
		"v1.2.3-rc.1=1.2.3~rc.1"
		"v1.2.3-4-gabc1234=1.2.3+git4.gabc1234"
		"v1.2.3-4-gabc1234-dirty=1.2.3+git4.gabc1234.dirty"
		"v2.0.0-beta-1-2-gdeadbee=2.0.0~beta.1+git2.gdeadbee"
		"0.0.0-dev+0cdda69=0.0.0~dev+0cdda69"
		"0.0.0-dev+0cdda69.dirty=0.0.0~dev+0cdda69.dirty"
	) c got
	for c in "${cases[@]}"; do
		got=$(deb_version "${c%%=*}")
		[[ $got == "${c#*=}" ]] || fail "deb_version ${c%%=*} = $got; want ${c#*=}"
	done
	dpkg --compare-versions 1.2.3~rc.1 lt 1.2.3 && dpkg --compare-versions 1.2.3 lt 1.2.3+git4.gabc1234 ||
		fail "Debian does not sort the mapped versions as git does"
	deb_version release-1 >/dev/null 2>&1 && fail "deb_version accepted release-1, which is no Debian version"
	echo "deb_version: ${#cases[@]} mappings ok"
}

# check_cross: -trimpath as in dist.sh, so that these reuse the packages its builds compiled.
# go vet type-checks test files too, so it would compile every test-only dependency for each
# system; backend/schema is left out of it: it has no system-specific code, and its tests pull
# in the OpenAPI and JSON Schema validators (a few minutes on a fresh machine). It is still built.
check_cross() {
	local os pkgs
	pkgs=$(go list ./... | grep -vx 'hooklens/backend/schema')
	for os in darwin windows; do
		# shellcheck disable=SC2086 # one package per word
		CGO_ENABLED=0 GOOS=$os GOARCH=amd64 go vet -trimpath $pkgs || fail "GOOS=$os go vet failed"
		CGO_ENABLED=0 GOOS=$os GOARCH=arm64 go build -trimpath ./... || fail "GOOS=$os go build ./... failed"
	done
	echo "cross: go vet (amd64, all but backend/schema) and go build (arm64) ./... pass for darwin and windows"
}

# want_format OS ARCH: the words `file` prints for such a binary (an extended regexp).
want_format() {
	local arch
	case $1/$2 in
	linux/amd64) echo 'ELF 64-bit LSB .*x86-64.*statically linked' ;;
	linux/arm64) echo 'ELF 64-bit LSB .*ARM aarch64.*statically linked' ;;
	darwin/amd64) echo 'Mach-O 64-bit x86_64 executable' ;;
	darwin/arm64) echo 'Mach-O 64-bit arm64 executable' ;;
	windows/amd64) echo 'PE32\+ executable.*x86-64.*Windows' ;;
	windows/arm64) echo 'PE32\+ executable.*Aarch64.*Windows' ;;
	esac
}

check_archives() {
	command -v file >/dev/null 2>&1 || fail "\`file\` is needed: run scripts/deps.sh --dist"
	[[ -f $OUT/checksums.txt ]] || fail "$OUT/checksums.txt is missing: run scripts/dist.sh"
	(cd "$OUT" && sha256sum --quiet -c checksums.txt) || fail "checksums.txt does not match dist/"
	local p os arch dir a bin got n=0
	for p in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64; do
		os=${p%/*} arch=${p#*/}
		dir="hooklens_${plain}_${os}_${arch}"
		bin=$tmp/$dir/hooklens
		if [[ $os == windows ]]; then
			a=$OUT/$dir.zip bin+=.exe
			[[ -f $a ]] || fail "$a is missing"
			unzip -q "$a" -d "$tmp" || fail "cannot unzip $a"
		else
			a=$OUT/$dir.tar.gz
			[[ -f $a ]] || fail "$a is missing"
			tar -C "$tmp" -xzf "$a" || fail "cannot unpack $a"
		fi
		grep -qx "$(basename "$a")" < <(awk '{print $2}' "$OUT/checksums.txt") || fail "checksums.txt has no line for $a"
		[[ -f $tmp/$dir/README.md && -f $tmp/$dir/LICENSE ]] || fail "$a lacks README.md or LICENSE"
		[[ -x $bin ]] || fail "$a holds no executable $(basename "$bin")"
		got=$(file -b "$bin")
		[[ $got =~ $(want_format "$os" "$arch") ]] || fail "$a: $(basename "$bin") is '$got'; want $(want_format "$os" "$arch")"
		printf '  %-48s %s\n' "$(basename "$a")" "${got%%,*}"
		n=$((n + 1))
	done
	got=$("$tmp/hooklens_${plain}_linux_$(go env GOARCH)/hooklens" version)
	[[ $got == "hooklens $version" ]] || fail "the linux archive's hooklens version says '$got'; want 'hooklens $version'"
	echo "archives: $n checked, checksums match, the native binary says '$got'"
}

deb_file() {
	local f
	f=$(find "$OUT" -maxdepth 1 -name 'hooklens_*.deb' -print -quit)
	[[ -n $f ]] || fail "no hooklens_*.deb in $OUT: run scripts/dist.sh"
	echo "$f"
}

check_deb_contents() {
	local deb=$1 want got
	want=$(deb_version "$version")
	got=$(dpkg-deb -f "$deb" Version)
	[[ $got == "$want" ]] || fail "$deb has Version $got; want $want"
	got=$(dpkg-deb -f "$deb" Depends)
	[[ $got == *libwebkit2gtk-4.1-0* && $got == *libgtk-3-0* ]] || fail "$deb Depends: $got; want libwebkit2gtk-4.1-0 and libgtk-3-0"
	local listing path
	listing=$(dpkg-deb -c "$deb")
	for path in ./usr/bin/hooklens ./usr/share/applications/hooklens.desktop \
		./usr/share/icons/hicolor/512x512/apps/hooklens.png ./usr/share/doc/hooklens/copyright; do
		grep -q " $path\$" <<<"$listing" || fail "$deb lacks $path"
	done
	grep -qE '^-rwxr-xr-x .* \./usr/bin/hooklens$' <<<"$listing" || fail "/usr/bin/hooklens is not mode 0755 in $deb"
	echo "deb: $(basename "$deb"): Version $want, Depends on WebKitGTK 4.1 and GTK 3, binary, .desktop entry, icon"
}

# smoke_serve: /usr/bin/hooklens serve on loopback ports of its own, a delivery, then health.
smoke_serve() {
	local log=$tmp/serve.log token=dist-check-token receiver ui code health i
	/usr/bin/hooklens serve --data "$tmp/data" --listen 127.0.0.1:0 --ui 127.0.0.1:0 --token "$token" >"$log" 2>&1 &
	serve_pid=$!
	for i in $(seq 100); do
		grep -q '^UI: ' "$log" && break
		kill -0 "$serve_pid" 2>/dev/null || { cat "$log" >&2; fail "hooklens serve exited"; }
		sleep 0.1
	done
	receiver=$(sed -n 's/^Receiver: //p' "$log")
	ui=$(sed -n 's|^UI: \(http://[^/]*\)/.*|\1|p' "$log")
	[[ -n $receiver && -n $ui ]] || { cat "$log" >&2; fail "hooklens serve printed no receiver and UI address"; }
	code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
		--data '{"action":"incoming_chat","webhook_id":"dist","secret_key":"","payload":{"chat":{"id":"DIST000001"}}}' \
		"${receiver%/}/livechat") || fail "POST ${receiver%/}/livechat did not complete"
	[[ $code == 200 ]] || fail "POST ${receiver%/}/livechat answered $code; want 200"
	health=$(curl -sS --fail --max-time 10 -H "Authorization: Bearer $token" "$ui/api/v1/health") ||
		fail "GET $ui/api/v1/health failed"
	[[ $health == *"\"version\":\"$version\""* ]] || fail "health says $health; want version $version"
	[[ $health =~ \"deliveries\":([0-9]+) ]] && ((BASH_REMATCH[1] >= 1)) || fail "health says $health; want a delivery"
	kill "$serve_pid"
	wait "$serve_pid" 2>/dev/null || true
	serve_pid=
	echo "serve: POST ${receiver%/}/livechat -> $code; health: $health"
}

check_deb_install() {
	local deb=$1 got
	if ((EUID != 0)); then
		note "dist-check: not root: skipping the install of $(basename "$deb") (apt-get install, /usr/bin/hooklens version and serve); run as root to check it"
		return 0
	fi
	if [[ $(dpkg-query -W -f='${Status}' hooklens 2>/dev/null) == "install ok installed" ]]; then
		note "dist-check: a hooklens package is installed already: skipping the install of $(basename "$deb") so as not to replace it"
		return 0
	fi
	export DEBIAN_FRONTEND=noninteractive
	installed_pkg=1
	quietly apt-get install -y -q --no-install-recommends "./$deb" || fail "apt-get install ./$deb failed"
	got=$(/usr/bin/hooklens version)
	[[ $got == "hooklens $version" ]] || fail "/usr/bin/hooklens version says '$got'; want 'hooklens $version'"
	echo "installed: /usr/bin/hooklens version: $got"
	smoke_serve
	quietly apt-get remove -y -q hooklens || fail "apt-get remove hooklens failed"
	installed_pkg=0
	[[ ! -e /usr/bin/hooklens ]] || fail "/usr/bin/hooklens is still there after apt-get remove"
	echo "removed: the hooklens package"
}

check_deb_version
check_cross
check_archives
if [[ ${DIST_DEB:-1} == 0 ]]; then
	note "dist-check: no .deb to check (DIST_DEB=0)"
else
	deb=$(deb_file)
	check_deb_contents "$deb"
	check_deb_install "$deb"
fi
