# The two commands a new user runs (as root on Debian 12): `make run` and `make test`.
BUILD      ?= build
MESON_ARGS ?=
JOBS       ?= $(shell nproc)

.PHONY: all setup build run test bench format clean

all: build

setup:
	@scripts/setup.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_ARGS)

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/coder-node server $(ARGS)

test: build
	@scripts/run-tests.sh

bench: build
	@scripts/bench.sh

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) build-asan
