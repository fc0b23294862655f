package orchestrate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/graph"
)

// Digest is the digest of a rendering: the SHA-256 of its objects, sorted
// by name, as JSON (whose maps have sorted keys).
func Digest(objs []*unstructured.Unstructured) (string, error) {
	sorted := append([]*unstructured.Unstructured(nil), objs...)
	sort.Slice(sorted, func(i, j int) bool { return graph.NameOf(sorted[i]) < graph.NameOf(sorted[j]) })
	h := sha256.New()
	for _, u := range sorted {
		b, err := json.Marshal(u.Object)
		if err != nil {
			return "", fmt.Errorf("%s: %w", graph.NameOf(u), err)
		}
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// StaleError refuses a run whose rendering is older than the one applied
// last: applying it would revert newer changes.
type StaleError struct {
	Ours, Recorded string
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("refusing to apply: this rendering comes from commit %s, an ancestor of %s, which was applied last; "+
		"applying it would revert the newer changes and pruning would delete what they added (an older pipeline finishing late?). "+
		"Nothing was applied or deleted; rerun with --revert-newer-changes to roll back on purpose", e.Ours, e.Recorded)
}

// Staleness is what CheckStale decided for a pruning run.
type Staleness struct {
	// Prune is false when the run must not prune.
	Prune bool
	// Note says why, or that the check was skipped; empty when the
	// rendering is newer than, or the same as, the one applied last.
	Note string
}

// CheckStale compares a pruning run's rendering (ours) with the one the
// ApplySet records as applied last. isAncestor(a, b) reports whether commit
// a is an ancestor of commit b (git merge-base --is-ancestor); it errs when
// it cannot tell. When ours comes from an ancestor of the recorded commit,
// the prune is refused; the apply goes ahead only if the renderings are
// the same, else the whole run is refused with a StaleError, unless revert
// (--revert-newer-changes), which applies and prunes on purpose.
func CheckStale(ours, recorded apply.Provenance, isAncestor func(a, b string) (bool, error), revert bool) (Staleness, error) {
	switch {
	case ours.Commit == "":
		return Staleness{Prune: true, Note: "stale-rendering check skipped: platform.yaml is not committed in git"}, nil
	case recorded.Commit == "":
		return Staleness{Prune: true, Note: "stale-rendering check skipped: the ApplySet records no commit yet"}, nil
	case ours.Commit == recorded.Commit:
		return Staleness{Prune: true}, nil
	}
	older, err := isAncestor(ours.Commit, recorded.Commit)
	if err != nil {
		return Staleness{Prune: true, Note: fmt.Sprintf("stale-rendering check skipped: cannot tell whether %s is older than %s, applied last (%v; a shallow clone? fetch its history)",
			short(ours.Commit), short(recorded.Commit), err)}, nil
	}
	if !older {
		return Staleness{Prune: true}, nil
	}
	switch {
	case revert:
		return Staleness{Prune: true, Note: fmt.Sprintf("reverting to commit %s, older than %s applied last (--revert-newer-changes)", short(ours.Commit), short(recorded.Commit))}, nil
	case ours.Digest != "" && ours.Digest == recorded.Digest:
		return Staleness{Prune: false, Note: fmt.Sprintf("not pruned: this rendering comes from commit %s, an ancestor of %s, which was applied last; nothing deleted",
			short(ours.Commit), short(recorded.Commit))}, nil
	}
	return Staleness{}, &StaleError{Ours: short(ours.Commit), Recorded: short(recorded.Commit)}
}

func short(commit string) string { return commit[:min(12, len(commit))] }
