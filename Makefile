# zonesim -- build, test and demo.
#
# A new user runs `make demo` and `make test`; both install missing Debian
# packages first (make deps), then build in $(BUILD).  Sources are found by
# wildcard: every models/*.c and engine/<stage>/*.c except engine/cli/main.c goes into
# libzonesim.a, and every tests/test_*.c becomes one test program.

BUILD    ?= build
CC       ?= cc
OPT      ?= -O2
SAN      ?=
PYTHON   ?= /usr/bin/python3
PREFIX   ?= /usr/local
DESTDIR  ?=

DEB_PKGS := libgsl-dev libglpk-dev glpk-utils libhdf5-dev hdf5-tools libyaml-dev libgeos-dev libreadosm-dev \
            pkg-config python3-h5py python3-numpy python3-sklearn coinor-cbc \
            jupyter-nbconvert python3-ipykernel python3-nbformat python3-matplotlib python3-pandas \
            zlib1g-dev munge slurmctld slurmd slurm-client time groff-base man-db
# Test only: tests/e2e_report.sh opens the HTML report in a headless browser
# and drives it over the DevTools protocol.
DEB_PKGS += chromium python3-websocket
# Fuzzing only: make fuzz builds tests/fuzz/ with afl-clang-fast (afl++'s gcc
# plugin does not load with this compiler) and runs afl-fuzz.
DEB_PKGS += afl++

GIT_COMMIT := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

# Recursive (=) so pkg-config runs after `make deps` has installed it.
PKG_CFLAGS = $(shell pkg-config --cflags gsl yaml-0.1 hdf5-serial geos readosm 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs gsl yaml-0.1 hdf5-serial geos readosm 2>/dev/null)
# SHA-256 of every HDF5 file zonesim writes, checked before libhdf5 reads
# one (engine/results/h5seal.c, issue 22).
DEB_PKGS   += nettle-dev
PKG_CFLAGS += $(shell pkg-config --cflags nettle 2>/dev/null)
PKG_LIBS   += $(shell pkg-config --libs nettle 2>/dev/null)

CFLAGS   ?= $(OPT) -g
CFLAGS   += -std=c11 -fopenmp -Wall -Wextra -Wshadow -Wno-unknown-pragmas $(SAN)
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -I. -Iengine $(PKG_CFLAGS)
LDFLAGS  += -fopenmp $(SAN)
LDLIBS   += $(PKG_LIBS) -lglpk -lz -lm

LIB_SRCS := $(wildcard models/*.c) \
            $(filter-out engine/cli/main.c,$(wildcard engine/*/*.c))
LIB_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRCS)) $(BUILD)/gen/demo_scenario.o \
            $(BUILD)/gen/commit.o
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
HEADERS  := $(wildcard models/*.h engine/*/*.h tests/*.h)

.PHONY: all deps build demo test test-run asan bench check-layout install uninstall clean FORCE

all: build

build: $(BUILD)/zonesim $(TEST_BINS)

# Installs what is missing, only then touching the package lists (apt-get
# update first: a fresh machine's lists may be empty).  Idempotent; uses sudo
# only when not root.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
	    || { echo "make deps: apt-get failed" >&2; exit 1; }; \
	fi

$(BUILD)/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The embedded default scenario: scenarios/demo.yaml as a C string.
$(BUILD)/gen/demo_scenario.c: scenarios/demo.yaml Makefile
	@mkdir -p $(dir $@)
	@{ echo '/* Generated from scenarios/demo.yaml by the Makefile. */'; \
	   echo 'const char zs_demo_scenario[] ='; \
	   sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' $<; \
	   echo '    ;'; } > $@

# The build's commit, rewritten only when it changes (FORCE checks each run).
$(BUILD)/gen/commit.c: FORCE
	@mkdir -p $(dir $@)
	@echo 'const char zs_git_commit[] = "$(GIT_COMMIT)";' > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

$(BUILD)/gen/commit.o: $(BUILD)/gen/commit.c
	$(CC) $(CFLAGS) -c $< -o $@

FORCE:

$(BUILD)/gen/demo_scenario.o: $(BUILD)/gen/demo_scenario.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libzonesim.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/zonesim: $(BUILD)/engine/cli/main.o $(BUILD)/libzonesim.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libzonesim.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libzonesim.a $(LDLIBS) -o $@

demo: deps
	@$(MAKE) --no-print-directory build
	@mkdir -p results
	$(BUILD)/zonesim demo --output results/demo.h5
	$(BUILD)/zonesim report results/demo.h5 --output results/demo.html

test: deps
	@$(MAKE) --no-print-directory test-run

test-run: build
	@ZS_BIN=$(CURDIR)/$(BUILD)/zonesim ZS_BUILD=$(CURDIR)/$(BUILD) PYTHON=$(PYTHON) \
	  bash tests/run.sh

