# render: see README.md. Every target works offline on a fresh clone; only
# `crds` (and the matching check in `verify`) needs ../shared.
SHELL := /bin/bash
GO ?= go
SHARED ?= ../shared
# kube-apiserver, etcd and kubectl for the apiserver tests (KUBEBUILDER_ASSETS).
BIN ?= $(CURDIR)/.bin/k8s

.PHONY: all build docs vulncheck-release test generate verify bench bench-ready soak derive crds gitops-crds examples alb-policy lint fuzz check-kustomize-latest test-apiserver-bin test-apply addon-versions

all: build test

# Release builds use the newest Go 1.26 patch release, fetched once from the
# module proxy: the machine's go1.26.8 links 10 known standard-library
# vulnerabilities into the binary, go1.26.10 none (make vulncheck-release).
RELEASE_TOOLCHAIN ?= go1.26.10

# -trimpath keeps the build machine's paths out of the binary; -w drops the
# DWARF debugging data (67 MB instead of 79, no difference at start). The
# symbol table stays (no -s, which would make it 57 MB): without it
# govulncheck -mode=binary reports functions the binary does not contain
# (with go1.26.8: 13 standard-library findings instead of 10, among them
# net/http.ServeContent and html/template's Execute), which would fail
# vulncheck-release for nothing.
RELEASE_FLAGS ?= -trimpath -ldflags=-w

## build: compile the render binary into bin/render, with $(RELEASE_TOOLCHAIN) and $(RELEASE_FLAGS)
build:
	GOTOOLCHAIN=$(RELEASE_TOOLCHAIN) $(GO) build $(RELEASE_FLAGS) -o bin/render ./cmd/render

## vulncheck-release: govulncheck the release binary (make build) against the local vulnerability database; any finding fails
vulncheck-release: build
	$(LINT_BIN)/govulncheck -db file://$(LINT_BIN)/vulndb-$(VULNDB_VERSION) -mode=binary bin/render

## test: unit, golden, schema and kustomize tests (offline)
test:
	$(GO) test ./...

## test-apiserver-bin: build kube-apiserver v1.34.2 (hack/tools) and provide etcd into $(BIN); no-op when current
test-apiserver-bin:
	bash hack/tools/build-apiserver.sh $(BIN)

## test-apply: tests against a real kube-apiserver and etcd (started by the tests themselves)
test-apply: test-apiserver-bin
	KUBEBUILDER_ASSETS=$(BIN) $(GO) test ./internal/apitest/... ./internal/acksim/... ./internal/apply/... ./cmd/render/...

## generate: write base/ and overlays/ from platform.yaml
generate:
	$(GO) run ./cmd/render gen

## docs: write docs/configuration.md and schema/*.schema.json from internal/config's types and doc comments, and the graph of dev in docs/how-it-works.md
docs:
	$(GO) test ./internal/configdoc -run TestGeneratedFilesAreCurrent -update
	$(GO) test ./cmd/render -run TestGraphOfDevInTheDocs -update

## derive: copy into the project what it needs from $(SHARED) (see README, "Derived data")
derive: crds gitops-crds alb-policy eks-versions

## eks-versions: derive the EKS version calendar (with its sources) from $(SHARED)/eks-versions.md
eks-versions:
	cp $(SHARED)/eks-versions.md internal/eksversion/calendar.md

# Saved `aws eks describe-addon-versions` output, one ADDON-MINOR.json per
# add-on (coredns, kube-proxy, vpc-cni) and Kubernetes minor (docs/operations.md).
ADDON_VERSIONS ?= addon-versions

## addon-versions: rewrite internal/eksversion/addons.md from the describe-addon-versions JSON saved in $(ADDON_VERSIONS)/ (offline), then regenerate the tree
addon-versions:
	$(GO) run ./hack/addon-versions -dir $(ADDON_VERSIONS) -out internal/eksversion/addons.md
	$(GO) run ./cmd/render gen

## crds: derive the CRD schemas the tests validate against from $(SHARED)
crds:
	$(GO) run ./hack/derive-crds -src $(SHARED) -dst internal/schema/crds

## gitops-crds: derive the Flux and Argo CD CRDs the GitOps examples are validated against from $(SHARED)
gitops-crds:
	$(GO) run ./hack/derive-crds -src $(SHARED) -dst internal/schema/gitopscrds -group gitops

## examples: rewrite examples/flux and examples/argocd from platform.yaml (render gen --gitops's code), and examples/ci from the CI templates (render init --ci's)
examples:
	$(GO) test ./internal/gitops -run TestExamples -update
	$(GO) test ./internal/ci -run TestExamples -update

## alb-policy: the AWS Load Balancer Controller's IAM policy, byte for byte
alb-policy:
	cp $(SHARED)/aws-load-balancer-controller/iam_policy.json internal/gen/alb/iam_policy.json

