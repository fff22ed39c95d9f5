# SPDX-License-Identifier: Apache-2.0
# vigil — one top-level GNU Makefile.  Sources are discovered by wildcard:
#   src/{lib,intel,net,watch,scan,dev,audit,hub}/*.c  -> libvigil.a
#   src/cmd/*.c + src/main.c       -> vigil
#   tests/unit/test_*.c            -> one cmocka binary each
#   tests/fuzz/fuzz_*.c            -> one libFuzzer binary each (make fuzz)
#   bench/*.c                      -> bench helpers (make bench)
# Builds go to build/ (normal) and build-san/ (ASan+UBSan).

PREFIX  ?= /usr/local
CC      ?= cc
PKGS    := libpcap jansson libsodium libcrypto libssl libnftables inih libmaxminddb libcurl yara \
           sqlite3 libmicrohttpd libpq libssh libxcrypt
PKGS_T  := cmocka

ifeq ($(origin CC),default)
CC := gcc
endif

DEPS_OK := $(shell scripts/deps --quiet >&2; echo $$?)
ifneq ($(DEPS_OK),0)
$(error missing build dependencies: see the message above)
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
T_CFLAGS   := $(shell pkg-config --cflags $(PKGS_T) 2>/dev/null)
T_LIBS     := $(shell pkg-config --libs $(PKGS_T) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-unused-parameter -Wformat=2 -Wvla
CSTD    := -std=gnu11
OPT     ?= -O2 -g
CPPFLAGS_ALL := -Iinclude -Isrc -D_GNU_SOURCE $(PKG_CFLAGS)

B       ?= build
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC   := $(sort $(wildcard src/lib/*.c src/intel/*.c src/net/*.c src/watch/*.c src/scan/*.c \
                              src/dev/*.c src/audit/*.c src/hub/*.c))
CMD_SRC   := $(sort $(wildcard src/cmd/*.c)) src/main.c
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))

LIB_OBJ   = $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/data.o
DATA_FILES := $(sort $(filter-out data/README.md,$(wildcard data/*)))
IEEE_DIR  ?= /usr/share/ieee-data
CMD_OBJ   = $(CMD_SRC:%.c=$(B)/%.o)
TEST_BIN  = $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(B)/bench/%)

CFLAGS_ALL = $(CSTD) $(OPT) $(WARN) $(CPPFLAGS_ALL) $(CFLAGS) $(XCFLAGS)

.PHONY: all check check-unit check-e2e check-san bench fuzz fuzz-run demo install clean deps format

all: $(B)/vigil

deps:
	scripts/deps

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# Data files compiled in (src/lib/data.h): data/* and the OUI table
# generated from Debian's ieee-data.
$(B)/gen/oui.tsv: scripts/gen-oui $(wildcard $(IEEE_DIR)/oui.csv $(IEEE_DIR)/mam.csv $(IEEE_DIR)/oui36.csv)
	@mkdir -p $(dir $@)
	scripts/gen-oui $@ $(IEEE_DIR)

# the list of embedded files, rewritten only when it changes, so removing a
# data file also regenerates data.c
DATA_LIST := $(B)/gen/data.list
$(shell mkdir -p $(B)/gen && (echo '$(DATA_FILES)' | cmp -s - $(DATA_LIST) || echo '$(DATA_FILES)' > $(DATA_LIST)))

$(B)/gen/data.c: scripts/embed $(DATA_FILES) $(DATA_LIST) $(B)/gen/oui.tsv
	@mkdir -p $(dir $@)
	scripts/embed $@ $(foreach f,$(DATA_FILES),$(notdir $(f))=$(f)) oui.tsv=$(B)/gen/oui.tsv

$(B)/gen/data.o: $(B)/gen/data.c
	$(CC) $(CSTD) -O0 -Iinclude -Isrc -c $< -o $@

$(B)/libvigil.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/vigil: $(CMD_OBJ) $(B)/libvigil.a
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $(CMD_OBJ) $(B)/libvigil.a $(PKG_LIBS) $(XLDFLAGS)
	@ln -sf $(notdir $@) $(B)/vigil-link 2>/dev/null || true

$(B)/tests/%: tests/unit/%.c $(B)/libvigil.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(T_CFLAGS) -Itests -o $@ $< $(B)/libvigil.a $(PKG_LIBS) $(T_LIBS) $(XLDFLAGS)

$(B)/bench/%: bench/%.c $(B)/libvigil.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -O2 -o $@ $< $(B)/libvigil.a $(PKG_LIBS)

# ---- tests -------------------------------------------------------------
check-unit: $(TEST_BIN)
	@tests/run-unit $(TEST_BIN)

check-e2e: $(B)/vigil
	@VIGIL=$(abspath $(B)/vigil) tests/run-cases tests/cases

# The sanitizer build is a recursive make into build-san with other flags.
check-san:
	@$(MAKE) --no-print-directory B=build-san OPT="$(SAN_FLAGS)" XLDFLAGS="-fsanitize=address,undefined" check-unit check-e2e

check: check-unit check-e2e check-san
	@echo "== make check: all passed"

# ---- fuzzing (clang + libFuzzer) ---------------------------------------
FUZZ_B    := build-fuzz
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_B)/%)
fuzz:
	@$(MAKE) --no-print-directory CC=clang B=$(FUZZ_B) \
	  OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" $(FUZZ_B)/libvigil.a
	@$(MAKE) --no-print-directory CC=clang B=$(FUZZ_B) fuzz-bins
fuzz-bins: $(FUZZ_BIN)
$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_B)/libvigil.a
	clang $(CSTD) -O1 -g $(CPPFLAGS_ALL) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_B)/libvigil.a $(PKG_LIBS)
# make fuzz-run FUZZ=fuzz_dns SECS=300
fuzz-run: fuzz
	tests/fuzz/run $(FUZZ) $(SECS)

# ---- benchmarks, demo ----------------------------------------------------
bench: $(B)/vigil $(BENCH_BIN)
	@B=$(B) bench/run

demo: $(B)/vigil $(B)/bench/gen_pcap
	@B=$(B) scripts/demo

# SYSCONFDIR/vigil/vigil.conf is installed from the example only when absent;
# the unit goes to SYSTEMDUNITDIR (its ExecStart names /usr/local/bin/vigil).
SYSCONFDIR     ?= /etc
SYSTEMDUNITDIR ?= /lib/systemd/system
install: $(B)/vigil
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/doc/vigil \
	  $(DESTDIR)$(SYSCONFDIR)/vigil $(DESTDIR)$(SYSTEMDUNITDIR) \
	  $(DESTDIR)$(PREFIX)/share/vigil/www
	install -m 0755 $(B)/vigil $(DESTDIR)$(PREFIX)/bin/vigil
	install -m 0644 share/www/* $(DESTDIR)$(PREFIX)/share/vigil/www/
	install -m 0644 docs/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 docs/man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 0644 packaging/vigil.conf.example $(DESTDIR)$(PREFIX)/share/doc/vigil/
	install -m 0644 packaging/systemd/vigil-watch.service $(DESTDIR)$(SYSTEMDUNITDIR)/
	test -e $(DESTDIR)$(SYSCONFDIR)/vigil/vigil.conf || \
	  install -m 0640 packaging/vigil.conf.example $(DESTDIR)$(SYSCONFDIR)/vigil/vigil.conf

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)
