# Continuum: `make run` to try it, `make test` to check everything. See README.md.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

export CONTINUUM_TOOLS ?= $(HOME)/.cache/continuum-tools
SITE_ROOT := target/site
TEST_DATABASE_URL ?= postgres://continuum:continuum@127.0.0.1:5432/continuum
export TEST_DATABASE_URL

.PHONY: run test bootstrap bootstrap-test site server postgres fmt lint test-rust test-browser test-repeat soak bench lighthouse clean

## run: install what is missing, build, migrate ./data/continuum.db, load demo data once, serve on :3000
run: bootstrap site server
	@mkdir -p data
	CONTINUUM_DEMO_DATA=$${CONTINUUM_DEMO_DATA:-true} CONTINUUM_SECURE_COOKIES=$${CONTINUUM_SECURE_COOKIES:-false} \
		CONTINUUM_SITE_ROOT=$(SITE_ROOT) ./target/debug/continuum serve

## test: formatting, lints (server and wasm), unit + integration tests on SQLite and PostgreSQL, browser tests
test: bootstrap-test fmt lint postgres test-rust site server test-browser

bootstrap:
	@scripts/bootstrap.sh

bootstrap-test:
	@scripts/bootstrap.sh test

site: bootstrap
	@scripts/build-site.sh

server:
	cargo build -p server

postgres:
	@scripts/postgres.sh

## fmt: rustfmt and leptosfmt (view! macros) must both have nothing to change
fmt:
	cargo fmt --all --check
	source <(sed 's/^/export /' "$(CONTINUUM_TOOLS)/paths.mk") && "$$LEPTOSFMT" --check --quiet -c leptosfmt.toml app/src frontend/src

lint:
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p app -p frontend --target wasm32-unknown-unknown -- -D warnings

test-rust:
	cargo test -p app --features ssr
	cargo test -p server

test-browser:
	cd end2end && npx playwright test

## test-repeat: run the integration tests N times in a row (default 20), stopping at the first failure or hang
N ?= 20
test-repeat: postgres
	scripts/test-repeat.sh $(N)

## soak: 64 concurrent writers for SOAK_SECS seconds (default 60) on both backends, never a database error
SOAK_SECS ?= 60
soak: postgres
	CONTINUUM_SOAK_SECS=$(SOAK_SECS) cargo test -p server --test api -- sixty_four_writers

## bench: capacity, search and gap-matrix timings on both backends, then Lighthouse (see BENCHMARKS.md)
bench: postgres
	cargo bench -p server --bench api -- $(BENCH_ARGS)
	scripts/lighthouse.sh

## lighthouse: Lighthouse mobile on each role's main pages, written into BENCHMARKS.md
lighthouse:
	scripts/lighthouse.sh

clean:
	rm -rf target/site target/e2e data
