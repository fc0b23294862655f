#!/usr/bin/env bash
# Times `render gen` (all environments, whole process) against one
# `kubectl kustomize overlays/dev` on the same tree, each run N times.
# Usage: hack/bench.sh [N]   (from the repository root; make bench runs it)
set -euo pipefail
n=${1:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/render" ./cmd/render
cp platform.yaml "$tmp/"
cd "$tmp"
./render gen 2>/dev/null

# ms runs "$@" n times and prints the mean wall time in milliseconds.
ms() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$n"); do "$@" >/dev/null 2>&1; done
  end=$(date +%s%N)
  echo $(( (end - start) / n / 1000000 ))
}
fresh() { rm -rf base overlays && ./render gen; }
# edit flips prod's replicas between 3 and 4, the common case: one change.
edit() {
  if grep -q 'replicas: 3' platform.yaml; then sed -i 's/replicas: 3/replicas: 4/' platform.yaml
  else sed -i 's/replicas: 4/replicas: 3/' platform.yaml; fi
  ./render gen
}
render_fresh=$(ms fresh)
render_edit=$(ms edit)
render_check=$(ms ./render gen --check)
kustomize=$(ms kubectl kustomize overlays/dev)
echo "render gen, all environments, empty tree:   ${render_fresh} ms"
echo "render gen, all environments, one change:   ${render_edit} ms"
echo "render gen --check, all environments:       ${render_check} ms"
echo "kubectl kustomize overlays/dev:             ${kustomize} ms"
awk -v f="$render_fresh" -v e="$render_edit" -v c="$render_check" -v k="$kustomize" 'BEGIN {
  printf "ratio to kubectl kustomize (target <= 0.5): empty tree %.2f, one change %.2f, check %.2f\n", f / k, e / k, c / k }'
