# The front door: thin targets onto CMake and CTest. `make test` and `make run` are the
# two README commands; both install what is missing first.
BUILD   ?= build
JOBS    ?= 2
CMAKE   ?= cmake
ADDA    := $(BUILD)/src/cli/adda
DEB     := libpoco-dev libboost-program-options-dev libsqlite3-dev nlohmann-json3-dev \
           libgtest-dev cmake g++ make
BENCH_DEB := wrk nginx-light
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test run bench lint clean bench-deps report-check web-check test-asan test-tsan fuzz soak

deps:
	@missing=$$(for p in $(DEB); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@command -v npm >/dev/null || { echo "installing: nodejs npm"; $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	@# Det Fælles Designsystem (embedded into adda), axe-core and playwright-core, at the
	@# versions web/package-lock.json pins; again only when the lockfile changed.
	@[ web/node_modules/.package-lock.json -nt web/package-lock.json ] || \
	  { echo "installing: web/ from its lockfile (npm ci)"; npm ci --silent --no-audit --no-fund --ignore-scripts --prefix web >/dev/null; }

$(BUILD)/CMakeCache.txt:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	$(CMAKE) --build $(BUILD) -j$(JOBS) -- --no-print-directory

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) --timeout 600

# The main job: the default scenario (pilots/scenarios/baseline.json) over all five
# municipalities; prints where the report is, exits 1 when a threshold fails.
run: build
	$(ADDA) pilot $(if $(SCENARIO),--scenario $(SCENARIO))

# The HTML report in a real headless browser (Debian's chromium): renders, has its charts.
report-check: build
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }
	tests/browser/report_check.sh $(ADDA) $(BUILD)/report-check

# The citizen's pages in the same chromium, driven by playwright-core and checked by axe-core
# (WCAG 2.1 A/AA) with JavaScript on and off; screenshots in $(BUILD)/web-check.
web-check: build
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }
	tests/browser/web_check.sh $(ADDA) $(BUILD)/web-check

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, or ThreadSanitizer,
# each in its own build folder.
test-asan: deps
	$(CMAKE) -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DADDA_SANITIZE=address >/dev/null
	$(CMAKE) --build build-asan -j$(JOBS) -- --no-print-directory
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j$(JOBS) --timeout 900

test-tsan: deps
	$(CMAKE) -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DADDA_SANITIZE=thread >/dev/null
	$(CMAKE) --build build-tsan -j$(JOBS) -- --no-print-directory
	cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" \
	  ctest --output-on-failure -j$(JOBS) --timeout 900

# libFuzzer harnesses (clang), each run for FUZZ_SECONDS from its seed corpus in
# tests/fuzz/corpus/; what they learn accumulates in build-fuzz/corpus/. A crash stops
# the run and leaves its input as build-fuzz/crash-*.
FUZZ_SECONDS ?= 60
FUZZERS := cpr_fuzz scenario_fuzz payload_fuzz kombit_http_fuzz borger_http_fuzz
fuzz: deps
	@{ command -v clang++ >/dev/null && dpkg-query -W -f='$${Status}' libclang-rt-14-dev 2>/dev/null | grep -q 'ok installed'; } || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
	CC=clang CXX=clang++ $(CMAKE) -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DADDA_SANITIZE=fuzz >/dev/null
	$(CMAKE) --build build-fuzz -j$(JOBS) --target $(FUZZERS) -- --no-print-directory
	@for f in $(FUZZERS); do \
	  mkdir -p build-fuzz/corpus/$$f; \
	  echo "== $$f ($(FUZZ_SECONDS) s)"; \
	  build-fuzz/tests/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build-fuzz/ \
	    build-fuzz/corpus/$$f tests/fuzz/corpus/$${f%_fuzz} 2>build-fuzz/$$f.log || { tail -40 build-fuzz/$$f.log; exit 1; }; \
	  grep -E "stat::number_of_executed_units|cov:" build-fuzz/$$f.log | tail -2; \
	done

# Both services as real processes on free ports of 127.0.0.1 under a constant arrival rate
# (pilots/scenarios/soak.json) for SOAK_SECONDS; fails when a request fails or memory,
# descriptors or threads grow past their bounds after warm-up (bench/soak.sh says which).
SOAK_SECONDS ?= 600
soak: build
	SOAK_SECONDS=$(SOAK_SECONDS) bench/soak.sh $(BUILD)

bench-deps: deps
	@missing=$$(for p in $(BENCH_DEB); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

bench: bench-deps build
	bench/run_all.sh $(BUILD)

# OpenAPI lint: Redocly's CLI (npm) over the documents the KOMBIT and borger.dk mocks serve;
# then the contract tried from outside: Stoplight Prism's validating proxy in front of each
# service while a session of every operation passes through it (tests/contract/prism.sh).
REDOCLY_VERSION := 2.77.0
PRISM_VERSION := 5.16.0
LINT_DIR := $(BUILD)/lint
lint: build
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	@[ -x $(LINT_DIR)/node_modules/.bin/redocly ] || npm install --silent --no-audit --no-fund --prefix $(LINT_DIR) @redocly/cli@$(REDOCLY_VERSION) >/dev/null
	@[ -x $(LINT_DIR)/node_modules/.bin/prism ] || npm install --silent --no-audit --no-fund --prefix $(LINT_DIR) @stoplight/prism-cli@$(PRISM_VERSION) >/dev/null
	@rm -f $(LINT_DIR)/kombit.db*
	@$(ADDA) generate --pilots pilots/municipalities --scale 0.001 --out $(LINT_DIR)/kombit.db >/dev/null
	@$(ADDA) serve kombit --db $(LINT_DIR)/kombit.db --openapi > $(LINT_DIR)/kombit-openapi.json
	@$(ADDA) serve borger --db $(LINT_DIR)/borger.db --kombit-credentials $(LINT_DIR)/kombit.db.credentials.json --openapi > $(LINT_DIR)/borger-openapi.json
	$(LINT_DIR)/node_modules/.bin/redocly lint --config .redocly.yaml $(LINT_DIR)/kombit-openapi.json $(LINT_DIR)/borger-openapi.json
	tests/contract/prism.sh $(BUILD) $$(realpath $(LINT_DIR))/node_modules/.bin/prism

clean:
	rm -rf $(BUILD)
