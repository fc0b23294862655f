#!/usr/bin/env bash
# make lint: go vet, staticcheck, govulncheck and actionlint, offline and
# reproducible.
#
# staticcheck, govulncheck and actionlint are built from hack/lint (a module of its own,
# so that they never enter the main module's requirements; go.sum pins them)
# into $LINT_BIN, once. govulncheck cannot reach vuln.go.dev here, so it reads
# a local copy of the Go vulnerability database: the OSV files of the module
# golang.org/x/vulndb@$VULNDB_VERSION, indexed by that module's own
# cmd/indexdb into the v1 layout govulncheck -db file:// reads. The same
# version always gives the same findings; bump it to learn of newer reports.
#
# Run from the repository root. Environment:
#   LINT_BIN          where the tools and the database go (default .bin/lint)
#   VULNDB_VERSION    the golang.org/x/vulndb pseudo-version to read
#   VULNCHECK_STDLIB  warn (default) or fail: what a vulnerability the code
#                     calls in the Go standard library does (see vulnreport)
set -euo pipefail
GO=${GO:-go}
LINT_BIN=$(mkdir -p "${LINT_BIN:-.bin/lint}" && cd "${LINT_BIN:-.bin/lint}" && pwd)
VULNDB_VERSION=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}
VULNCHECK_STDLIB=${VULNCHECK_STDLIB:-warn}

# The tools, rebuilt when hack/lint's requirements or sources change.
stamp=$(cat hack/lint/go.mod hack/lint/go.sum hack/lint/vulnreport/*.go | sha256sum | cut -c1-16)
if [[ ! -x $LINT_BIN/staticcheck-$stamp ]]; then
  echo "lint: building staticcheck, govulncheck, actionlint and vulnreport into $LINT_BIN"
  (cd hack/lint && $GO build -o "$LINT_BIN/" honnef.co/go/tools/cmd/staticcheck golang.org/x/vuln/cmd/govulncheck github.com/rhysd/actionlint/cmd/actionlint ./vulnreport)
  rm -f "$LINT_BIN"/staticcheck-*
  cp "$LINT_BIN/staticcheck" "$LINT_BIN/staticcheck-$stamp"
fi

# The vulnerability database, built once per VULNDB_VERSION.
db=$LINT_BIN/vulndb-$VULNDB_VERSION
if [[ ! -f $db/index/db.json ]]; then
  echo "lint: building the vulnerability database from golang.org/x/vulndb@$VULNDB_VERSION"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  GOBIN=$LINT_BIN $GO install "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION"
  # Outside any module, so that no go.mod or go.sum is touched.
  src=$(cd "$tmp" && $GO mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -d $src/data/osv ]] || { echo "lint: no data/osv in golang.org/x/vulndb@$VULNDB_VERSION ($src)"; exit 1; }
  "$LINT_BIN/indexdb" -vulns "$src/data/osv" -out "$tmp/db"
  rm -rf "$db" && mv "$tmp/db" "$db"
fi

echo "lint: go vet"
$GO vet ./...
echo "lint: staticcheck"
"$LINT_BIN/staticcheck" ./...
# actionlint on the GitHub workflows: the examples, and what render init --ci
# github writes (the same templates, pinned to a version). Shellcheck and
# pyflakes are off whether or not the machine has them, so that every machine
# finds the same: actionlint runs them only when they are on PATH.
echo "lint: actionlint"
ci=$(mktemp -d)
trap 'rm -rf "$ci"' EXIT
$GO run ./cmd/render init --name lint --account-id 111122223333 --ci github --render-version v0.0.0-lint -f "$ci/platform.yaml" > /dev/null
"$LINT_BIN/actionlint" -shellcheck= -pyflakes= examples/ci/github-actions/*.yml "$ci"/.github/workflows/*.yml
rm -rf "$ci"
echo "lint: govulncheck (golang.org/x/vulndb@$VULNDB_VERSION, $(ls "$db/ID" | wc -l) reports)"
# The report goes to a file of this run's own: LINT_BIN is shared by every
# checkout on the machine, and two lint runs at once garbled one file.
report=$(mktemp)
trap 'rm -f "$report"; rm -rf "${tmp:-}"' EXIT
"$LINT_BIN/govulncheck" -db "file://$db" -format json ./... > "$report"
"$LINT_BIN/vulnreport" -stdlib "$VULNCHECK_STDLIB" < "$report"
