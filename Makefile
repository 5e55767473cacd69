# Winnow's two commands: `make run` and `make test`. Both install what is missing first.
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build run test test-unit test-asan fuzz docs bench bench-micro clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Runs the demo recipe on the bundled demo data and prints the ledger.
run: build
	$(BUILD)/winnow process --config recipes/demo.yaml

# Unit, golden and CLI tests; then the fuzz targets briefly when clang is available.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@if command -v clang++ >/dev/null 2>&1; then $(MAKE) --no-print-directory fuzz; \
	 else echo "clang++ not found: skipping the libFuzzer runs"; fi

# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer (CI runs this too). The gtest
# cases run as $(JOBS) processes (tests/run_shards.sh: a sanitized process takes ~0.5 s to start),
# the script tests under ctest.
# -O1 -g1 (line tables for the reports' stack traces) compiles in half the time of -O2 -g; the
# builds, not the tests, are most of CI's time.
SANITIZE_FLAGS ?= -O1 -g1 -DNDEBUG
test-asan: deps
	@cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINNOW_SANITIZE=ON \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(SANITIZE_FLAGS)" -DWINNOW_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && export ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1 && $(CURDIR)/tests/run_shards.sh tests/winnow_tests $(JOBS) shard-logs && \
	  ctest --output-on-failure -j $(JOBS) -L script

# libFuzzer targets for the JSONL reader, the recipe loader and the KenLM binary reader, 15 s each.
fuzz: deps
	@CXX=clang++ cmake -S . -B $(BUILD_FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWINNOW_FUZZ=ON \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" -DWINNOW_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(BUILD_FUZZ) -j $(JOBS) --target jsonl_fuzz recipe_fuzz kenlm_fuzz
	cd $(BUILD_FUZZ) && ctest --output-on-failure -R _fuzz_brief

# Regenerates docs/ops.md and the README's op list from the op registry.
docs: build
	$(BUILD)/winnow ops --markdown > docs/ops.md
	$(BUILD)/winnow ops --readme-list > $(BUILD)/ops-list.md
	sed -i -e '/<!-- ops:begin -->/,/<!-- ops:end -->/{//!d}' -e '/<!-- ops:begin -->/r $(BUILD)/ops-list.md' README.md

# Throughput / memory benchmarks (bench/README in bench/RESULTS.md).
bench: build
	bench/run_pipeline_bench.sh

bench-micro: build
	$(BUILD)/bench/winnow_micro_bench

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ) outputs
