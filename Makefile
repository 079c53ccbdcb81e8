# ksplice: top-level build.  `make` builds everything; `make check` runs
# the unit tests and the VM tests; `make install` honours DESTDIR/PREFIX.

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= gcc
export CC

ifeq ($(origin KDIR), undefined)
KRELEASE ?= $(shell testsuite/vm/kernel-release)
KDIR := /lib/modules/$(KRELEASE)/build
else
KRELEASE ?= $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)
endif
export KDIR KRELEASE

# kbuild does not relink modules when the core's symbol versions change
# (insmod then says "disagrees about version"): when kmod/Module.symvers
# differs from the copy kept beside them, rebuild them from scratch.
define relink_if_core_changed
	@cmp -s kmod/Module.symvers $(1)/.core.symvers || { \
		$(MAKE) -s -C $(KDIR) M=$(CURDIR)/$(1) clean && \
		cp kmod/Module.symvers $(1)/.core.symvers; }
endef

# Each part builds with a job per CPU, unless make was given -j (its
# jobserver then shares the CPUs among the parts).  A recipe sees -j in
# $$MAKEFLAGS; make 4.3 does not show it to the makefile itself.
J = $$(case " $$MAKEFLAGS" in *" -j"*) ;; *) echo -j$$(nproc) ;; esac)

.PHONY: all core userspace objdiff kmod testmods benchmods bench check unit-check \
	vm-check install clean deps deb

all: core userspace objdiff kmod testmods

core:
	$(MAKE) $(J) -C core

userspace: core
	$(MAKE) $(J) -C userspace

objdiff: core
	$(MAKE) $(J) -C objdiff

kmod:
	@test -d $(KDIR) || { echo "no kernel build directory $(KDIR): run scripts/install-deps or set KDIR=" >&2; exit 2; }
	$(MAKE) $(J) -C $(KDIR) M=$(CURDIR)/kmod modules
	@# Debian's config builds modules with debug info: 1.5 MB instead of
	@# 90 kB, which every load must read, copy and parse (slow under TCG).
	strip --strip-debug kmod/ksplice.ko

testmods: kmod
	$(call relink_if_core_changed,testsuite/modules)
	$(MAKE) $(J) -C $(KDIR) M=$(CURDIR)/testsuite/modules \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/kmod/Module.symvers modules
	strip --strip-debug testsuite/modules/*.ko

benchmods: kmod
	$(call relink_if_core_changed,bench/modules)
	$(MAKE) $(J) -C $(KDIR) M=$(CURDIR)/bench/modules \
		KBUILD_EXTRA_SYMBOLS=$(CURDIR)/kmod/Module.symvers modules

bench: all benchmods
	bench/run

deps:
	scripts/install-deps

unit-check: core userspace objdiff
	testsuite/run-all --unit

vm-check: all
	testsuite/run-all --vm

check: all
	testsuite/run-all

# Debian packages (debian/, docs/packaging.md): dpkg-buildpackage in a
# copy of the source under build/deb/, which receives the .deb files;
# lintian reports on them.  Needs no kernel headers: DKMS builds
# ksplice.ko on the host the package goes to.
# The packages of a source already built are not built again (a minute
# each time: three VM tests ask): build/deb/source.sha256 sums the files,
# and build/.deb.lock makes a second make deb wait for the first.
# A job per CPU (-Jauto); DEB_BUILD_OPTIONS=nocheck leaves out the unit
# tests (the VM tests ask so: make check has run them already).
DEB_VERSION = $(shell dpkg-parsechangelog -l debian/changelog -SVersion)
DEB_SOURCE_SUM = git ls-files -co --exclude-standard -z | sort -z | \
	xargs -0 sha256sum | sha256sum | cut -d' ' -f1
deb:
	@mkdir -p build; exec 9>build/.deb.lock; flock 9; \
	sum=$$($(DEB_SOURCE_SUM)); \
	if [ -f build/deb/ksplice_$(DEB_VERSION)_amd64.changes ] && \
		[ "$$(cat build/deb/source.sha256 2>/dev/null)" = "$$sum" ]; then \
		echo "build/deb: the packages of this source are built already"; exit 0; fi; \
	set -ex; \
	rm -rf build/deb; \
	mkdir -p build/deb/ksplice-$(DEB_VERSION); \
	git ls-files -co --exclude-standard -z | \
		xargs -0 cp -a --parents -t build/deb/ksplice-$(DEB_VERSION); \
	(cd build/deb/ksplice-$(DEB_VERSION) && dpkg-buildpackage -us -uc -b -Jauto); \
	lintian --info --fail-on error,warning build/deb/ksplice_$(DEB_VERSION)_amd64.changes; \
	echo "$$sum" >build/deb/source.sha256

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/ksplice/$(KRELEASE) \
		$(DESTDIR)$(PREFIX)/include/ksplice $(DESTDIR)$(PREFIX)/share/man/man7 \
		$(DESTDIR)$(PREFIX)/share/man/man8
	for t in userspace/ksplice-create userspace/ksplice-apply userspace/ksplice-undo \
		userspace/ksplice-view userspace/ksplice-load objdiff/ksplice-objdiff; do \
		test ! -f $$t || install -m 0755 $$t $(DESTDIR)$(PREFIX)/sbin/; done
	install -m 0644 kmod/ksplice.ko kmod/Module.symvers $(DESTDIR)$(PREFIX)/lib/ksplice/$(KRELEASE)/
	install -m 0644 kmod/include/ksplice/*.h $(DESTDIR)$(PREFIX)/include/ksplice/
	for m in man/*.7; do test ! -f $$m || install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man7/; done
	for m in man/*.8; do test ! -f $$m || install -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man8/; done

clean:
	$(MAKE) -C core clean
	$(MAKE) -C userspace clean
	$(MAKE) -C objdiff clean
	-test ! -d $(KDIR) || $(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean
	-test ! -d $(KDIR) || $(MAKE) -C $(KDIR) M=$(CURDIR)/testsuite/modules clean
	-test ! -d $(KDIR) || $(MAKE) -C $(KDIR) M=$(CURDIR)/bench/modules clean
