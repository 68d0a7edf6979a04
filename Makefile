# Two commands matter: `make run` (sandbox + window, prints the window's URL first) and `make test` (everything).
# Both install what they need. Setup output goes to stderr so the URL is the first line on stdout.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements-dev.txt | cut -c1-12)
# The development OpenID provider (sandbox/oidc): installed again only when its lockfile changes.
OIDC_DIR := sandbox/oidc
OIDC_STAMP := $(OIDC_DIR)/node_modules/.installed-$(shell sha256sum $(OIDC_DIR)/package-lock.json | cut -c1-12)

.PHONY: run test lint bench load dist runtime catalogs system-packages setup openid-provider

# `OIDC=1 make run` also starts the OpenID provider (docs/authentication.md).
run: setup runtime openid-provider
	@$(BIN)/python -m devserver

test: setup runtime system-packages openid-provider lint
	@$(BIN)/python -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose" >&2; exit 1; fi; exit $$rc

lint: setup
	@$(BIN)/ruff check . >&2
	@$(BIN)/ruff format --check . >&2
	@$(BIN)/mypy >&2

bench: setup runtime system-packages
	@$(BIN)/python -m tests.bench

# The load simulator's figures for 100, 1,000 and 2,000 consumers against a sandbox of its own (docs/load.md), four
# to ten minutes. `make load PROCESSES=2` spreads each size over two processes; `CONSUMERS="100 500"` picks the sizes.
load: setup
	@$(BIN)/python tests/load/figures.py $(if $(CONSUMERS),--consumers $(CONSUMERS)) \
	  $(if $(PROCESSES),--processes $(PROCESSES))

setup: $(STAMP)

$(STAMP): requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) >&2
	@$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt >&2
	@rm -f $(VENV)/.installed-* && touch $@

# The folder a brand deploys (README, "Put it on your site"): `make dist CONFIG=path/to/config.json`.
dist: setup runtime
	@$(BIN)/python -m devserver.dist $(if $(CONFIG),--config $(CONFIG))

openid-provider: $(OIDC_STAMP)

$(OIDC_STAMP): $(OIDC_DIR)/package-lock.json
	@cd $(OIDC_DIR) && npm ci --no-audit --no-fund --loglevel=error >&2
	@touch $@

runtime: setup catalogs
	@$(BIN)/python static/build_runtime.py >&2

# The window's message catalogs (window/locales/*.po, gettext) compiled for the page.
catalogs: $(patsubst %.po,%.mo,$(wildcard window/locales/*.po))

window/locales/%.mo: window/locales/%.po $(STAMP)
	@$(BIN)/pybabel -q compile -i $< -o $@ >&2

# From Debian: Chromium drives the end-to-end tests (Playwright's own browser download cannot work here), and nginx
# with its brotli module serves the dist folder in its test, as a brand's server would.
DEBIAN_PACKAGES := chromium nginx-light libnginx-mod-http-brotli-static
system-packages:
	@dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq >&2 && $$SUDO apt-get install -y -qq $(DEBIAN_PACKAGES) >&2; }
