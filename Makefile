# PostGateway: `make run` serves the gateway on http://localhost:8080; `make test` runs every test.
# Both install the Debian packages they need when missing (as root, with apt-get).

SWIFT ?= swift
# Build and run: SQLite for the ledger (through GRDB), libqrencode for QR codes, libcurl for the sandbox's callbacks
# (FoundationNetworking's URLSession; the gateway's own client is AsyncHTTPClient).
RUN_PACKAGES := libsqlite3-dev sqlite3 libqrencode-dev libcurl4-openssl-dev
# Tests and benchmarks add the real tools they drive: rsvg-convert rasterises labels, zbarimg decodes them,
# openssl makes the certificates of the mutual-TLS tests, and headless Chromium driven over WebDriver checks the pages.
# python3 runs the mutual-TLS tests' test server and, in a virtual environment of its own (Debian's Python refuses
# pip), the OpenAPI validator and schemathesis. PostgreSQL's server runs the ledger's second backend in a throwaway
# cluster that `make test` starts and removes (scripts/with-postgres.sh); nothing is left running.
TEST_PACKAGES := $(RUN_PACKAGES) librsvg2-bin zbar-tools fonts-dejavu-core openssl curl chromium chromium-driver python3 python3-venv \
	postgresql
# The benchmark scripts drive wrk, ask the gateway with curl and work their figures out with python3.
BENCH_PACKAGES := $(RUN_PACKAGES) wrk curl python3
VENV := .venv

.PHONY: run test bench build format format-check deps-run deps-test deps-bench openapi-check schemathesis clean

define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps-run:
	$(call apt_install,$(RUN_PACKAGES))

deps-test:
	$(call apt_install,$(TEST_PACKAGES))
	@[ -x $(VENV)/bin/schemathesis ] && $(VENV)/bin/python -c "import yaml, openapi_spec_validator" 2>/dev/null || \
		(echo "Installing the OpenAPI validator and schemathesis into $(VENV)"; python3 -m venv $(VENV) && \
		 $(VENV)/bin/pip install -q openapi-spec-validator pyyaml schemathesis==4.32.5)

deps-bench:
	$(call apt_install,$(BENCH_PACKAGES))

build: deps-run
	$(SWIFT) build --product postgateway

run: build
	$(SWIFT) run postgateway serve

# The OpenAPI document must be valid OpenAPI 3.1; the Swift tests check it matches the routes and the answers.
openapi-check: deps-test
	$(VENV)/bin/python -c "import yaml; from openapi_spec_validator import validate; validate(yaml.safe_load(open('Sources/PostGateway/App/Resources/openapi.yaml'))); print('openapi.yaml: valid OpenAPI 3.1')"

# swift-format ships with the Swift toolchain; `.swift-format` is its settings (4 spaces, lines of 150). The one rule
# turned off, lower camel case, would rename the one-stop's own field names (`MaBuuGui`), which the Codable types spell.
SWIFT_FORMAT ?= swift-format
FORMATTED := Package.swift Sources Tests

format:
	$(SWIFT_FORMAT) format --in-place --recursive --parallel $(FORMATTED)

format-check:
	$(SWIFT_FORMAT) lint --strict --recursive --parallel $(FORMATTED)

# schemathesis drives the built server over its own /openapi.yaml with a fixed seed (scripts/schemathesis.sh); what
# OpenAPI cannot say about a value is in schemathesis.toml, with why.
schemathesis: deps-test
	$(SWIFT) build --product postgateway
	scripts/schemathesis.sh

test: deps-test openapi-check format-check
	$(SWIFT) build --build-tests
	$(MAKE) --no-print-directory schemathesis
	scripts/with-postgres.sh $(SWIFT) test --skip-build

bench: deps-bench
	$(SWIFT) build -c release --product postgateway
	$(SWIFT) build -c release --product PostGatewayBench
	scripts/bench.sh
	@echo
	@mkdir -p reports; labels=$$(mktemp -d /tmp/postgateway-labels-bench.XXXXXX); \
	.build/release/postgateway seed --dossiers 3000 --days 30 --no-sandbox --data-dir "$$labels" >/dev/null && \
	.build/release/PostGatewayBench labels --data-dir "$$labels" >reports/bench-labels.md; status=$$?; \
	cat reports/bench-labels.md; rm -rf "$$labels"; exit $$status
	@echo
	.build/release/PostGatewayBench forwarding | tee reports/bench-forwarding.md
	@echo
	scripts/bench-reconciliation.sh

clean:
	rm -rf .build $(VENV)
