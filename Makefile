# kpic: KPIs as code. `make help` lists the targets.
GO              ?= go
GOLANGCI_LINT_VERSION ?= v2.15.0
GOBIN           ?= $(shell $(GO) env GOPATH)/bin
KPIDIR          ?= kpis
VERSION         ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS         := -X github.com/prometheus/common/version.Version=$(VERSION) \
                   -X github.com/prometheus/common/version.Revision=$(shell git rev-parse --short HEAD 2>/dev/null) \
                   -X github.com/prometheus/common/version.Branch=$(shell git rev-parse --abbrev-ref HEAD 2>/dev/null)

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-20s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build the kpic binary into ./bin/kpic.
	CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS)' -o bin/kpic ./cmd/kpic

.PHONY: test
test: ## Run the unit and integration tests (the README's test command).
	$(GO) test ./...

.PHONY: test-race
test-race: ## Run the tests with the race detector.
	$(GO) test -race ./...

.PHONY: generate
generate: ## Regenerate deploy/ and dashboards/ from kpis/.
	$(GO) run ./cmd/kpic build $(KPIDIR)

.PHONY: check
check: install-prometheus ## Validate kpis/, fail on stale generated files, and run promtool on the rules.
	$(GO) run ./cmd/kpic check $(KPIDIR)
	promtool check rules deploy/prometheus/*.rules.yml

.PHONY: fuzz
fuzz: ## Fuzz the definitions and test file loaders for a short while (FUZZTIME, default 30s).
	$(GO) test ./internal/definition -run '^$$' -fuzz FuzzLoad -fuzztime $${FUZZTIME:-30s}
	$(GO) test ./internal/kpitest -run '^$$' -fuzz FuzzParse -fuzztime $${FUZZTIME:-30s}

.PHONY: bench
bench: ## Run the benchmarks.
	$(GO) test ./... -run '^$$' -bench . -benchmem

.PHONY: lint
lint: $(GOBIN)/golangci-lint ## Run gofmt, go vet and golangci-lint.
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "$$out"; echo "gofmt: the files above need formatting"; exit 1; fi
	$(GO) vet ./...
	$(GOBIN)/golangci-lint run ./...

$(GOBIN)/golangci-lint:
	$(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

.PHONY: install-prometheus
install-prometheus: ## Install Debian's prometheus and prometheus-alertmanager when missing (needs root or sudo).
	@if command -v promtool >/dev/null && command -v prometheus >/dev/null && command -v prometheus-alertmanager >/dev/null; then exit 0; fi; \
	SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	if command -v apt-get >/dev/null; then \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq prometheus prometheus-alertmanager; \
	else \
		echo "install Prometheus (promtool) and Alertmanager from your distribution, or https://prometheus.io/download/"; exit 1; \
	fi

.PHONY: install-chromium
install-chromium: ## Install Debian's chromium and chromium-driver when missing, for the scorecard's browser tests (needs root or sudo).
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then exit 0; fi; \
	SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	if command -v apt-get >/dev/null; then \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; \
	else \
		echo "install Chromium from your distribution"; exit 1; \
	fi

.PHONY: demo
demo: ## Run the live demo: seeded SQLite, kpic serve, and Prometheus, Alertmanager and a Slack webhook when installed (docs/demo.md).
	@if ! command -v prometheus >/dev/null || ! command -v prometheus-alertmanager >/dev/null; then \
		if command -v apt-get >/dev/null && { [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then \
			$(MAKE) --no-print-directory install-prometheus || echo "Could not install Prometheus; the demo runs without it."; \
		else \
			echo "Prometheus or Alertmanager is missing: 'make install-prometheus' (Debian/Ubuntu) or your package manager installs them; the demo runs without them."; \
		fi; \
	fi
	CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS)' -o .demo/kpic ./cmd/kpic
	CGO_ENABLED=0 $(GO) build -o .demo/kpic-demo ./cmd/kpic-demo
	./.demo/kpic-demo --kpic=.demo/kpic --kpis=$(KPIDIR)

.PHONY: demo-db
demo-db: ## Create only the demo company's SQLite database, .demo/shop.db, to run kpic serve, query and check --queries on by hand.
	CGO_ENABLED=0 $(GO) build -o .demo/kpic-demo ./cmd/kpic-demo
	./.demo/kpic-demo --database-only

.PHONY: e2e
e2e: install-prometheus install-chromium ## Run the end-to-end tests: real Prometheus, Alertmanager, PostgreSQL, SQLite and headless Chromium on the scorecard (docs/demo.md).
	CGO_ENABLED=0 $(GO) build -ldflags '$(LDFLAGS)' -o bin/kpic ./cmd/kpic
	KPIC_BIN=$(CURDIR)/bin/kpic $(GO) test -tags e2e -count=1 -timeout 15m ./e2e/... ./cmd/kpic-demo/...
