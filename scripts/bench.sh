#!/usr/bin/env bash
# The benchmark suite of issue 7 (`make bench`); bench/README.md explains every step and knob.
#   BENCH_QUICK=1      a quick run: one 100k store for everything, fewer and shorter rounds
#   BENCH_N=N          deliveries of the big store (default 1000000; quick: 100000)
#   BENCH_ROUNDS=R     interleaved ingest rounds (default 5; quick: 3)
#   BENCH_DURATION=D   length of one ingest run (default 3s; quick: 2s)
#   BENCH_SKIP="ui xfer"  steps to skip: ingest, query, xfer, ui, redecode
#   BENCH_WORK=DIR     where stores are built (default build/bench/work; removed at the end)
#   BENCH_KEEP=1       keep the stores and reuse them on the next run (they grow by what was ingested)
# Everything listens on 127.0.0.1 only; every step has a hard time limit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

quick=${BENCH_QUICK:-0}
if [[ $quick == 1 ]]; then
	n=${BENCH_N:-100000} rounds=${BENCH_ROUNDS:-3} duration=${BENCH_DURATION:-2s}
	runs=10 starts=3 ingest=3s xruns=1 loads=3 scrolls=2 live=5 liveruns=1 mode=quick
else
	n=${BENCH_N:-1000000} rounds=${BENCH_ROUNDS:-5} duration=${BENCH_DURATION:-3s}
	runs=20 starts=5 ingest=5s xruns=3 loads=5 scrolls=3 live=10 liveruns=3 mode=full
fi
skip=" ${BENCH_SKIP:-} "
work=${BENCH_WORK:-build/bench/work}
parts=build/bench/parts
t_start=$SECONDS

step() { note "== bench: $* ($((SECONDS - t_start)) s)"; }
skipped() { [[ $skip == *" $1 "* ]]; }

# --- build ------------------------------------------------------------------------------------
step "build"
ensure_go
if [[ ! -f frontend/dist/index.html ]] || { ! skipped ui && [[ ! -d frontend/node_modules/playwright-core ]]; }; then
	if command -v npm >/dev/null 2>&1; then
		ensure_node
		[[ -d frontend/node_modules ]] || timeout 600 npm --prefix frontend ci --no-audit --no-fund >&2
		[[ -f frontend/dist/index.html ]] || timeout 600 npm --prefix frontend run build >&2
	else
		note "bench: npm not found: the UI is not built (a serve without UI still measures the API)"
	fi
fi
mkdir -p frontend/dist build/bin build/bench "$work"
touch frontend/dist/.gitkeep
CGO_ENABLED=0 timeout 900 go build -o build/bin/hooklens . || die "go build of build/bin/hooklens failed"
for p in load seed query xfer report redecode; do
	timeout 900 go build -o "build/bench/$p" "./bench/$p" || die "go build of bench/$p failed"
done
rm -rf "$parts"
mkdir -p "$parts"

cleanup() {
	if [[ ${BENCH_KEEP:-0} != 1 ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT

# seed DIR N NAME ARGS...: build a store of N deliveries unless a kept one is there.
seed() {
	local dir=$1 count=$2 name=$3
	shift 3
	if [[ -f $dir/seed.json && ${BENCH_KEEP:-0} == 1 ]]; then
		note "bench: reusing the store in $dir (BENCH_KEEP=1)"
		return
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	timeout 2400 build/bench/seed -n "$count" -data "$dir" -part "$parts/$name.json" -name "$name" "$@"
}

# --- 1. ingest ---------------------------------------------------------------------------------
if ! skipped ingest; then
	step "ingest: bare handler vs hooklens serve --sync=always and --sync=os, $rounds rounds of $duration at 1 and 32 connections"
	timeout 900 build/bench/load -hooklens build/bin/hooklens -rounds "$rounds" -duration "$duration" \
		-sync always,os -tmp "$work" -out "$parts/ingest.json" || note "bench: ingest failed (exit $?)"
fi

# --- 2. queries, start time, RSS, store size on the big store ----------------------------------
# The big store has a 1,000-event conversation over the whole store; the 100k store (a copy of the
# big one after 100,000 deliveries in a full run) has a 10,000-event conversation for the UI.
big_store=$work/store-$n
small_store=$work/store-100k
if ! skipped query; then
	if [[ $n -gt 100000 ]]; then
		step "seed: $n deliveries (and a copy at 100,000)"
		seed "$big_store" "$n" seed -big 1000 -snapshot 100000 -ui 10000 -snapshot-data "$small_store"
	else
		step "seed: $n deliveries"
		seed "$big_store" "$n" seed -big 1000 -ui 10000
		small_store=$big_store
	fi
	step "queries, start time and RSS on the $n store"
	timeout 900 build/bench/query -hooklens build/bin/hooklens -data "$big_store" -runs "$runs" \
		-starts "$starts" -ingest "$ingest" -out "$parts/query.json" || note "bench: query failed (exit $?)"
fi

# --- 3. export / import and UI on a 100k store --------------------------------------------------
if { ! skipped xfer || ! skipped ui; } && [[ ! -f $small_store/seed.json ]]; then
	step "seed: 100000 deliveries with a 10,000-event conversation"
	seed "$small_store" 100000 seed100k -big 1000 -ui 10000
fi
if ! skipped xfer; then
	step "export / import of the 100k store"
	timeout 900 build/bench/xfer -hooklens build/bin/hooklens -data "$small_store" -runs "$xruns" \
		-tmp "$work" -out "$parts/xfer.json" || note "bench: xfer failed (exit $?)"
fi
if ! skipped ui; then
	step "UI with the 100k store"
	if command -v node >/dev/null 2>&1 && [[ -x /usr/bin/chromium ]]; then
		timeout 600 node bench/ui/ui.mjs --hooklens build/bin/hooklens --data "$small_store" \
			--out "$parts/ui.json" --loads "$loads" --scrolls "$scrolls" --live-seconds "$live" --live-runs "$liveruns" ||
			note "bench: ui failed (exit $?)"
	else
		note "bench: node or /usr/bin/chromium missing: UI figures not available (scripts/deps.sh --browser)"
	fi
fi

# --- 4. background re-decode of the 100k store after a decode.Version bump (issue 17) -----------
if ! skipped redecode && [[ -f $small_store/seed.json ]]; then
	step "re-decode of the 100k store (every event decoded again)"
	timeout 1200 build/bench/redecode -data "$small_store" -part "$parts/redecode.json" || note "bench: redecode failed (exit $?)"
fi

# --- report -------------------------------------------------------------------------------------
step "report"
config=$(printf '{"deliveries":%s,"ingest_rounds":%s,"ingest_duration":"%s","query_runs":%s,"starts":%s,"seconds":%s}' \
	"$n" "$rounds" "$duration" "$runs" "$starts" "$((SECONDS - t_start))")
build/bench/report -parts "$parts" -out bench/results.json -mode "$mode" -config "$config"
note "bench: done in $((SECONDS - t_start)) s; results in bench/results.json"
