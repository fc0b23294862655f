package gen

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/eks-render/render/internal/yamlemit"
)

// TestEncodeIsYAMLv2 encodes every file of the tree of every test
// configuration and of the repository's platform.yaml (with the late
// values of the goldens, with every late value, and with Argo CD's sync
// waves) both ways, yamlemit and yaml.v2, and wants the same bytes from
// yamlemit itself: not one file may fall back to yaml.v2.
func TestEncodeIsYAMLv2(t *testing.T) {
	files, err := filepath.Glob("testdata/configs/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../../platform.yaml")
	total, literal := 0, 0
	for _, file := range files {
		cfg := loadConfig(t, file)
		for name, run := range map[string]struct {
			late map[string]LateValues
			opts Options
		}{
			"goldens' late values": {lateForTests, Options{}},
			"every late value":     {allLate(cfg), Options{}},
			"sync waves":           {allLate(cfg), Options{LevelAnnotation: "argocd.argoproj.io/sync-wave"}},
		} {
			w, _, err := layout(cfg, run.late, run.opts)
			if err != nil {
				t.Fatalf("%s, %s: %v", file, name, err)
			}
			for p, v := range w.values {
				m, ok := v.(map[string]any)
				if !ok {
					if m, err = toMap(v); err != nil {
						t.Fatal(err)
					}
				}
				want, err := encodeYAMLv2(w.header, m)
				if err != nil {
					t.Fatal(err)
				}
				got, ok := yamlemit.Append([]byte(w.header), m)
				switch {
				case !ok:
					t.Errorf("%s, %s: %s falls back to yaml.v2", file, name, p)
				case !bytes.Equal(got, want):
					t.Errorf("%s, %s: %s differs from yaml.v2:\n%s\n--- yaml.v2:\n%s", file, name, p, got, want)
				}
				total++
				if bytes.Contains(got, []byte(": |")) {
					literal++ // a policy document as a literal block
				}
			}
		}
	}
	if literal == 0 {
		t.Error("no file holds a literal block scalar; the policy documents must be among those compared")
	}
	t.Logf("%d files of %d configurations, each the same both ways, %d with literal blocks", total, len(files), literal)
}
