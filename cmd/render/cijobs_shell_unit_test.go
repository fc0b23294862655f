package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExtractor(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"overlays/dev/workload", "overlays/prod/workload"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, script string
		vars         map[string]string
		want         []string
		wantErr      string
	}{
		{"a multi-line block, a glob loop and a redirect", "set -e\nfor o in overlays/*/ overlays/*/workload/; do\n  echo \"kubectl kustomize $o\"\n  kubectl kustomize \"$o\" > /dev/null\ndone\n", nil,
			[]string{"kubectl kustomize overlays/dev/", "kubectl kustomize overlays/prod/", "kubectl kustomize overlays/dev/workload/", "kubectl kustomize overlays/prod/workload/"}, ""},
		{"a continued line, a handled failure, a substitution", "status=0\nrender diff --from \"$base\" \\\n  --to HEAD -o markdown > d.md || status=$?\nx=$(render version)\n", map[string]string{"base": "abc"},
			[]string{"render diff --from abc --to HEAD -o markdown (handled)", "render version"}, ""},
		{"an if condition and an unquoted flags variable", "envs=${E:-dev}\nfor env in $envs; do\n  if render outputs \"$env\" --check 2>> c.txt; then continue; fi\n  render outputs \"$env\" || failed=1\ndone\nrender gen $FLAGS\n", map[string]string{"E": "", "FLAGS": ""},
			[]string{"render outputs dev --check (handled)", "render outputs dev (handled)", "render gen"}, ""},
		{"a variable the test gives no value", "render outputs \"$nope\"\n", nil, nil, "nope: unbound variable"},
		{"a construct it does not know", "case x in x) render gen;; esac\n", nil, nil, "CaseClause, which the test does not know"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := &extractor{dir: dir}
			vars := map[string]string{}
			for k, v := range tc.vars {
				vars[k] = v
			}
			x.script("t", tc.script, vars)
			if tc.wantErr != "" {
				if len(x.errs) == 0 || !strings.Contains(x.errs[0].Error(), tc.wantErr) {
					t.Fatalf("errors %v, want %q", x.errs, tc.wantErr)
				}
				return
			}
			if len(x.errs) > 0 {
				t.Fatal(x.errs)
			}
			var got []string
			for _, c := range x.found {
				s := c.String()
				if c.Handled {
					s += " (handled)"
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}
