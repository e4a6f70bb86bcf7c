#!/usr/bin/env bash
# Run Hooklens from a checkout: installs what is missing, builds, and starts
# the desktop window when a display is available, else `hooklens serve` (which
# prints the receiver URL and the UI URL with its token).
#   scripts/run.sh [ARGS...]        ARGS go to the binary (e.g. --listen 127.0.0.1:9000)
#   HOOKLENS_HEADLESS=1 scripts/run.sh   headless even when a display exists
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

if display_available && [[ ${HOOKLENS_HEADLESS:-0} != 1 ]]; then
	bash scripts/deps.sh --desktop
	bash scripts/build.sh desktop
	exec build/bin/hooklens-desktop "$@"
fi
bash scripts/deps.sh
bash scripts/build.sh headless
exec build/bin/hooklens serve "$@"
