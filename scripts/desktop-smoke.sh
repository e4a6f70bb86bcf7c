#!/usr/bin/env bash
# Smoke test of the desktop face under Xvfb: build the production binary, start
# it with a fresh data dir and a free receiver port, wait for the "Hooklens"
# window, screenshot it (build/artifacts/desktop-smoke.png) and check it is not
# blank, check the receiver answers a POST with 200 and that the window changes
# when the delivery arrives (Wails event bridge), then stop the app with SIGTERM
# and check it exits cleanly. Needs scripts/deps.sh --desktop --browser.
#   SMOKE_SKIP_BUILD=1          use the existing binary, do not build
#   HOOKLENS_DESKTOP_BIN=PATH   the binary to test (default build/bin/hooklens-desktop)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

ART=build/artifacts
BIN=${HOOKLENS_DESKTOP_BIN:-build/bin/hooklens-desktop}
SHOT=$ART/desktop-smoke.png
SHOT_AFTER=$ART/desktop-smoke-after.png
LOG=$ART/desktop-smoke.log
WINDOW_TIMEOUT=${SMOKE_WINDOW_TIMEOUT:-60}  # seconds until the window must exist
RENDER_TIMEOUT=${SMOKE_RENDER_TIMEOUT:-45}  # seconds until the page must be drawn
MIN_STDDEV=0.02                              # below this the screenshot is one flat colour
MIN_CHANGED_PIXELS=300                       # a new row in the list changes far more

fail() {
	note "desktop-smoke: FAIL: $*"
	if [[ -s $LOG ]]; then
		note "--- last lines of $LOG ---"
		tail -n 40 "$LOG" >&2
	fi
	exit 1
}

stddev() { convert "$1" -format '%[fx:standard_deviation]' info: 2>/dev/null; }

# inner runs inside xvfb-run: everything that needs the X display.
inner() {
	local data pid receiver="" i
	data=$(mktemp -d)
	: >"$LOG"
	WEBKIT_DISABLE_COMPOSITING_MODE=1 "$BIN" --data "$data" --listen 127.0.0.1:0 >"$LOG" 2>&1 &
	pid=$!
	# shellcheck disable=SC2064
	trap "kill -KILL $pid 2>/dev/null || true; rm -rf '$data'" EXIT

	alive() { kill -0 "$pid" 2>/dev/null; }

	# 1. the window
	for ((i = 0; i < WINDOW_TIMEOUT * 4; i++)); do
		alive || fail "the app exited before its window appeared"
		xwininfo -root -tree 2>/dev/null | grep -q '"Hooklens' && break
		sleep 0.25
	done
	xwininfo -root -tree 2>/dev/null | grep -q '"Hooklens' ||
		fail "no window named Hooklens after ${WINDOW_TIMEOUT}s"

	# 2. the receiver URL the app printed (it listens on a free port)
	for ((i = 0; i < 40; i++)); do
		receiver=$(grep -oE 'Receiver: *http://[^ ]+' "$LOG" | head -n1 | sed -E 's/^Receiver: *//') || true
		[[ -n $receiver ]] && break
		sleep 0.25
	done
	[[ -n $receiver ]] || fail "the app printed no 'Receiver: http://…' line"
	[[ $receiver =~ :0/?$ ]] && fail "the app printed the receiver as $receiver, not the port it bound"

	# 3. a drawn page: wait until the screenshot is not one flat colour and has settled
	local sd="0" prev=""
	for ((i = 0; i < RENDER_TIMEOUT; i++)); do
		alive || fail "the app exited while its page was loading"
		sleep 1
		import -window root "$SHOT" 2>/dev/null || continue
		sd=$(stddev "$SHOT")
		if awk -v s="$sd" -v m="$MIN_STDDEV" 'BEGIN{exit !(s > m)}'; then
			[[ $sd == "$prev" ]] && break # settled
			((i >= 10)) && break          # drawn, but something keeps moving
			prev=$sd
		fi
	done
	awk -v s="$sd" -v m="$MIN_STDDEV" 'BEGIN{exit !(s > m)}' ||
		fail "the window looks blank (standard deviation $sd <= $MIN_STDDEV, see $SHOT)"

	# 4. the receiver takes a delivery
	local code
	code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 \
		-H 'Content-Type: application/json' \
		--data '{"action":"incoming_chat","webhook_id":"smoke","secret_key":"","payload":{"chat":{"id":"SMOKE00001"}}}' \
		"${receiver%/}/livechat") || fail "POST ${receiver%/}/livechat did not complete"
	[[ $code == 200 ]] || fail "POST ${receiver%/}/livechat answered $code; want 200"

	# 5. the live feed reaches the window: the screen changes once the delivery is shown
	# (fuzz and a pixel count so a blinking caret does not count as a change)
	local changed=0 ae
	for ((i = 0; i < 20; i++)); do
		sleep 0.5
		import -window root "$SHOT_AFTER" 2>/dev/null || continue
		ae=$(compare -metric AE -fuzz 5% "$SHOT" "$SHOT_AFTER" null: 2>&1 >/dev/null || true)
		if [[ $ae =~ ^[0-9.e+]+$ ]] && awk -v a="$ae" -v m="$MIN_CHANGED_PIXELS" 'BEGIN{exit !(a > m)}'; then
			changed=1
			break
		fi
	done
	((changed)) || fail "the window did not change within 10s of a delivery (Wails 'deliveries' event; compare $SHOT and $SHOT_AFTER)"

	# 6. a clean stop
	kill -TERM "$pid"
	local rc=0
	for ((i = 0; i < 60; i++)); do
		alive || break
		sleep 0.25
	done
	alive && fail "the app did not exit within 15s of SIGTERM"
	wait "$pid" || rc=$?
	((rc == 0)) || fail "the app exited with status $rc after SIGTERM; want 0"
	# shellcheck disable=SC2064
	trap "rm -rf '$data'" EXIT
}

if [[ ${1:-} == --inner ]]; then
	inner
	exit 0
fi

for tool in xvfb-run xwininfo import convert compare curl; do
	command -v "$tool" >/dev/null ||
		die "desktop-smoke needs $tool (xvfb, x11-utils, imagemagick, curl): run scripts/deps.sh --desktop --browser"
done
mkdir -p "$ART"
rm -f "$SHOT" "$SHOT_AFTER"
[[ ${SMOKE_SKIP_BUILD:-0} == 1 ]] || bash scripts/build.sh desktop
[[ -x $BIN ]] || die "$BIN is missing: run scripts/build.sh desktop"
xvfb-run -a -s "-screen 0 1280x800x24" bash "$0" --inner
note "desktop-smoke: ok (window up, screenshot $SHOT, receiver 200, live update, clean exit)"
