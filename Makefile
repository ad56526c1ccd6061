# incluinfo — plain Makefile. `make help`-style summary is in README.md.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
LOCALEDIR  ?= $(PREFIX)/share/locale
DOCDIR     ?= $(PREFIX)/share/doc/incluinfo
# systemd reads units, sysusers.d and tmpfiles.d from /usr/lib, /usr/local/lib and /etc only
SYSTEMD_CONFDIR ?= $(if $(filter /usr /usr/local,$(PREFIX)),$(PREFIX)/lib,/etc)
UNITDIR    ?= $(SYSTEMD_CONFDIR)/systemd/system
SYSUSERSDIR ?= $(SYSTEMD_CONFDIR)/sysusers.d
TMPFILESDIR ?= $(SYSTEMD_CONFDIR)/tmpfiles.d
DESTDIR    ?=

CC         ?= cc
PKG_CONFIG ?= pkg-config
PKGS       := libcurl libxml-2.0 libcjson uuid libcrypto libutf8proc yaml-0.1 sqlite3 libcmark libmicrohttpd

CFLAGS     ?= -O2 -g
WARNINGS   := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
# CI builds with -Werror; a developer can ask for it with WERROR=1
ifneq ($(filter 1 true,$(WERROR) $(CI)),)
WARNINGS   += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS   := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm -pthread
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -DINCLUINFO_VERSION='"$(VERSION)"' -DLOCALEDIR='"$(LOCALEDIR)"' \
              $(WARNINGS) $(SANFLAGS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS := $(SANFLAGS) $(LDFLAGS)

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

LIB_SRC  := $(wildcard lib/*.c lib/text/*.c)
CMD_SRC  := $(wildcard cmd/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TEMPLATES := $(sort $(wildcard etc/templates/*.txt))
LIB_OBJ  := $(LIB_SRC:%.c=build/%.o) build/gen/templates.o
CMD_OBJ  := $(CMD_SRC:%.c=build/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/tests/%)
# The message catalogues: po/LANG.po, compiled where the binary finds them (cmd/main.c).
PO_FILES := $(wildcard po/*.po)
MO_FILES := $(PO_FILES:po/%.po=build/locale/%/LC_MESSAGES/incluinfo.mo)
POT      ?= po/incluinfo.pot
XGETTEXT_FLAGS := --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
		--add-comments=TRANSLATORS: --package-name=incluinfo --package-version=$(VERSION) \
		--msgid-bugs-address=' ' --sort-by-file

.PHONY: all deps demo test bench fuzz install uninstall clean pot
all: build/incluinfo $(MO_FILES)

# --check: the format directives, plural forms and header of every message are verified.
build/locale/%/LC_MESSAGES/incluinfo.mo: po/%.po
	@mkdir -p $(dir $@)
	$(call say,MSGFMT,$<)msgfmt --check -o $@.tmp $< && mv $@.tmp $@

# The template every po/LANG.po is merged with (`msgmerge -U po/es.po po/incluinfo.pot`).
pot:
	$(Q)xgettext $(XGETTEXT_FLAGS) -o $(POT) $(sort $(LIB_SRC) $(CMD_SRC))

# Objects are rebuilt when the flags change (a SANITIZE build after a plain one, say).
build/flags: FORCE
	@mkdir -p build
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@
.PHONY: FORCE

build/%.o: %.c build/flags
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -Ilib -c -o $@ $<

# The default message templates are built into the binary.
build/gen/templates.c: $(TEMPLATES) lib/gen/embed.sh
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)sh lib/gen/embed.sh builtin_templates $(TEMPLATES) > $@.tmp && mv $@.tmp $@

build/gen/templates.o: build/gen/templates.c build/flags
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -Ilib -c -o $@ $<

build/libincluinfo.a: $(LIB_OBJ)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

build/incluinfo: $(CMD_OBJ) build/libincluinfo.a
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) build/libincluinfo.a $(PKG_LIBS) $(LDLIBS)

build/tests/%: tests/unit/%.c build/libincluinfo.a build/flags
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -Ilib -o $@ $< build/libincluinfo.a \
		$(PKG_LIBS) $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null) $(ALL_LDFLAGS)

# The C side of the Bluesky differential test (tests/oracle/bsky_diff.js).
ORACLE_BIN := build/oracle/bsky_driver
build/oracle/%: tests/oracle/%.c build/libincluinfo.a build/flags
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -Ilib -o $@ $< build/libincluinfo.a $(PKG_LIBS) $(ALL_LDFLAGS)

deps:
	$(Q)tests/deps.sh

# After deps, a fresh make: pkg-config's flags are read again once the packages exist.
test: deps
	$(Q)$(MAKE) --no-print-directory all $(UNIT_BIN) $(ORACLE_BIN)
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=4
	$(Q)tests/run.sh $(UNIT_BIN)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)etc/demo.sh

# libFuzzer needs clang: the library is built a second time apart from the gcc objects,
# instrumented, and linked into each target of tests/fuzz/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := notice config tweet
FUZZ_BINS    := $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -DINCLUINFO_VERSION='"$(VERSION)"' -g -O1 \
		-fsanitize=address,undefined -fno-sanitize-recover=all $(PKG_CFLAGS) -Ilib -MMD -MP
FUZZ_OBJ     := $(LIB_SRC:%.c=build/fuzz/obj/%.o) build/fuzz/obj/templates.o

build/fuzz/obj/%.o: %.c build/flags
	@mkdir -p $(dir $@)
	$(call say,FUZZCC,$<)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/obj/templates.o: build/gen/templates.c build/flags
	@mkdir -p $(dir $@)
	$(call say,FUZZCC,$<)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/libincluinfo.a: $(FUZZ_OBJ)
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libincluinfo.a
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		build/fuzz/libincluinfo.a $(PKG_LIBS)

# Runs each fuzz target for FUZZ_SECONDS (tests/fuzz/run.sh: seeds, limits); `make test`
# runs each for a short smoke time.
fuzz: deps
	$(Q)$(MAKE) --no-print-directory $(FUZZ_BINS)
	$(Q)status=0; for t in $(FUZZ_TARGETS); do tests/fuzz/run.sh $$t $(FUZZ_SECONDS) || status=1; done; exit $$status

# The benchmark's web server: one epoll thread that can keep thousands of probes waiting.
build/bench/delay_server: tests/bench/delay_server.c build/flags
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS)

bench: deps
	$(Q)tests/deps.sh --bench
	$(Q)$(MAKE) --no-print-directory build/incluinfo build/bench/delay_server
	$(Q)tests/bench/run.sh

# The unit and the cron line name the binary where this install puts it.
install_bin_path = sed 's|/usr/local/bin/incluinfo|$(BINDIR)/incluinfo|g'
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/templates \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 0755 build/incluinfo $(DESTDIR)$(BINDIR)/incluinfo
	install -m 0644 etc/incluinfo.1 $(DESTDIR)$(MANDIR)/man1/incluinfo.1
	install -m 0644 README.md docs/design.md etc/incluinfo.conf.example $(DESTDIR)$(DOCDIR)/
	$(install_bin_path) etc/incluinfo.cron > $(DESTDIR)$(DOCDIR)/incluinfo.cron
	install -m 0644 notices/README.md $(DESTDIR)$(DOCDIR)/avisos.md
	install -m 0644 feeds/README.md $(DESTDIR)$(DOCDIR)/feeds.md
	install -m 0644 etc/templates/* $(DESTDIR)$(DOCDIR)/templates/
	$(install_bin_path) etc/systemd/incluinfo-run.service > $(DESTDIR)$(UNITDIR)/incluinfo-run.service
	install -m 0644 etc/systemd/incluinfo-run.timer $(DESTDIR)$(UNITDIR)/
	install -m 0644 etc/sysusers.d/incluinfo.conf $(DESTDIR)$(SYSUSERSDIR)/incluinfo.conf
	install -m 0644 etc/tmpfiles.d/incluinfo.conf $(DESTDIR)$(TMPFILESDIR)/incluinfo.conf
	for mo in $(MO_FILES); do \
		lang=$${mo#build/locale/}; lang=$${lang%%/*}; \
		install -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES && \
		install -m 0644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/incluinfo.mo || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/incluinfo $(DESTDIR)$(MANDIR)/man1/incluinfo.1
	rm -f $(DESTDIR)$(UNITDIR)/incluinfo-run.service $(DESTDIR)$(UNITDIR)/incluinfo-run.timer
	rm -f $(DESTDIR)$(SYSUSERSDIR)/incluinfo.conf $(DESTDIR)$(TMPFILESDIR)/incluinfo.conf
	rm -rf $(DESTDIR)$(DOCDIR)
	rm -f $(PO_FILES:po/%.po=$(DESTDIR)$(LOCALEDIR)/%/LC_MESSAGES/incluinfo.mo)

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
