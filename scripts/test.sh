#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this):
# deps, gofmt, generated API types up to date, svelte-check, vitest, frontend build, go vet, go test, short fuzz
# runs of every Fuzz* target, the headless binary + Playwright e2e, and the
# desktop binary + its Xvfb smoke test, and the release artefacts (scripts/dist.sh, checked by
# scripts/dist-check.sh: formats, checksums, darwin/windows cross vet and build, the .deb
# installed for a smoke request when run as root). Every step runs even when an earlier
# one failed (steps that need a failed build are skipped); the last line is
# the summary and the exit status is non-zero when anything failed.
#   FUZZTIME=6s                    per fuzz target (their seed corpora also run in go test)
#   GOTEST_TIMEOUT=5m              go test -timeout
#   HOOKLENS_TEST_SKIP="fuzz e2e"  skip steps by name (deps gofmt generate check vitest
#                                  frontend vet gotest fuzz headless e2e desktop smoke dist)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
ensure_go

FUZZTIME=${FUZZTIME:-6s}
GOTEST_TIMEOUT=${GOTEST_TIMEOUT:-5m} # a hung test must not eat the 20-minute budget
SKIP=" ${HOOKLENS_TEST_SKIP:-} "

names=() results=() times=()
failed=()
t_all=$(date +%s%N)

fmt_ms() { awk -v n="$1" 'BEGIN{s=n/1e9; if (s>=60) printf "%dm%04.1fs", s/60, s-int(s/60)*60; else printf "%.1fs", s}'; }

# step NAME TITLE CMD...: run CMD in a subshell with errexit, timed, with a header.
step() {
	local name=$1 title=$2 rc=0 t0
	shift 2
	if [[ $SKIP == *" $name "* ]]; then
		printf '\n==> %s: skipped (HOOKLENS_TEST_SKIP)\n' "$title"
		names+=("$title") results+=(skip) times+=(0)
		return 0
	fi
	printf '\n==> %s\n' "$title"
	t0=$(date +%s%N)
	set +e
	(
		set -e
		"$@"
	)
	rc=$?
	set -e
	local dt=$(($(date +%s%N) - t0))
	names+=("$title") times+=("$dt")
	if ((rc == 0)); then
		results+=(ok)
		printf -- '--- ok (%s)\n' "$(fmt_ms "$dt")"
	else
		results+=(FAIL)
		failed+=("$name")
		printf -- '--- FAIL: %s (exit %d, %s)\n' "$title" "$rc" "$(fmt_ms "$dt")"
	fi
}

# skip_step NAME TITLE WHY: record a step that cannot run.
skip_step() {
	printf '\n==> %s: skipped (%s)\n' "$2" "$3"
	names+=("$2") results+=(skip) times+=(0)
}

has_failed() { [[ " ${failed[*]} " == *" $1 "* ]]; }

go_files() {
	find . \( -path ./.git -o -path ./frontend/node_modules -o -path ./build \) -prune -o -name '*.go' -print
}

run_gofmt() {
	local bad
	bad=$(go_files | xargs -r gofmt -l)
	if [[ -n $bad ]]; then
		note "gofmt: these files need \`gofmt -w\`:"
		note "$bad"
		return 1
	fi
}

# run_gotest runs every Go test; the backend (where the goroutines are) under the race detector.
# The deps step ran npm ci, so the schema tests must find the frontend's tsc (no skipping).
run_gotest() {
	export HOOKLENS_REQUIRE_TSC=1
	go test -count=1 -race -timeout "$GOTEST_TIMEOUT" ./backend/...
	go test -count=1 -timeout "$GOTEST_TIMEOUT" $(go list ./... | grep -v '^hooklens/backend')
}

# fuzz_targets: "dir target" lines for every Fuzz* function in a _test.go file.
fuzz_targets() {
	local f
	grep -rlE --include='*_test.go' --exclude-dir=node_modules --exclude-dir=.git \
		--exclude-dir=testdata '^func Fuzz[A-Za-z0-9_]*\(' . 2>/dev/null | sort |
		while read -r f; do
			grep -oE '^func Fuzz[A-Za-z0-9_]*\(' "$f" | sed -E 's/^func (Fuzz[A-Za-z0-9_]*)\(/\1/' |
				while read -r t; do printf '%s %s\n' "$(dirname "$f")" "$t"; done
		done | sort -u
}

# fuzz_deadline_flake LOG: true when a fuzz run failed only with the Go 1.26
# coordinator race at the end of -fuzztime (golang/go#75804, fixed in Go 1.27):
# a bare "context deadline exceeded" and no failing input written.
fuzz_deadline_flake() {
	grep -q 'context deadline exceeded' "$1" &&
		! grep -qE 'Failing input written|panic:|fuzz: minimizing|_test\.go:[0-9]+:' "$1"
}

