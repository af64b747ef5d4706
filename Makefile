# Set-up and everyday commands. Each target installs what it needs first, so a fresh
# machine needs only Python 3.11+ and make.
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test bench deps dev-deps chromium yaml-language-server

site: deps  ## install, then build the site into site/
	$(PYTHON) -m mkdocs build --strict

serve: deps  ## install, then preview on http://127.0.0.1:8000/ with live reload
	# mkdocs serve mounts the site at site_url's path: preview it at the root instead.
	SITE_URL=http://127.0.0.1:8000/ $(PYTHON) -m mkdocs serve --livereload --dirty

bench: deps  ## the speed benchmark at 1,000, 3,000 and 10,000 entities (minutes; see README)
	$(PYTHON) bench/run.py --sizes $(or $(SIZES),1000,3000,10000)

test: dev-deps chromium yaml-language-server  ## install, then run every test (browser tests use Debian's chromium)
	$(PYTHON) -m pytest

deps:
	$(PYTHON) -m pip install --quiet -r requirements.txt

dev-deps:
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt

# The editor-schema tests talk to the real YAML language server (from npm) over its protocol.
yaml-language-server:
	@command -v npm >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q nodejs npm; }
	@[ -x .tools/node_modules/.bin/yaml-language-server ] || npm install --silent --no-audit --no-fund --prefix .tools yaml-language-server@1

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }
