package orchestrate

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/eks-render/render/internal/eksversion"
)

func TestInputDay(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 3, 4, 23, 30, 0, 0, time.FixedZone("", -2*3600)) }
	for _, tc := range []struct {
		name  string
		in    Input
		want  string
		error string
	}{
		{"--today wins over the clock", Input{Today: "2025-01-02", Now: clock}, "2025-01-02", ""},
		{"the clock's day in UTC", Input{Now: clock}, "2026-03-05", ""},
		{"a bad --today names the flag", Input{Today: "tomorrow", Now: clock}, "", "--today: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tc.in.Day()
			if tc.error != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.error) {
					t.Fatalf("got %v, %v; want an error starting %q", d, err, tc.error)
				}
				return
			}
			if want, _ := eksversion.ParseDay(tc.want); err != nil || d != want {
				t.Errorf("got %v, %v; want %s", d, err, tc.want)
			}
		})
	}
	if d, err := (Input{}).Day(); err != nil || d != eksversion.DayOf(time.Now()) {
		t.Errorf("without a clock: %v, %v; want today", d, err)
	}
}

func TestInputReadsTheConfiguration(t *testing.T) {
	in := Input{File: "../../platform.yaml", Today: eksversion.ReferenceDay.String(), Warn: io.Discard}
	if cfg, err := in.Load(); err != nil || len(cfg.Environments) == 0 {
		t.Fatalf("Load: %v", err)
	}
	if _, env, _, err := in.Environment("dev"); err != nil || env.Name != "dev" {
		t.Errorf("Environment(dev): %v, %v", env, err)
	}
	if _, out, owned, err := in.Tree(TreeOptions{}); err != nil || len(out.Files) == 0 || len(owned) == 0 {
		t.Errorf("Tree: %d owned, %v", len(owned), err)
	}
	if r, err := in.DiffRenderings(context.Background(), "../..", "../.."); err != nil || r.Changed {
		t.Errorf("DiffRenderings of a directory with itself: %+v, %v; want no changes", r, err)
	}
	var b strings.Builder
	if err := in.WriteEnv(&b, TreeOptions{}, "dev", false, YAML); err != nil || !strings.Contains(b.String(), "kind: Namespace") {
		t.Errorf("WriteEnv(dev): %v", err)
	}
	if err := in.WriteTree(t.TempDir(), TreeOptions{}, true); err == nil || !strings.Contains(err.Error(), "stale files") {
		t.Errorf("WriteTree --check of an empty directory: %v; want stale files", err)
	}
	if err := in.WriteTree(t.TempDir(), TreeOptions{GitOpsDir: "gitops"}, false); err == nil || err.Error() != "--gitops-dir goes with --gitops" {
		t.Errorf("--gitops-dir without --gitops: %v", err)
	}
	in.Today = "soon"
	if _, err := in.Load(); err == nil {
		t.Error("Load with a bad --today succeeded")
	}
}

func TestApplySource(t *testing.T) {
	in := Input{File: "../../platform.yaml", Today: eksversion.ReferenceDay.String(), Warn: io.Discard}
	for _, tc := range []struct {
		name  string
		dir   string
		args  []string
		want  string
		error string
	}{
		{"renders the environment named", "", []string{"dev"}, "demo-dev/" + ApplySetName, ""},
		{"takes the kustomization in -k", "../../overlays/dev", nil, "demo-dev/" + ApplySetName, ""},
		{"wants an environment or -k", "", nil, "", "name an environment"},
		{"refuses both", "../../overlays/dev", []string{"dev"}, "", "not both"},
		{"refuses an unknown environment", "", []string{"staging"}, "", "staging"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := in.ApplySource(tc.dir, tc.args, "")
			if tc.error != "" {
				if err == nil || !strings.Contains(err.Error(), tc.error) {
					t.Errorf("got %v, want an error containing %q", err, tc.error)
				}
				return
			}
			if err != nil || src.ApplySet.Parent.String() != tc.want || (src.Env != nil) != (tc.dir == "") {
				t.Errorf("got %+v, %v; want the ApplySet %s", src, err, tc.want)
			}
		})
	}
}
