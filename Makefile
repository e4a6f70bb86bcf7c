# Hooklens: every target delegates to scripts/ (read them for details).
.PHONY: run test build desktop frontend smoke dist bench clean deps

run: ## build and start (desktop window if a display exists, else `hooklens serve`)
	bash scripts/run.sh $(ARGS)

test: ## the whole suite, as CI runs it
	bash scripts/test.sh

deps:
	bash scripts/deps.sh

build: deps ## build/bin/hooklens (pure Go, frontend embedded)
	bash scripts/build.sh headless

desktop: ## build/bin/hooklens-desktop (Wails, GTK 3 + WebKitGTK 4.1)
	bash scripts/deps.sh --desktop
	bash scripts/build.sh desktop

frontend: deps ## frontend/dist
	bash scripts/build.sh frontend

smoke: ## desktop binary under Xvfb: window, screenshot, receiver, clean exit
	bash scripts/deps.sh --desktop --browser
	bash scripts/desktop-smoke.sh

dist: ## dist/: headless archives for linux, darwin, windows, the desktop .deb, checksums.txt
	bash scripts/deps.sh --desktop --dist
	bash scripts/dist.sh

bench:
	@if [ -f scripts/bench.sh ]; then bash scripts/bench.sh; else echo "bench: not yet (scripts/bench.sh does not exist)"; fi

clean:
	rm -rf build/bin build/artifacts dist
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete 2>/dev/null || true
