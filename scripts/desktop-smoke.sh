#!/usr/bin/env bash
# Smoke test of the desktop face under Xvfb: build the production binary, start
# it with a fresh data dir (holding a saved window geometry) and a free receiver
# port, wait for the "Hooklens" window and check it was restored where it was
# saved, screenshot it (build/artifacts/desktop-smoke.png) and check it is not
# blank, check the receiver answers a POST with 200 and that the window changes
# when the delivery arrives (Wails event bridge); then, with synthetic input
# (XTEST through python3, skipped when unavailable), open the File menu of the
# native menu bar, export through it and its save dialog, and import the export
# through the open dialog; then open the page's own Export… (the inbox toolbar),
# export NDJSON through it and the native save dialog, and check the file holds
# every delivery of the store; stop the app with SIGTERM, check it exits cleanly
# and that it saved its window geometry. Needs scripts/deps.sh --desktop --browser.
#   SMOKE_SKIP_BUILD=1          use the existing binary, do not build
#   HOOKLENS_DESKTOP_BIN=PATH   the binary to test (default build/bin/hooklens-desktop)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

ART=build/artifacts
BIN=${HOOKLENS_DESKTOP_BIN:-build/bin/hooklens-desktop}
SHOT=$ART/desktop-smoke.png
SHOT_AFTER=$ART/desktop-smoke-after.png
SHOT_MENU=$ART/desktop-smoke-menu.png
SHOT_IMPORT=$ART/desktop-smoke-import.png
SHOT_EXPORT=$ART/desktop-smoke-page-export.png
LOG=$ART/desktop-smoke.log
WINDOW_TIMEOUT=${SMOKE_WINDOW_TIMEOUT:-60}  # seconds until the window must exist
RENDER_TIMEOUT=${SMOKE_RENDER_TIMEOUT:-45}  # seconds until the page must be drawn
MIN_STDDEV=0.02                              # below this the screenshot is one flat colour
MIN_CHANGED_PIXELS=300                       # a new row in the list changes far more
# The saved geometry: too narrow on purpose, so the app must fit it (to its minimum width) and
# save the fitted one, which proves both the restore and the save.
SEED_GEOMETRY='{"x":40,"y":30,"width":500,"height":700}'
WANT_X=40 WANT_Y=30 WANT_W=900 WANT_H=700
WANT_SAVED='{"x":40,"y":30,"width":900,"height":700}'

fail() {
	note "desktop-smoke: FAIL: $*"
	if [[ -s $LOG ]]; then
		note "--- last lines of $LOG ---"
		tail -n 40 "$LOG" >&2
	fi
	exit 1
}

stddev() { convert "$1" -format '%[fx:standard_deviation]' info: 2>/dev/null; }

# changed A B: true when B differs from A in more than MIN_CHANGED_PIXELS pixels (with fuzz, so
# a blinking caret does not count).
changed() {
	local ae
	ae=$(compare -metric AE -fuzz 5% "$1" "$2" null: 2>&1 >/dev/null || true)
	[[ $ae =~ ^[0-9.e+]+$ ]] && awk -v a="$ae" -v m="$MIN_CHANGED_PIXELS" 'BEGIN{exit !(a > m)}'
}

# sql DB STATEMENT: run SQL on the store with the sqlite3 CLI or python3.
sql() {
	if command -v sqlite3 >/dev/null; then
		sqlite3 "$1" "$2"
	else
		python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for row in c.execute(sys.argv[2]): print("|".join(map(str, row)))
c.commit()' "$1" "$2"
	fi
}

