package orchestrate

import (
	"errors"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/apply"
)

// history is a line of commits, oldest first.
func history(commits ...string) func(a, b string) (bool, error) {
	return func(a, b string) (bool, error) {
		ia, ib := -1, -1
		for i, c := range commits {
			if c == a {
				ia = i
			}
			if c == b {
				ib = i
			}
		}
		if ia < 0 || ib < 0 {
			return false, errors.New("fatal: Not a valid commit name")
		}
		return ia <= ib, nil
	}
}

func prov(digest, commit string) apply.Provenance {
	return apply.Provenance{Digest: digest, Commit: commit}
}

func TestCheckStale(t *testing.T) {
	line := history("aaaa", "bbbb", "cccc")
	for _, tc := range []struct {
		name              string
		ours, recorded    apply.Provenance
		revert            bool
		wantPrune         bool
		wantNote, wantErr string
	}{
		{"a newer commit prunes", prov("d2", "cccc"), prov("d1", "bbbb"), false, true, "", ""},
		{"the same commit prunes", prov("d1", "bbbb"), prov("d1", "bbbb"), false, true, "", ""},
		{"an older commit with another rendering is refused whole", prov("d1", "aaaa"), prov("d2", "cccc"), false, false, "",
			"refusing to apply: this rendering comes from commit aaaa, an ancestor of cccc, which was applied last"},
		{"an older commit with the same rendering applies but does not prune", prov("d1", "aaaa"), prov("d1", "cccc"), false, false,
			"not pruned: this rendering comes from commit aaaa, an ancestor of cccc", ""},
		{"an older commit on purpose", prov("d1", "aaaa"), prov("d2", "cccc"), true, true, "reverting to commit aaaa", ""},
		{"no git", prov("d1", ""), prov("d2", "cccc"), false, true, "stale-rendering check skipped: platform.yaml is not committed in git", ""},
		{"nothing recorded yet", prov("d1", "aaaa"), apply.Provenance{}, false, true, "stale-rendering check skipped: the ApplySet records no commit yet", ""},
		{"a commit this clone lacks", prov("d1", "aaaa"), prov("d2", "ffff"), false, true, "stale-rendering check skipped: cannot tell whether aaaa is older than ffff", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CheckStale(tc.ours, tc.recorded, line, tc.revert)
			if tc.wantErr != "" {
				var stale *StaleError
				if !errors.As(err, &stale) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("CheckStale = %+v, %v; want a StaleError %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got.Prune != tc.wantPrune || !strings.HasPrefix(got.Note, tc.wantNote) || (tc.wantNote == "" && got.Note != "") {
				t.Errorf("CheckStale = %+v, %v; want prune %t, note %q", got, err, tc.wantPrune, tc.wantNote)
			}
		})
	}
}

func TestDigestIgnoresOrder(t *testing.T) {
	r, err := Render(t.Context(), nil, devEnv(t), Committed{File: "outputs/dev.yaml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Digest(r.Objects)
	if err != nil {
		t.Fatal(err)
	}
	rev := append(r.Objects[:0:0], r.Objects...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	b, _ := Digest(rev)
	c, _ := Digest(r.Objects[1:])
	if a != b || a == c || !strings.HasPrefix(a, "sha256:") {
		t.Errorf("digests %s %s %s", a, b, c)
	}
}
