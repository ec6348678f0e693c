# The two set-up commands (README): `make demo` and `make check`, as root on
# Debian 12. Each installs the Debian packages it is missing, then builds.

DEPS := meson ninja-build pkg-config gcc clang libclang-rt-14-dev \
	libmnl-dev libnftables-dev libnetfilter-conntrack-dev libcmocka-dev \
	nftables iproute2 conntrack iputils-ping procps python3 kmod jq \
	systemd man-db groff-base keepalived conntrackd isc-dhcp-client \
	dnsmasq-base
BUILD := build
CHECK_BUILD := build-check
CLANG_BUILD := build-clang
FUZZ_SECONDS ?= 20

.PHONY: all deps build demo check check-unit fuzz clean format bench

all: build

# The tests run keepalived and conntrackd only inside their namespaces:
# installing them must not start (or enable) the host's own services, so
# a policy-rc.d refuses the start while apt runs, and the units of the
# packages this run installed are disabled afterwards.
HOST_SERVICES := keepalived conntrackd
deps:
	@missing=$$(for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		guard=; if [ ! -e /usr/sbin/policy-rc.d ]; then \
			printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && \
			chmod 755 /usr/sbin/policy-rc.d && guard=1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $$missing \
			>/dev/null; rc=$$?; \
		[ -n "$$guard" ] && rm -f /usr/sbin/policy-rc.d; \
		for s in $(HOST_SERVICES); do \
			case " $$missing " in *" $$s "*) \
				systemctl disable -q $$s >/dev/null 2>&1 || true ;; \
			esac; done; \
		[ $$rc -eq 0 ] || exit 1; \
	fi

$(BUILD)/build.ninja:
	rm -rf $(BUILD)
	meson setup $(BUILD) --buildtype=release -Dtests=false

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The main job: the seed's network in namespaces, ecmpd on
# examples/seed.rsc, balance, failover, return and reload, live.
# `make demo ARGS=--keep` leaves the lab up.
# `make demo ARGS=--ha`: a pair of routers (keepalived, conntrackd) through a
# router failure and back instead (demo/ha.sh).
demo: build
	./$(BUILD)/ecmpd -n -f examples/seed.rsc && echo "examples/seed.rsc: ok"
	ECMPD=$(CURDIR)/$(BUILD)/ecmpd ECMPCTL=$(CURDIR)/$(BUILD)/ecmpctl \
		bash demo/demo.sh $(ARGS)

# The benchmarks (bench/README.md), as root: installs nginx, wrk and iperf3
# if missing, runs every measurement in its own namespaces (~10 minutes),
# prints the table and writes it to bench/results.md.
bench: build
	bash bench/run.sh

$(CHECK_BUILD)/build.ninja:
	rm -rf $(CHECK_BUILD)
	meson setup $(CHECK_BUILD) --werror -Db_sanitize=address,undefined \
		-Db_lundef=false

$(CLANG_BUILD)/build.ninja:
	rm -rf $(CLANG_BUILD)
	CC=clang meson setup $(CLANG_BUILD) --werror -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link

# The tests: gcc build with ASan+UBSan running every suite (unit, config,
# kernel, lab: the namespace suites need root and skip without it, and
# nothing else skips), a clang build with warnings as errors, and a short
# libFuzzer run on the parser. The shell tests run CHECK_JOBS at a time,
# longest first: each lab test has namespaces of its own and mostly waits
# for the network (tests/lab/README.md). The clang build and the fuzzer
# run beside them (their output in build-clang/check.log, shown when they
# fail); summary.py adds up tests and checks.
# promtool, to check the metrics format, unpacked from Debian's prometheus
# package into the build dir: installing the package would start a server.
CHECK_JOBS ?= 8
PROMTOOL := $(CHECK_BUILD)/tools/usr/bin/promtool
$(PROMTOOL): $(CHECK_BUILD)/build.ninja
	@mkdir -p $(CHECK_BUILD)/tools && cd $(CHECK_BUILD)/tools && \
	{ apt-get download prometheus >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get download prometheus >/dev/null; }; } && \
	dpkg-deb -x prometheus_*.deb . && rm -f prometheus_*.deb

check: deps $(CHECK_BUILD)/build.ninja $(CLANG_BUILD)/build.ninja $(PROMTOOL)
	ninja -C $(CHECK_BUILD)
	@rc=0; \
	{ ninja -C $(CLANG_BUILD) && \
	  FUZZ_SECONDS=$(FUZZ_SECONDS) meson test -C $(CLANG_BUILD) \
		--suite fuzz --print-errorlogs; } >$(CLANG_BUILD)/check.log 2>&1 & \
	clang=$$!; \
	PROMTOOL=$(CURDIR)/$(PROMTOOL) \
	meson test -C $(CHECK_BUILD) --print-errorlogs \
		--num-processes $(CHECK_JOBS) || rc=1; \
	if wait $$clang; then \
		echo "clang build (--werror) and fuzzer: ok ($(CLANG_BUILD)/check.log)"; \
	else \
		cat $(CLANG_BUILD)/check.log; rc=1; \
	fi; \
	python3 tests/summary.py $(CHECK_BUILD) $(CLANG_BUILD) || rc=1; \
	exit $$rc

check-unit: deps $(CHECK_BUILD)/build.ninja
	ninja -C $(CHECK_BUILD)
	meson test -C $(CHECK_BUILD) --suite unit --suite config --print-errorlogs

format:
	clang-format -i src/*.c src/*/*.[ch] tests/unit/*.c tests/fuzz/*.c tests/kernel/*.c

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(CLANG_BUILD)

# make install [PREFIX=/usr/local] [DESTDIR=/tmp/stage]: a release build of
# its own, installed under DESTDIR/PREFIX (ecmpd and ecmpctl in sbin, man
# pages, the systemd unit in lib/systemd/system, examples in
# share/doc/ecmpd). Installs no Debian packages: nothing is written outside
# DESTDIR and the build directory. Run `make build` first on a fresh box.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_BUILD := build-install

.PHONY: install
install:
	rm -rf $(INSTALL_BUILD)
	meson setup $(INSTALL_BUILD) --buildtype=release -Dtests=false \
		--prefix=$(PREFIX)
	ninja -C $(INSTALL_BUILD)
	meson install -C $(INSTALL_BUILD) --no-rebuild \
		$(if $(DESTDIR),--destdir "$(DESTDIR)")
