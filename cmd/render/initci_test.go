package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInitCI(t *testing.T) {
	t.Run("writes the GitHub workflows pinned to the version", func(t *testing.T) {
		dir := t.TempDir()
		code, _, errOut := run(t, dir, "init", "--name", "shop", "--account-id", "111122223333", "--ci", "github", "--render-version", "v1.2.3")
		if code != 0 || !strings.Contains(errOut, "wrote .github/workflows/render-outputs.yml\n") {
			t.Fatalf("init --ci github = %d:\n%s", code, errOut)
		}
		for _, f := range []string{"render-check.yml", "render-diff.yml", "render-outputs.yml"} {
			b, err := os.ReadFile(filepath.Join(dir, ".github", "workflows", f))
			if err != nil || !strings.Contains(string(b), "RENDER_VERSION: v1.2.3\n") || strings.Contains(string(b), "vX.Y.Z") {
				t.Errorf("%s: %v, not pinned to v1.2.3:\n%s", f, err, b)
			}
		}
	})
	t.Run("writes .gitlab-ci.yml next to platform.yaml", func(t *testing.T) {
		dir := t.TempDir()
		code, _, errOut := run(t, dir, "init", "--name", "shop", "--account-id", "111122223333", "--ci", "gitlab", "--render-version", "v1.2.3", "-f", "repo/platform.yaml")
		if b, err := os.ReadFile(filepath.Join(dir, "repo", ".gitlab-ci.yml")); code != 0 || err != nil || !strings.Contains(string(b), "RENDER_VERSION: v1.2.3\n") {
			t.Fatalf("init --ci gitlab = %d, %v:\n%s", code, err, errOut)
		}
	})
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		args  []string
		want  string
	}{
		{"never overwrites a workflow, and then writes nothing", func(t *testing.T, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "render-diff.yml"), []byte("mine\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"--ci", "github", "--render-version", "v1.2.3"}, "error: .github/workflows/render-diff.yml exists; render init never overwrites a file"},
		{"needs a version from a checkout's build", nil, []string{"--ci", "github"}, "error: this render ((devel)) has no version to pin the CI jobs to; pass --render-version v1.2.3"},
		{"refuses a version go install does not take", nil, []string{"--ci", "gitlab", "--render-version", "latest"}, `error: render version "latest" cannot pin the CI jobs`},
		{"refuses an unknown service", nil, []string{"--ci", "jenkins", "--render-version", "v1.2.3"}, `error: --ci "jenkins": want github or gitlab`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			before := snapshot(t, dir)
			code, _, errOut := run(t, dir, append([]string{"init", "--name", "shop", "--account-id", "111122223333"}, tc.args...)...)
			if code != 1 || !strings.Contains(errOut, tc.want) {
				t.Errorf("init = %d, stderr %q; want exit 1 and %q", code, errOut, tc.want)
			}
			if after := snapshot(t, dir); len(after) != len(before) {
				t.Errorf("files written: %d before, %d after", len(before), len(after))
			}
		})
	}
}
