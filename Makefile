# The two commands of the README: `make run` and `make test`.
GO ?= go
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run test check build bench

run:
	$(GO) run ./cmd/connector serve

test: check
	$(GO) test -count=1 -race -timeout 20m ./...
	# The e-mail parser and the choice of signed headers meet untrusted input: fuzz them on every
	# run, bounded by a count of inputs (≈ 10 s here). Not by time: Go 1.26's fuzz coordinator
	# can report its own -fuzztime deadline as a failure (golang/go#75804, fixed in 1.27).
	# Minimising a find re-runs DKIM checks, so it is bounded too.
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 100000x -fuzzminimizetime 1000x ./internal/meta

check:
	@test -z "$$(gofmt -l .)" || (echo "gofmt needed:"; gofmt -l .; exit 1)
	$(GO) vet ./...
	$(STATICCHECK) ./...

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/connector ./cmd/connector

# Every benchmark, then a table of what they measured. The Postgres ones need
# CONNECTOR_TEST_DATABASE_URL (see .ci/postgres.sh); without it they are skipped.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 10x ./... | tee bench.out
	# minutes per iteration (a quarter of the ZGW requests fail, ZGW_TIMEOUT 30s): once
	BENCH_DRAIN=1 $(GO) test -run '^$$' -bench DrainUnderFaults -benchtime 1x -timeout 60m ./internal/workflow | tee -a bench.out
	@echo
	@echo "| benchmark | measured | goal |"
	@echo "|---|---|---|"
	@awk -F'\t' 'FNR==NR { if ($$1 !~ /^#/) { g = ($$1 in goal) ? goal[$$1] "; " : ""; goal[$$1] = g $$2 " " $$3 }; next } /^Benchmark/ { split($$0, f, /[ \t]+/); name=f[1]; sub(/-[0-9]+$$/, "", name); m=""; for (i=3; i<length(f); i+=2) { m = m (m==""?"":", ") f[i] " " f[i+1] } print "| " name " | " m " | " (name in goal ? goal[name] : "") " |" }' bench-goals.tsv bench.out