# xin CMD ARGS: synthetic input through the XTEST extension (no xdotool needed):
#   xin check | move X Y | click X Y | key [ctrl+][shift+]NAME | type TEXT
xin() {
	python3 - "$@" <<'PY'
import ctypes, ctypes.util, sys, time
x11 = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
xt = ctypes.cdll.LoadLibrary(ctypes.util.find_library("Xtst") or "libXtst.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XStringToKeysym.restype = ctypes.c_ulong
x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
d = x11.XOpenDisplay(None)
if not d:
    sys.exit("xin: cannot open the display")
dp = ctypes.c_void_p(d)
n = ctypes.c_int()
if not xt.XTestQueryExtension(dp, ctypes.byref(n), ctypes.byref(n), ctypes.byref(n), ctypes.byref(n)):
    sys.exit("xin: no XTEST extension")

def sync():
    x11.XFlush(dp)
    time.sleep(0.05)

def code(name):
    c = x11.XKeysymToKeycode(dp, x11.XStringToKeysym(name.encode()))
    if not c:
        sys.exit("xin: no key " + name)
    return c

def key(combo):
    *mods, name = combo.split("+")
    codes = [code({"ctrl": "Control_L", "shift": "Shift_L"}[m]) for m in mods] + [code(name)]
    for c in codes:
        xt.XTestFakeKeyEvent(dp, c, 1, 0); sync()
    for c in reversed(codes):
        xt.XTestFakeKeyEvent(dp, c, 0, 0); sync()

names = {"/": "slash", ".": "period", "-": "minus", "_": "shift+underscore"}
cmd, args = sys.argv[1], sys.argv[2:]
if cmd in ("move", "click"):
    xt.XTestFakeMotionEvent(dp, -1, int(args[0]), int(args[1]), 0); sync()
    if cmd == "click":
        xt.XTestFakeButtonEvent(dp, 1, 1, 0); sync()
        xt.XTestFakeButtonEvent(dp, 1, 0, 0); sync()
elif cmd == "key":
    key(args[0])
elif cmd == "type":
    for ch in args[0]:
        key(names.get(ch, "shift+" + ch if ch.isupper() else ch))
elif cmd != "check":
    sys.exit("xin: unknown command " + cmd)
x11.XCloseDisplay(dp)
PY
}

# window_ids: the ids of all windows.
window_ids() { xwininfo -root -tree 2>/dev/null | awk '$1 ~ /^0x/ {print $1}' | sort -u; }

# viewable TITLE: true when a viewable window has exactly this title.
viewable() {
	local id
	for id in $(xwininfo -root -tree 2>/dev/null | grep -F "\"$1\": (" | awk '{print $1}'); do
		xwininfo -id "$id" 2>/dev/null | grep -q IsViewable && return 0
	done
	return 1
}

# wait_window TITLE SECONDS / gone_window TITLE SECONDS: wait until it is shown / not shown.
wait_window() {
	local i
	for ((i = 0; i < $2 * 4; i++)); do
		viewable "$1" && return 0
		sleep 0.25
	done
	return 1
}
gone_window() {
	local i
	for ((i = 0; i < $2 * 4; i++)); do
		viewable "$1" || return 0
		sleep 0.25
	done
	return 1
}

# geometry: "X Y W H state" of the Hooklens window.
geometry() {
	{ xwininfo -name Hooklens 2>/dev/null || true; } | awk '
		/Absolute upper-left X/ {x=$NF} /Absolute upper-left Y/ {y=$NF}
		/^ *Width:/ {w=$NF} /^ *Height:/ {h=$NF} /Map State:/ {s=$NF}
		END {print x, y, w, h, s}'
}

# inner runs inside xvfb-run: everything that needs the X display.
inner() {
	local data home pid receiver="" i
	data=$(mktemp -d)
	home=$(mktemp -d) # the app's $HOME: where the save and open dialogs start
	: >"$LOG"
	# shellcheck disable=SC2064
	trap "rm -rf '$data' '$home'" EXIT

	# 0. a store holding a saved window geometry
	: >"$home/empty.ndjson"
	"$BIN" import --data "$data" "$home/empty.ndjson" >>"$LOG" 2>&1 || fail "could not create a store in $data"
	rm -f "$home/empty.ndjson"
	sql "$data/hooklens.db" "INSERT INTO settings (key, value) VALUES ('desktop.window', '$SEED_GEOMETRY')" ||
		fail "could not save a window geometry in the store"

	# GSETTINGS_BACKEND=memory: the file chooser keeps its state without a dconf bus (no warnings)
	HOME=$home GSETTINGS_BACKEND=memory WEBKIT_DISABLE_COMPOSITING_MODE=1 "$BIN" --data "$data" --listen 127.0.0.1:0 >>"$LOG" 2>&1 &
	pid=$!
	# shellcheck disable=SC2064
	trap "kill -KILL $pid 2>/dev/null || true; rm -rf '$data' '$home'" EXIT

	alive() { kill -0 "$pid" 2>/dev/null; }

	# 1. the window, restored where it was saved (fitted to the minimum width)
	for ((i = 0; i < WINDOW_TIMEOUT * 4; i++)); do
		alive || fail "the app exited before its window appeared"
		xwininfo -root -tree 2>/dev/null | grep -q '"Hooklens' && break
		sleep 0.25
	done
	xwininfo -root -tree 2>/dev/null | grep -q '"Hooklens' ||
		fail "no window named Hooklens after ${WINDOW_TIMEOUT}s"
	local want="$WANT_X $WANT_Y $WANT_W $WANT_H IsViewable" geo=""
	for ((i = 0; i < RENDER_TIMEOUT * 4; i++)); do
		geo=$(geometry)
		[[ $geo == "$want" ]] && break
		sleep 0.25
	done
	[[ $geo == "$want" ]] || fail "the window is at '$geo' (x y width height state); want '$want', the saved geometry fitted"

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
	local seen=0
	for ((i = 0; i < 20; i++)); do
		sleep 0.5
		import -window root "$SHOT_AFTER" 2>/dev/null || continue
		if changed "$SHOT" "$SHOT_AFTER"; then
			seen=1
			break
		fi
	done
	((seen)) || fail "the window did not change within 10s of a delivery (Wails 'deliveries' event; compare $SHOT and $SHOT_AFTER)"

	# 6. the native menu: File opens a menu; File → Export… saves through the save dialog, and
	# File → Import… (Ctrl+O) reads that file back through the open dialog; then the page's
	# Export… saves NDJSON through the native save dialog too
	if xin check 2>/dev/null; then
		menus "$home"
		page_export "$home" "$data" "$receiver"
	else
		note "desktop-smoke: menu checks skipped (synthetic input needs python3 and libXtst)"
	fi

	# 7. a clean stop
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
	trap "rm -rf '$data' '$home'" EXIT

	# 8. the window geometry was saved
	local saved
	saved=$(sql "$data/hooklens.db" "SELECT value FROM settings WHERE key = 'desktop.window'") ||
		fail "could not read the saved window geometry"
	[[ $saved == "$WANT_SAVED" ]] || fail "saved window geometry '$saved'; want '$WANT_SAVED'"
}

# menus drives the menu bar and the native dialogs with synthetic input ($1 is the app's $HOME).
menus() {
	local home=$1 before new id opened="" file i
	before=$(window_ids)
	xin click $((WANT_X + 18)) $((WANT_Y + 12)) # "File" in the menu bar
	for ((i = 0; i < 20; i++)); do
		sleep 0.25
		new=$(comm -13 <(echo "$before") <(window_ids))
		for id in $new; do
			xwininfo -id "$id" 2>/dev/null | grep -q IsViewable && opened=$id
		done
		[[ -n $opened ]] && break
	done
	[[ -n $opened ]] || fail "clicking File in the menu bar opened no menu (no menu bar?)"
	import -window root "$SHOT_MENU" 2>/dev/null || true
	xin key Down
	xin key Return # the first item: Export…
	wait_window "Export all deliveries" 10 || fail "File → Export… opened no save dialog"
	xin key Return # save under the proposed name, in $HOME
	wait_window "Export" 30 || fail "the export did not report (no 'Export' dialog)"
	xin key Return
	gone_window "Export" 5 || fail "the 'Export' dialog did not close"
	file=$(find "$home" -maxdepth 1 -name 'hooklens-*.zip' | head -n1)
	[[ -n $file && $(head -c 2 "$file") == PK ]] || fail "File → Export… wrote no zip in \$HOME"

	import -window root "$home/before-import.png" 2>/dev/null || true
	xin move $((WANT_X + 450)) $((WANT_Y + 400))
	xin key ctrl+o
	wait_window "Import deliveries" 10 || fail "Ctrl+O (File → Import…) opened no open dialog"
	xin key ctrl+l
	xin type "$(basename "$file")"
	xin key Return
	gone_window "Import deliveries" 10 || fail "the open dialog did not take $(basename "$file")"
	for ((i = 0; i < 20; i++)); do
		sleep 0.5
		import -window root "$SHOT_IMPORT" 2>/dev/null || continue
		if changed "$home/before-import.png" "$SHOT_IMPORT"; then
			viewable "Import" && fail "the import failed (see the 'Import' dialog in $SHOT_IMPORT)"
			return 0
		fi
	done
	fail "the window showed no import result (see $SHOT_IMPORT)"
}

# page_export exports from the page: two more deliveries, then the inbox's Export… (by keyboard:
# / focuses the search, Tab reaches Export…), NDJSON, the native save dialog under its proposed
# name in $HOME ($1); the file must hold every delivery of the store in $2, one valid JSON line
# each. $3 is the receiver URL.
page_export() {
	local home=$1 data=$2 receiver=$3 file="" i n want
	for n in 2 3; do
		curl -sS -o /dev/null --max-time 10 -H 'Content-Type: application/json' \
			--data '{"action":"incoming_chat","webhook_id":"smoke","secret_key":"","payload":{"chat":{"id":"SMOKE0000'$n'"}}}' \
			"${receiver%/}/livechat" || fail "POST ${receiver%/}/livechat did not complete"
	done
	sleep 1.5                                   # the inbox shows them (live feed)
	xin key Escape                              # the import toast, if it has the focus
	xin click $((WANT_X + 390)) $((WANT_Y + 560)) # an empty part of the inbox list: the page has the focus
	xin key slash                               # / focuses the search box
	for i in 1 2 3 4; do xin key Tab; done      # ? (search help), Paste sample, Import…, Export…
	xin key Return
	sleep 1
	xin key Down   # the format radios have the focus (one selection, no choice of what): NDJSON
	xin key Tab    # Scrub personal data (Pretty-print is disabled for NDJSON)
	xin key Tab    # Export
	import -window root "$SHOT_EXPORT" 2>/dev/null || true
	xin key Return
	wait_window "Export as NDJSON" 10 ||
		fail "the page's Export… opened no native save dialog 'Export as NDJSON' (see $SHOT_EXPORT)"
	xin key Return # save under the proposed name, in $HOME
	gone_window "Export as NDJSON" 10 || fail "the save dialog of the page's export did not close"
	for ((i = 0; i < 40; i++)); do
		file=$(find "$home" -maxdepth 1 -name 'hooklens-*.ndjson' | head -n1)
		[[ -n $file ]] && break
		sleep 0.25
	done
	import -window root "$SHOT_EXPORT" 2>/dev/null || true
	[[ -n $file ]] || fail "the page's export wrote no hooklens-*.ndjson in \$HOME (see $SHOT_EXPORT)"
	[[ -z $(find "$home" -maxdepth 1 -name '*.partial') ]] || fail "the page's export left a partial file in \$HOME"
	want=$(sql "$data/hooklens.db" "SELECT id FROM deliveries ORDER BY id") || fail "could not read the store"
	python3 - "$file" "$want" <<'PY' || fail "the page's export $(basename "$file") is not the store's deliveries as NDJSON"
import json, sys
path, want = sys.argv[1], sorted(sys.argv[2].split())
ids, chats = [], set()
with open(path, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        rec = json.loads(line)  # every line is one JSON value
        if "_hooklens" in rec:
            continue
        ids.append(rec["id"])
        body = rec.get("body") or ""
        chats.update(c for c in ("SMOKE00001", "SMOKE00002", "SMOKE00003") if c in body)
if sorted(ids) != want:
    sys.exit(f"{path}: deliveries {sorted(ids)}; want the store's {want}")
if len(chats) != 3:
    sys.exit(f"{path}: chats {sorted(chats)}; want SMOKE00001, SMOKE00002 and SMOKE00003")
print(f"desktop-smoke: the page's export {path} holds the {len(ids)} deliveries of the store", file=sys.stderr)
PY
	xin key Escape # close the Export dialog
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
rm -f "$SHOT" "$SHOT_AFTER" "$SHOT_MENU" "$SHOT_IMPORT" "$SHOT_EXPORT"
[[ ${SMOKE_SKIP_BUILD:-0} == 1 ]] || bash scripts/build.sh desktop
[[ -x $BIN ]] || die "$BIN is missing: run scripts/build.sh desktop"
xvfb-run -a -s "-screen 0 1280x800x24" bash "$0" --inner
note "desktop-smoke: ok (window restored, screenshot $SHOT, receiver 200, live update, menu export/import, page export through the save dialog, clean exit, geometry saved)"
