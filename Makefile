# Two commands on a fresh machine: `make demo` and `make test`.
# Each installs what is missing (scripts/install-deps.sh), builds, then runs.
BUILD ?= build
JOBS  ?= $(shell nproc)
PY    := /usr/bin/python3

.PHONY: all deps configure demo test replicate bench sanitize clean

all: configure
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/install-deps.sh

configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=$(PY)

# The main job on its built-in default: 16 networks on the simple delayed
# decision, every analysis and the census, then the standard figures.
demo: all
	$(BUILD)/rnnlab run -o out/demo --force
	MPLBACKEND=Agg PYTHONPATH=$(BUILD)/python $(PY) -m rnnlab.plot out/demo/results.h5 -o out/demo/figures
	@echo "results: out/demo/results.h5   summary: out/demo/summary.txt   figures: out/demo/figures/"

test: all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	MPLBACKEND=Agg PYTHONPATH=$(BUILD)/python $(PY) -m pytest -q python/tests
	$(PY) replications/replicate.py --short --rnnlab $(BUILD)/rnnlab

# Published results re-run (replications/README.md): the paper's number, ours,
# and whether ours is within the paper's spread. Tens of minutes.
replicate: all
	$(PY) replications/replicate.py --rnnlab $(BUILD)/rnnlab

# Re-runs CMake so that benchmark files added since the last configure get targets;
# rnnlab and the Python package (_core) for the fixed points and the throughput.
bench: deps
	@scripts/install-deps.sh --bench
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=$(PY)
	cmake --build $(BUILD) -j $(JOBS) --target bench_train bench_fixed_points bench_threads rnnlab _core
	bench/run.sh $(BUILD)

# ASan + UBSan build in $(SANITIZE_BUILD) (RNNLAB_SANITIZE=ON), then the C++
# tests, fuzz corpus included, under it (docs/development.md). A subset:
# make sanitize SANITIZE_TESTS='-R "Fuzz|Robustness"'.
SANITIZE_BUILD ?= build-sanitize
SANITIZE_TESTS ?=
sanitize: deps
	@test -f $(SANITIZE_BUILD)/CMakeCache.txt || cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DRNNLAB_SANITIZE=ON -DRNNLAB_BENCH=OFF -DPython3_EXECUTABLE=$(PY)
	cmake --build $(SANITIZE_BUILD) -j $(JOBS) --target rnnlab rnnlab_tests
	cd $(SANITIZE_BUILD) && \
	  ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:allocator_may_return_null=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/sanitize-suppressions.txt:print_suppressions=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) $(SANITIZE_TESTS)

clean:
	rm -rf $(BUILD)
