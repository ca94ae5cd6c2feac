# Two commands on a fresh machine: `make demo` and `make test`.
# Each installs what is missing (scripts/install-deps.sh), builds, then runs.
BUILD ?= build
JOBS  ?= $(shell nproc)
PY    := /usr/bin/python3

.PHONY: all deps configure demo test test-cpp test-python bench clean

all: configure
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/install-deps.sh

configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=$(PY)

demo: all
	$(BUILD)/rnnlab train examples/flipflop.toml -o out/flipflop.h5 --seeds 4 --force
	$(BUILD)/rnnlab info out/flipflop.h5

test: all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@if ls $(BUILD)/python/rnnlab/_core*.so >/dev/null 2>&1; then \
	  echo "pytest python/tests"; \
	  MPLBACKEND=Agg PYTHONPATH=$(BUILD)/python $(PY) -m pytest -q python/tests; \
	else echo "Python package not built (pybind11 missing?): python/tests skipped"; fi

bench: configure
	@scripts/install-deps.sh --bench
	cmake --build $(BUILD) -j $(JOBS) --target bench_train
	bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