## verify: committed base/, overlays/ and derived CRDs are what the sources give; gen stays pure
verify:
	$(GO) run ./cmd/render gen --check
	$(GO) test ./internal/gitops -run TestExamples
	$(GO) test ./internal/ci -run TestExamples
	$(GO) test ./internal/configdoc -run TestGeneratedFilesAreCurrent
	$(GO) test ./cmd/render -run TestGraphOfDevInTheDocs
	@if $(GO) list -deps ./internal/gen | grep -q '^k8s.io/client-go'; then \
		echo "internal/gen must not import k8s.io/client-go"; exit 1; fi
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) vet ./...
	@if [ -d $(SHARED)/ack-crds ]; then \
		tmp=$$(mktemp -d) && $(GO) run ./hack/derive-crds -src $(SHARED) -dst $$tmp/crds && \
		diff -r $$tmp/crds internal/schema/crds && \
		cmp $(SHARED)/aws-load-balancer-controller/iam_policy.json internal/gen/alb/iam_policy.json && \
		cmp $(SHARED)/eks-versions.md internal/eksversion/calendar.md; \
		rc=$$?; rm -rf $$tmp; exit $$rc; \
	else echo "$(SHARED)/ack-crds absent: derived CRDs not re-checked"; fi
	@if [ -d $(SHARED)/gitops-crds ]; then \
		tmp=$$(mktemp -d) && $(GO) run ./hack/derive-crds -src $(SHARED) -dst $$tmp/gitopscrds -group gitops && \
		diff -r $$tmp/gitopscrds internal/schema/gitopscrds; \
		rc=$$?; rm -rf $$tmp; exit $$rc; \
	else echo "$(SHARED)/gitops-crds absent: derived GitOps CRDs not re-checked"; fi

## check-kustomize-latest: every overlay builds byte-identically with kustomize/api v0.21.3 (Go 1.27)
check-kustomize-latest:
	hack/check-kustomize-latest.sh

# Lint tools and the local vulnerability database (hack/lint/lint.sh).
LINT_BIN ?= $(CURDIR)/.bin/lint
VULNDB_VERSION ?= v0.0.0-20261105234957-e22db6528018
VULNCHECK_STDLIB ?= warn
# How long make fuzz runs each fuzz target, and may spend minimizing one new
# input (go test's default, 60s, stalls FuzzRender, whose runs are slow).
FUZZTIME ?= 30s
FUZZMINIMIZETIME ?= 5s

## lint: go vet, staticcheck v0.8.2, govulncheck v1.9.0 against golang.org/x/vulndb@$(VULNDB_VERSION), and actionlint v1.7.12 on the GitHub workflows (examples/ci and what render init --ci github writes), offline
lint:
	GO=$(GO) LINT_BIN=$(LINT_BIN) VULNDB_VERSION=$(VULNDB_VERSION) VULNCHECK_STDLIB=$(VULNCHECK_STDLIB) hack/lint/lint.sh

## fuzz: run every fuzz target (FuzzParse, FuzzRender, ...) for $(FUZZTIME) each; new crashers land in testdata/fuzz
fuzz:
	@set -e; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' cmd internal | xargs -n1 dirname | sort -u); do \
		for target in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | cut -c6-); do \
			echo "fuzz: ./$$dir $$target for $(FUZZTIME)"; \
			$(GO) test ./$$dir -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME); \
		done; \
	done

## bench-ready: time to a playable game under acksim's AWS latency model (simulated clock): render apply, the critical path, kubectl apply -k with ACK's back-off, level by level; and the model checked against render's Apply on the test apiserver
bench-ready: test-apiserver-bin
	KUBEBUILDER_ASSETS=$(BIN) $(GO) test -run '^$$' -bench 'TimeToReady|FirstPhaseOnTheAPIServer' -benchtime 1x ./internal/apply/ | grep -E 'critical path|time to ready|first phase|^ok|FAIL'

# Cycles of make soak per environment (CI runs 3).
SOAK_CYCLES ?= 25

## soak: $(SOAK_CYCLES) cycles of render apply, a tag changed, apply, delete, for dev and prod, on the test apiserver with acksim: per cycle the wall time, objects left (must be 0), goroutines after each run (not growing), peak RSS (at most +10% from cycle 5)
soak: test-apiserver-bin
	KUBEBUILDER_ASSETS=$(BIN) $(GO) test ./cmd/render -run '^$$' -bench '^BenchmarkSoak$$' -benchtime 1x -soak-cycles $(SOAK_CYCLES)

## bench: issue 32's three figures against their goals, each with absolute times and the load average: render version (median <= 40 ms), render gen against kubectl kustomize overlays/dev (<= 0.15x), a no-op render apply dev --wait=false against kubectl apply --server-side -k (<= 0.10x); then the Go benchmarks of gen and of a first apply
bench: test-apiserver-bin
	hack/bench-startup.sh 31
	hack/bench.sh 21
	set -o pipefail; KUBEBUILDER_ASSETS=$(BIN) $(GO) test -run '^$$' -bench '^BenchmarkReapply$$' -benchtime 11x ./internal/apply/ | grep -E 'no-op|FAIL'
	$(GO) test -run '^$$' -bench . -benchmem ./internal/gen/
	KUBEBUILDER_ASSETS=$(BIN) $(GO) test -run '^$$' -bench '^BenchmarkFirstApply$$' -benchtime 10x ./internal/apply/