# AddressSanitizer + UndefinedBehaviorSanitizer build of the whole suite
# (tests/lsan.supp: a leak inside libreadosm's XML error path, not ours).
asan: deps
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  $(MAKE) --no-print-directory test-run BUILD=build-asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

# bench_kmeans and bench_network are built by the tests/% rule but are not tests
# (no test_ prefix).
bench: deps
	@$(MAKE) --no-print-directory build $(BUILD)/tests/bench_kmeans $(BUILD)/tests/bench_network
	@PYTHON=$(PYTHON) bash tests/bench.sh $(BUILD)

# The layout rules of engine/README.md (also run by make test).
check-layout: build
	@$(PYTHON) tools/check_layout.py $(BUILD)

# What `make install` puts under $(DESTDIR)$(PREFIX): the binary, the man
# page, the bash completion, and the examples under share/zonesim (the
# scenarios and the Slurm script, not scenarios/tests; the notebooks).
# No sudo: choose a PREFIX you can write to, e.g. PREFIX=~/.local; DESTDIR
# stages a package (make install DESTDIR=/tmp/stage PREFIX=/usr).
INST       = $(DESTDIR)$(PREFIX)
INST_SHARE = $(INST)/share/zonesim
INST_SCEN  := $(wildcard scenarios/*.yaml) scenarios/README.md
INST_NB    := $(wildcard notebooks/*.ipynb) notebooks/README.md

install: $(BUILD)/zonesim
	install -D -m 755 $(BUILD)/zonesim $(INST)/bin/zonesim
	install -D -m 644 doc/zonesim.1 $(INST)/share/man/man1/zonesim.1
	install -D -m 644 doc/zonesim.bash-completion $(INST)/share/bash-completion/completions/zonesim
	install -d $(INST_SHARE)/scenarios $(INST_SHARE)/notebooks
	install -m 644 $(INST_SCEN) $(INST_SHARE)/scenarios/
	install -m 755 scenarios/slurm-array.sh $(INST_SHARE)/scenarios/
	install -m 644 $(INST_NB) $(INST_SHARE)/notebooks/

# Removes exactly what install put there, then the share/zonesim folders
# if that left them empty (bin/, man1/ and completions/ stay).
uninstall:
	rm -f $(INST)/bin/zonesim $(INST)/share/man/man1/zonesim.1 \
	  $(INST)/share/bash-completion/completions/zonesim \
	  $(INST_SHARE)/scenarios/slurm-array.sh \
	  $(addprefix $(INST_SHARE)/scenarios/,$(notdir $(INST_SCEN))) \
	  $(addprefix $(INST_SHARE)/notebooks/,$(notdir $(INST_NB)))
	@for d in $(INST_SHARE)/scenarios $(INST_SHARE)/notebooks $(INST_SHARE); do \
	  if [ -d $$d ]; then rmdir --ignore-fail-on-non-empty $$d; fi; \
	done

clean:
	rm -rf build build-asan
	rm -rf build-fuzz

# ---- Fuzzing (tests/fuzz/README.md) ----------------------------------------
# make fuzz: the AFL++ harnesses of the text readers (tests/fuzz/fuzz_*.c), each
# run FUZZ_SECONDS by afl-fuzz, then the results-file byte-flipper
# (tests/fuzz/h5flip.py, FLIP_VARIANTS damaged files per kind).  Everything in
# FUZZ_BUILD is compiled by afl-clang-fast with ASan and UBSan, the zonesim
# binary the flipper runs included.  Crashing inputs are copied to
# tests/fuzz/crashes/<reader>/.  Exits non-zero on any finding.
FUZZ_BUILD    ?= build-fuzz
FUZZ_SECONDS  ?= 60
FLIP_VARIANTS ?= 300
FUZZ_HARNESSES := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_common.h $(BUILD)/libzonesim.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< $(BUILD)/libzonesim.a $(LDLIBS) -o $@

# The harnesses are built by `make build` too (with $(CC), no AFL), so that
# tests/e2e_fuzz_regress.sh runs them on their seeds and they cannot rot.
build: $(addprefix $(BUILD)/fuzz/,$(FUZZ_HARNESSES))

.PHONY: fuzz fuzz-build
fuzz-build: deps
	@AFL_USE_ASAN=1 AFL_USE_UBSAN=1 AFL_QUIET=1 $(MAKE) --no-print-directory \
	  BUILD=$(FUZZ_BUILD) CC=afl-clang-fast OPT=-O1 SAN=-fno-omit-frame-pointer \
	  $(FUZZ_BUILD)/zonesim $(addprefix $(FUZZ_BUILD)/fuzz/,$(FUZZ_HARNESSES))

fuzz: fuzz-build
	@rc=0; FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run_afl.sh $(FUZZ_BUILD) || rc=1; \
	  $(PYTHON) tests/fuzz/h5flip.py --zonesim $(FUZZ_BUILD)/zonesim \
	    --variants $(FLIP_VARIANTS) || rc=1; exit $$rc
