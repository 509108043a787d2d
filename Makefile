# Baken's two commands: `make run` and `make test`. Both install what is missing first.
# See README.md for the rest.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080
FUZZ_SECONDS ?= 10

.PHONY: all deps web-deps web build run test unit-test web-test format-check format fuzz-build fuzz-smoke fuzz bench portal-speed clean

all: build

deps:
	@./scripts/install-deps.sh

web-deps: deps
	@./scripts/install-web-deps.sh

# The portal (web/), type-checked and built into web/dist, which `baken serve` serves at "/".
web: web-deps
	cd web && npm run --silent build

# Optimised program at build/baken, and the portal.
build: deps web
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	ln -sf release/baken build/baken

run: build
	mkdir -p var
	./build/baken serve --listen $(LISTEN)

# Unit and integration tests under AddressSanitizer and UndefinedBehaviorSanitizer, the format
# check, the portal's end-to-end tests in Chromium, and a short run of every fuzz target over
# its seed corpus.
test: deps format-check unit-test web-test fuzz-smoke

unit-test:
	cmake --preset debug >/dev/null
	cmake --build --preset debug -j $(JOBS)
	ctest --preset debug -j $(JOBS) || { python3 scripts/failed-tests-summary.py build/debug; exit 1; }

# The portal's unit tests (web/test/, node's test runner), then the portal in Debian's Chromium
# against the sanitizer build of `baken serve`; screenshots go to build/e2e-artifacts.
web-test: unit-test web
	cd web && npm run --silent unit && BAKEN=$(CURDIR)/build/debug/baken npm run --silent e2e

format-check: deps
	clang-format --dry-run --Werror $$(git ls-files '*.cc' '*.h')

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

fuzz-build: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)

# Each fuzz target for FUZZ_SECONDS seconds, starting from its seed corpus.
fuzz-smoke: fuzz-build
	./fuzz/run-all.sh build/fuzz $(FUZZ_SECONDS)

fuzz: FUZZ_SECONDS = 300
fuzz: fuzz-build
	./fuzz/run-all.sh build/fuzz $(FUZZ_SECONDS)

bench: build
	./build/release/bench/lookup_bench
	taskset -c 0 ./build/release/bench/feed_bench
	taskset -c 0 ./build/release/bench/advisory_bench
	python3 bench/ingest_e2e.py build/release

# The portal's pages with 400 members and 100,000 findings, on the release build, in Chromium:
# a table for docs/performance.md ("Portal"); the figures stay in build/e2e-artifacts/speed/.
portal-speed: build
	cd web && BAKEN=$(CURDIR)/build/release/baken node e2e/speed.mjs

clean:
	rm -rf build