run_fuzz() {
	local dir target rc=0 n=0 t0 lines status attempt
	lines=$(fuzz_targets)
	if [[ -z $lines ]]; then
		echo "no Fuzz* targets found"
		return 0
	fi
	while read -r dir target; do
		n=$((n + 1))
		t0=$(date +%s%N)
		status=FAIL
		for attempt in 1 2; do
			if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$dir" >"$tmp/fuzz.log" 2>&1; then
				status=ok
				((attempt == 2)) && status="ok (retried after the golang/go#75804 deadline flake)"
				break
			fi
			fuzz_deadline_flake "$tmp/fuzz.log" || break
			status="flake (golang/go#75804 twice, no failing input)"
		done
		local took note=""
		took=$(fmt_ms $(($(date +%s%N) - t0)))
		[[ $status == *' '* ]] && note=" ${status#* }"
		case $status in
		ok* | flake*) printf '  %-5s %-40s %s (%s)%s\n' "${status%% *}" "$target" "$dir" "$took" "$note" ;;
		*)
			rc=1
			printf '  FAIL  %-40s %s (%s)\n' "$target" "$dir" "$took"
			sed 's/^/        /' "$tmp/fuzz.log"
			;;
		esac
	done <<<"$lines"
	echo "$n fuzz target(s), $FUZZTIME each"
	return "$rc"
}

# generated_files: what `go generate ./backend/api` writes (the API schema and TypeScript types).
generated_files=(docs/api.schema.json frontend/src/lib/types/api.gen.ts)

# run_generate regenerates them and fails when that changes what is committed.
run_generate() {
	go generate ./backend/api
	if ! git diff --exit-code -- "${generated_files[@]}" || [[ -n $(git status --porcelain -- "${generated_files[@]}") ]]; then
		note "generate: the API types are stale: run \`go generate ./backend/api\` and commit the result"
		return 1
	fi
}

run_e2e() {
	HOOKLENS_BIN="$PWD/build/bin/hooklens" npm --prefix frontend run e2e
}

e2e_specs() {
	[[ -d frontend/e2e ]] && find frontend/e2e -type f \( -name '*.spec.*' -o -name '*.test.*' \) -print -quit | grep -q .
}

# run_dist builds dist/ and checks it, both with one stamped version.
run_dist() {
	HOOKLENS_VERSION=$(stamp_version)
	export HOOKLENS_VERSION
	bash scripts/dist.sh
	bash scripts/dist-check.sh
}

run_desktop() {
	go vet -tags production,webkit2_41 . ./app
	bash scripts/build.sh desktop
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step deps "deps (scripts/deps.sh --desktop --browser --dist)" bash scripts/deps.sh --desktop --browser --dist
step gofmt "gofmt -l" run_gofmt
step generate "go generate ./backend/api (API types up to date)" run_generate
step check "frontend: svelte-check" npm --prefix frontend run --silent check
step vitest "frontend: vitest" npm --prefix frontend test --silent
step frontend "frontend: build" env FORCE=1 bash scripts/build.sh frontend
step vet "go vet ./..." go vet ./...
step gotest "go test -count=1 (-race over backend/) ./..." run_gotest
step fuzz "fuzz (${FUZZTIME} per target)" run_fuzz
if has_failed frontend; then
	skip_step headless "build build/bin/hooklens (pure Go)" "frontend build failed"
else
	step headless "build build/bin/hooklens (pure Go)" bash scripts/build.sh headless
fi
if has_failed headless || has_failed frontend; then
	skip_step e2e "e2e (Playwright, HOOKLENS_BIN)" "headless build failed"
elif ! e2e_specs; then
	skip_step e2e "e2e (Playwright, HOOKLENS_BIN)" "no specs in frontend/e2e yet"
else
	step e2e "e2e (Playwright, HOOKLENS_BIN)" run_e2e
fi
if has_failed frontend; then
	skip_step desktop "desktop: vet + build build/bin/hooklens-desktop" "frontend build failed"
else
	step desktop "desktop: vet + build build/bin/hooklens-desktop" run_desktop
fi
if has_failed desktop || has_failed frontend; then
	skip_step smoke "desktop smoke test (Xvfb)" "desktop build failed"
else
	step smoke "desktop smoke test (Xvfb)" env SMOKE_SKIP_BUILD=1 bash scripts/desktop-smoke.sh
fi
if has_failed frontend || has_failed desktop; then
	skip_step dist "dist: archives, .deb, cross builds (scripts/dist.sh + dist-check.sh)" "frontend or desktop build failed"
else
	step dist "dist: archives, .deb, cross builds (scripts/dist.sh + dist-check.sh)" run_dist
fi

total=$(($(date +%s%N) - t_all))
printf '\n==> summary\n'
skipped=0
for i in "${!names[@]}"; do
	[[ ${results[$i]} == skip ]] && skipped=$((skipped + 1))
	printf '  %-4s  %8s  %s\n' "${results[$i]}" "$(fmt_ms "${times[$i]}")" "${names[$i]}"
done
if ((${#failed[@]})); then
	printf 'test.sh: FAIL (%s) — %d of %d steps failed, %d skipped, in %s\n' "${failed[*]}" "${#failed[@]}" "${#names[@]}" "$skipped" "$(fmt_ms "$total")"
	exit 1
fi
printf 'test.sh: PASS — %d steps ok, %d skipped, in %s\n' "$((${#names[@]} - skipped))" "$skipped" "$(fmt_ms "$total")"
