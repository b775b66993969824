# deploy/: the systemd unit, sysusers.d and tmpfiles.d entries, the example
# config (installed by `make install`) and `make demo`.

# Each program's own module.mk adds it to INSTALLED_PROGRAMS (spreadbus,
# spreadctl, spreadbus-collector, -aggregator, -writer); this adds the rest.
INSTALL_EXTRA += install-deploy

# systemd reads units, sysusers.d and tmpfiles.d from /usr/local/lib as well
# as /usr/lib, so these follow PREFIX; override them for other prefixes.
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
DOCDIR ?= $(PREFIX)/share/doc/spreadbus
# yes: after installing into the running system (never with DESTDIR), as
# root under systemd, create the user and directories and reload systemd,
# as a package's postinst would.
SYSTEMD_ACTIVATE ?= yes

DEMO_DIR ?= build/demo

# The committed files name /usr/local/bin and /etc; installed copies name
# the directories actually in use.
DEPLOY_PATHS_SED = sed -e 's|/usr/local/bin/|$(PREFIX)/bin/|g' -e 's|/usr/local/share/doc/spreadbus/|$(DOCDIR)/|g' -e 's|/etc/spreadbus/|$(SYSCONFDIR)/spreadbus/|g'

.PHONY: install-deploy demo demo-cluster

install-deploy: deploy/spreadbus.service deploy/spreadbus.sysusers deploy/spreadbus.tmpfiles deploy/spreadbus.conf.example docs/deploy.md
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(DOCDIR)
	@# tmpfiles.d makes it root:spreadbus 0750 later: leave an existing one be.
	[ -d $(DESTDIR)$(SYSCONFDIR)/spreadbus ] || install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/spreadbus
	$(DEPLOY_PATHS_SED) deploy/spreadbus.service >$(DESTDIR)$(UNITDIR)/spreadbus.service.tmp
	chmod 0644 $(DESTDIR)$(UNITDIR)/spreadbus.service.tmp
	mv -f $(DESTDIR)$(UNITDIR)/spreadbus.service.tmp $(DESTDIR)$(UNITDIR)/spreadbus.service
	install -m 0644 deploy/spreadbus.sysusers $(DESTDIR)$(SYSUSERSDIR)/spreadbus.conf
	$(DEPLOY_PATHS_SED) deploy/spreadbus.tmpfiles >$(DESTDIR)$(TMPFILESDIR)/spreadbus.conf
	chmod 0644 $(DESTDIR)$(TMPFILESDIR)/spreadbus.conf
	install -m 0644 docs/deploy.md $(DESTDIR)$(DOCDIR)/deploy.md
	install -m 0644 deploy/spreadbus.conf.example $(DESTDIR)$(DOCDIR)/spreadbus.conf.example
	@# An existing configuration is the operator's: never overwritten.
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/spreadbus/spreadbus.conf ]; then \
		echo "keeping existing $(DESTDIR)$(SYSCONFDIR)/spreadbus/spreadbus.conf"; \
	else \
		echo "install -m 0640 deploy/spreadbus.conf.example $(DESTDIR)$(SYSCONFDIR)/spreadbus/spreadbus.conf"; \
		install -m 0640 deploy/spreadbus.conf.example $(DESTDIR)$(SYSCONFDIR)/spreadbus/spreadbus.conf; \
	fi
	@if [ "$(SYSTEMD_ACTIVATE)" = yes ] && [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ] && [ "$$(id -u)" = 0 ]; then \
		echo "systemd-sysusers, systemd-tmpfiles --create, systemctl daemon-reload"; \
		systemd-sysusers $(SYSUSERSDIR)/spreadbus.conf && \
		systemd-tmpfiles --create $(TMPFILESDIR)/spreadbus.conf && \
		systemctl daemon-reload; \
	fi

# The whole service with a fake exchange and a private Redis, offline, under
# $(DEMO_DIR); Ctrl-C or DEMO_SECONDS=N stops it.
demo: test-tools
	@SPREADBUS_BIN=$(abspath $(BUILD)/bin) SPREADBUS_SRC=$(CURDIR) DEMO_DIR=$(abspath $(DEMO_DIR)) deploy/demo.sh

# Two instances (edge, centre) joined by a three-node NATS JetStream cluster.
demo-cluster: test-tools
	@SPREADBUS_BIN=$(abspath $(BUILD)/bin) SPREADBUS_SRC=$(CURDIR) DEMO_DIR=$(abspath $(BUILD)/demo-cluster) deploy/demo_cluster.sh

INTEGRATION_TESTS += tests/integration/test_deploy_unit.sh
# The demo holds 127.0.0.1:9280; the systemd test boots a container.
INTEGRATION_TESTS_RELEASE_ONLY += tests/integration/test_demo.sh tests/integration/test_deploy_systemd.sh
