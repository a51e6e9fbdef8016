# The two commands of the README: `make run` and `make test`.
GO ?= go
SHELL := /bin/bash

.PHONY: run test lighthouse build lint bench

# Build and start the server with the embedded store and the demo province.
run:
	$(GO) run ./cmd/motcua serve --data ./data --addr 127.0.0.1:8080 --demo

# The whole test suite; set MOTCUA_TEST_POSTGRES=postgres://…/test to run it
# against PostgreSQL too (CI does). Lighthouse runs after it, alone (it
# measures speed; it skips without Chromium, Node or tools/lighthouse).
test:
	set -o pipefail; $(GO) test -count=1 -v ./... 2>&1 | grep --line-buffered -vE '^(=== (RUN|PAUSE|CONT|NAME)|\s*$$)'
	$(MAKE) --no-print-directory lighthouse

# Lighthouse on every page (tools/lighthouse), alone: it measures speed.
lighthouse:
	MOTCUA_LIGHTHOUSE=1 $(GO) test -count=1 -timeout 20m -run '^TestBrowserLighthouse$$' -v ./cmd/motcua

build:
	$(GO) build -o motcua ./cmd/motcua

lint:
	gofmt -l $$(git ls-files '*.go')
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench:
	$(GO) run ./cmd/motcua-bench due
	$(GO) run ./cmd/motcua-bench search
