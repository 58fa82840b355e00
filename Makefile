# cpyc - build, test and fuzz. `make` builds build/cpyc and build/libcpyc.a.
CC      ?= cc
OPT     ?= -O2 -g
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Werror
CFLAGS  += $(OPT) $(CSTD) $(WARN) -Iinclude -Isrc
LDLIBS  += -lm -lpthread
BUILD   ?= build

# src/*.c: none is left there; a file a branch adds there still builds until it finds its folder
LIB_SRC := $(filter-out src/cli/main.c,$(wildcard src/*.c src/*/*.c))
HEADERS := $(wildcard src/*.h src/*/*.h include/*.h)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/unit/*.c)

all: $(BUILD)/cpyc $(BUILD)/libcpyc.a $(BUILD)/unit_tests

$(BUILD)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# parse_fast.c compiles these files again
$(BUILD)/obj/src/front/parse_fast.o: src/front/parse_expr.c src/front/parse_stmt.c src/front/parse_str.c \
                                     src/front/parse_pattern.c

$(BUILD)/libcpyc.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/cpyc: $(BUILD)/obj/src/cli/main.o $(BUILD)/libcpyc.a
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/unit_tests: $(TEST_SRC) $(BUILD)/libcpyc.a $(HEADERS) $(wildcard tests/unit/*.h)
	$(CC) $(CFLAGS) $(LDFLAGS) $(TEST_SRC) $(BUILD)/libcpyc.a $(LDLIBS) -o $@

# The whole suite; ends with "N passed, N failed".
test: all
	@CPYC_BUILD=$(BUILD) bash tests/run.sh

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
sanitize:
	$(MAKE) BUILD=build-san OPT="-O1 -g $(SAN)" LDFLAGS="$(SAN)" test

# Verifies every installed stdlib pyc on 4 threads under ThreadSanitizer (no shared mutable state).
tsan:
	$(MAKE) BUILD=build-tsan CC=clang OPT="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread" build-tsan/cpyc
	for v in 3.8 3.9 3.10 3.11 3.12 3.13; do py=$$(bash tools/oracle_python.sh $$v) || continue; \
	  lib=$$($$py -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'); \
	  find $$lib -name '*.pyc' | build-tsan/cpyc inspect --verify --jobs 4 --files-from - || exit 1; done

# Shows what exists: inspects the example's pycs, compiled by CPython 3.13 when installed.
run: all
	@bash tools/run_example.sh $(BUILD)/cpyc

# Compares cpyc against every installed oracle CPython on its stdlib (see tools/conformance.py).
conformance: all
	@bash tools/oracle_python.sh 3.13 >/dev/null 2>&1 || { echo "conformance: no CPython found"; exit 0; }; \
	  $$(bash tools/oracle_python.sh any) tools/conformance.py --cpyc $(BUILD)/cpyc $(CONFORMANCE_ARGS)

# libFuzzer target over the pyc reader (clang). FUZZ_SECONDS bounds the run.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -O1 -g
fuzz-build: build-fuzz/fuzz_pyc
build-fuzz/fuzz_pyc: fuzz/fuzz_pyc.c $(LIB_SRC) $(HEADERS)
	@mkdir -p build-fuzz
	clang $(FUZZ_FLAGS) $(CSTD) $(WARN) -Iinclude -Isrc fuzz/fuzz_pyc.c $(LIB_SRC) -lm -o $@
fuzz: build-fuzz/fuzz_pyc
	@mkdir -p fuzz/corpus-pyc
	bash fuzz/seed.sh fuzz/corpus-pyc
	build-fuzz/fuzz_pyc -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 fuzz/corpus-pyc

# Decoding + tokenizing speed over CPython 3.13's stdlib (MB/s).
bench-tokenize: all
	@py=$$(bash tools/oracle_python.sh 3.13) || { echo "bench-tokenize: no CPython 3.13 to find the stdlib"; exit 0; }; \
	  lib=$$($$py -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'); \
	  find $$lib -path $$lib/site-packages -prune -o -name '*.py' -print | sort > $(BUILD)/bench-files.txt; \
	  $(BUILD)/cpyc tokenize --bench $(BUILD)/bench-files.txt 5

# libFuzzer target over source decoding and the tokenizer (clang).
fuzz-tokenize-build: build-fuzz/fuzz_tokenize
build-fuzz/fuzz_tokenize: fuzz/fuzz_tokenize.c $(LIB_SRC) $(HEADERS)
	@mkdir -p build-fuzz
	clang $(FUZZ_FLAGS) $(CSTD) $(WARN) -Iinclude -Isrc fuzz/fuzz_tokenize.c $(LIB_SRC) -lm -o $@
fuzz-tokenize: build-fuzz/fuzz_tokenize
	@mkdir -p fuzz/corpus-tokenize
	bash fuzz/seed_tokenize.sh fuzz/corpus-tokenize
	build-fuzz/fuzz_tokenize -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 fuzz/corpus-tokenize

# libFuzzer target over decoding + tokenizer + parser (seeded with tests/ast).
build-fuzz/fuzz_parse: fuzz/fuzz_parse.c $(LIB_SRC) $(HEADERS)
	@mkdir -p build-fuzz
	clang $(FUZZ_FLAGS) $(CSTD) $(WARN) -Iinclude -Isrc fuzz/fuzz_parse.c $(LIB_SRC) -lm -o $@
fuzz-parse: build-fuzz/fuzz_parse
	@mkdir -p fuzz/corpus-parse && cp tests/ast/valid/*.py fuzz/corpus-parse/
	@awk '/^=== / { f = "fuzz/corpus-parse/err-" substr($$2, 1, 3) ".py"; printf "" > f; next } \
	      { print >> f }' tests/ast/errors.txt   # the invalid programs exercise the second pass
	build-fuzz/fuzz_parse -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 fuzz/corpus-parse

# libFuzzer target over the whole compilation, source bytes to pyc bytes (seeded with the stdlib
# cut small, the tests' programs and the limits cases: fuzz/seed_compile.py; see fuzz/README.md).
build-fuzz/fuzz_compile: fuzz/fuzz_compile.c $(LIB_SRC) $(HEADERS)
	@mkdir -p build-fuzz
	clang $(FUZZ_FLAGS) $(CSTD) $(WARN) -Iinclude -Isrc fuzz/fuzz_compile.c $(LIB_SRC) -lm -o $@
fuzz-compile: build-fuzz/fuzz_compile
	@mkdir -p fuzz/corpus-compile
	@py=$$(bash tools/oracle_python.sh 3.13) && $$py fuzz/seed_compile.py fuzz/corpus-compile 8192 || \
	  cp tests/ast/valid/*.py fuzz/corpus-compile/
	build-fuzz/fuzz_compile -jobs=1 -workers=1 -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=20 \
	  -rss_limit_mb=2048 fuzz/corpus-compile

# Front-end speed: MB/s of `cpyc ast --quiet` over the 3.13 stdlib (decode + tokenize + parse).
bench-parse: all
	@bash tools/bench_parse.sh $(BUILD)/cpyc

clean:
	rm -rf build build-san build-fuzz build-tsan

.PHONY: fuzz-compile all test sanitize tsan run conformance fuzz fuzz-build clean fuzz-tokenize fuzz-tokenize-build \
	bench-tokenize fuzz-parse bench-parse


# ---- shared library, install, pkg-config, man page
# One set of objects serves libcpyc.a and libcpyc.so: they are position-independent, and
# -fno-semantic-interposition keeps calls inside the library direct (no cost in cpyc itself).
CFLAGS += -fPIC -fno-semantic-interposition
VERSION := $(shell sed -n 's/^\#define CPYC_VERSION "\(.*\)"/\1/p' include/cpyc.h)
SONAME := libcpyc.so.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man

$(BUILD)/libcpyc.so: $(LIB_OBJ) tools/libcpyc.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=tools/libcpyc.map $(LDFLAGS) $(LIB_OBJ) $(LDLIBS) -o $@

$(BUILD)/cpyc.pc: tools/cpyc.pc.in include/cpyc.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

shared: $(BUILD)/libcpyc.so

# make install [PREFIX=/usr/local] [DESTDIR=staging]: cpyc, libcpyc.a, libcpyc.so, cpyc.h, cpyc.pc, cpyc(1)
install: $(BUILD)/cpyc $(BUILD)/libcpyc.a $(BUILD)/libcpyc.so $(BUILD)/cpyc.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/cpyc $(DESTDIR)$(BINDIR)/cpyc
	install -m 644 $(BUILD)/libcpyc.a $(DESTDIR)$(LIBDIR)/libcpyc.a
	install -m 755 $(BUILD)/libcpyc.so $(DESTDIR)$(LIBDIR)/libcpyc.so.$(VERSION)
	ln -sf libcpyc.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libcpyc.so
	install -m 644 include/cpyc.h $(DESTDIR)$(INCLUDEDIR)/cpyc.h
	install -m 644 $(BUILD)/cpyc.pc $(DESTDIR)$(LIBDIR)/pkgconfig/cpyc.pc
	install -m 644 docs/cpyc.1 $(DESTDIR)$(MANDIR)/man1/cpyc.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cpyc $(DESTDIR)$(LIBDIR)/libcpyc.a $(DESTDIR)$(LIBDIR)/libcpyc.so* \
	      $(DESTDIR)$(INCLUDEDIR)/cpyc.h $(DESTDIR)$(LIBDIR)/pkgconfig/cpyc.pc $(DESTDIR)$(MANDIR)/man1/cpyc.1

.PHONY: shared install uninstall
# objects follow the flags set here (-fPIC was added after some trees were built)
$(LIB_OBJ) $(BUILD)/obj/src/cli/main.o: Makefile

# cpyc compileall against python3.13 -m compileall on a copy of the 3.13 stdlib (tools/bench_compileall.py);
# appends the table to docs/bench_compileall.log. BENCH_RUNS runs of each (median).
BENCH_RUNS ?= 3
bench: all
	@py=$$(bash tools/oracle_python.sh 3.13) || { echo "bench: no CPython 3.13 to compare with"; exit 0; }; \
	  "$$py" tools/bench_compileall.py $(BUILD)/cpyc $(BENCH_RUNS)
.PHONY: bench

# CPython's own regression tests on a stdlib copy compiled by cpyc, against a pristine copy
check-cpython: all
	bash tools/run_cpython_tests.sh build/cpyc
.PHONY: check-cpython
