#!/usr/bin/env bash
# Times `render gen` (all environments, whole process) against one
# `kubectl kustomize overlays/dev` on the same tree, interleaved (render,
# kubectl, render, ...) so that both see the same load, and prints the
# medians against issue 32's goal (at most 0.15x) with the machine's load
# average, without which the figure says little on a shared machine.
# Usage: hack/bench.sh [N]   (from the repository root; make bench runs it)
set -euo pipefail
n=${1:-21}
goal=0.15
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/render" ./cmd/render
cp platform.yaml "$tmp/"
cd "$tmp"
./render gen 2>/dev/null

# edit flips prod's maxReplicas between 10 and 11, the common case: one
# change. It is not timed: only the render gen that follows it is.
edit() {
  if grep -q 'maxReplicas: 10$' platform.yaml; then sed -i 's/maxReplicas: 10$/maxReplicas: 11/' platform.yaml
  elif grep -q 'maxReplicas: 11$' platform.yaml; then sed -i 's/maxReplicas: 11$/maxReplicas: 10/' platform.yaml
  else echo "hack/bench.sh: platform.yaml has no maxReplicas: 10 or 11 to change" >&2; exit 1; fi
}
# The edit must change what gen writes, or "one change" times nothing.
edit
if ./render gen 2>&1 | grep -q '^wrote 0 of'; then
  echo "hack/bench.sh: the edit changed no file render gen writes" >&2; exit 1
fi
# ms runs "$@" once and prints its wall time in milliseconds; EPOCHREALTIME
# (bash 5) reads the clock without starting a process.
ms() {
  local start end
  start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f\n", (e - s) * 1000 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >nochange; : >change; : >check; : >kustomize
for _ in $(seq "$n"); do
  ms ./render gen >>nochange
  ms kubectl kustomize overlays/dev >>kustomize
  edit
  ms ./render gen >>change
  ms kubectl kustomize overlays/dev >>kustomize
  ms ./render gen --check >>check
  ms kubectl kustomize overlays/dev >>kustomize
done
k=$(median <kustomize)
if [ -r /proc/loadavg ]; then read -r l1 l5 l15 _ </proc/loadavg; load="$l1 $l5 $l15"
else load=$(uptime | sed 's/.*load averages*: //'); fi
for what in nochange change check; do
  r=$(median <"$what")
  case $what in
  nochange) label="render gen, all environments, nothing changed" ;;
  change) label="render gen, all environments, one change" ;;
  check) label="render gen --check, all environments" ;;
  esac
  awk -v r="$r" -v k="$k" -v g="$goal" -v l="$label" 'BEGIN {
    printf "%s: median %.1f ms, kubectl kustomize overlays/dev %.1f ms: %.2fx (goal <= %.2fx: %s)\n", l, r, k, r / k, g, (r / k <= g) ? "met" : "NOT met" }'
done
echo "medians of ${n} interleaved runs each; load average ${load} on $(getconf _NPROCESSORS_ONLN) CPUs"
