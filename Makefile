# atlas: `make run` starts the service on its embedded default; `make test`
# runs the tests. Both install what they need first. `make help` lists all.
SHELL := /bin/bash
GO ?= go
BIN := bin/atlas
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/atlas-oss/atlas/internal/app.Version=$(VERSION)

# Debian/Ubuntu packages atlas needs: Tesseract (C library, English, Hindi
# and orientation data), Leptonica, poppler's PDF tools, Noto fonts (the
# document generator's Devanagari), a C compiler for cgo; and Chromium,
# which the review page's browser test drives.
DEB_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-hin tesseract-ocr-osd \
	libtesseract-dev libleptonica-dev poppler-utils fonts-noto-core gcc pkg-config chromium

# Tesseract's OpenMP threads make it 5-7 times slower on 2 cores (measured):
# the pipeline owns concurrency.
export OMP_THREAD_LIMIT := 1

# Tests that need PostgreSQL read this; set it where a server answers.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

# The S3-compatible server the blob and scale-out tests start on loopback
# (built from the Go module proxy once, about 3-5 minutes; Debian has none).
VERSITYGW_VERSION := v1.8.0
VERSITYGW := bin/tools/versitygw

.PHONY: help deps tools build run test test-short fuzz bench eval loadbench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

deps: ## install missing Debian/Ubuntu packages and Go modules
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@command -v $(GO) >/dev/null || { echo "Go is missing: install Go 1.26 or newer (https://go.dev/doc/install)"; exit 1; }
	@$(GO) mod download

tools: $(VERSITYGW) ## build the test tools (versitygw) into bin/tools

$(VERSITYGW):
	@echo "building versitygw $(VERSITYGW_VERSION) for the S3 tests (once; a few minutes)"
	GOBIN=$(CURDIR)/bin/tools $(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

build: deps ## build bin/atlas
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/atlas

run: build ## run atlas on SQLite in ./data, with a development client and sample documents
	$(BIN) serve --dev --dev-client $${ATLAS_DEV_CLIENT_ID:-dev}:$${ATLAS_DEV_CLIENT_SECRET:-dev-secret-change-me}

# The document generator's tests render hundreds of images on one thread:
# under the race detector that is 15-20 times slower for nothing, so they
# run without it, and only its concurrency test runs with it.
test: deps tools ## run every test (PostgreSQL ones where a server answers)
	@if [ -z "$$ATLAS_TEST_DATABASE_URL" ] && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
		export ATLAS_TEST_DATABASE_URL='$(PG_TEST_URL)'; fi; \
	export ATLAS_VERSITYGW=$(CURDIR)/$(VERSITYGW) ATLAS_TEST_ARTIFACTS=$(CURDIR)/bin/test-artifacts; \
	$(GO) vet ./... && \
	$(GO) test -race -count=1 -timeout 14m $$($(GO) list ./... | grep -v '/internal/docgen$$') && \
	$(GO) test -count=1 -timeout 5m ./internal/docgen/ && \
	$(GO) test -race -count=1 -timeout 5m -run Concurrent ./internal/docgen/

test-short: ## the fast tests only (no OCR end to end)
	$(GO) test -short -count=1 ./...

fuzz: ## run each fuzz test for 30 s
	$(GO) test -run XXX -fuzz FuzzDecodeMultiUpload -fuzztime 30s ./internal/api/
	$(GO) test -run XXX -fuzz FuzzDecode -fuzztime 30s ./internal/decode/

bench: ## run the benchmarks (see README: Benchmarks)
	$(GO) test -run XXX -bench . -benchtime 5x -count 5 ./internal/api/ ./internal/ocr/ ./internal/app/

clean: ## remove build output (not ./data)
	rm -rf bin

loadbench: build ## throughput against 1, 2 and 3 worker processes on PostgreSQL (see README: Running at scale)
	$(GO) run ./cmd/atlas-loadbench --atlas $(BIN) --database-url '$(PG_TEST_URL)' --workers 1,2,3

eval: build ## measure reading accuracy on a generated corpus
	$(BIN) eval --n 20 --workers $$(nproc)
