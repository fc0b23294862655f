package orchestrate

import (
	"context"
	"io"
	"testing"

	"github.com/eks-render/render/internal/eksversion"
)

func TestDiffRenderings(t *testing.T) {
	from, to := "../diff/testdata/from", "../diff/testdata/to"
	for _, tc := range []struct {
		name     string
		old, new string
		changed  bool
	}{
		{"a directory against itself", from, from, false},
		{"two directories", from, to, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := DiffRenderings(context.Background(), tc.old, tc.new, "platform.yaml", eksversion.ReferenceDay, io.Discard)
			if err != nil || r.Changed != tc.changed {
				t.Fatalf("changed %v, %v; want %v", r != nil && r.Changed, err, tc.changed)
			}
		})
	}
	if _, err := DiffRenderings(context.Background(), from, "../diff/testdata/nope", "platform.yaml", eksversion.ReferenceDay, io.Discard); err == nil {
		t.Error("a missing side is no error")
	}
}
