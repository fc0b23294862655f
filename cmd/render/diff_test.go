package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiffCommand(t *testing.T) {
	testdata, err := filepath.Abs("../../internal/diff/testdata")
	if err != nil {
		t.Fatal(err)
	}
	from, to := filepath.Join(testdata, "from"), filepath.Join(testdata, "to")
	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"exits 0 without changes", []string{"diff", "--from", from, "--to", from}, 0, "no changes\n", ""},
		{"exits 1 with changes", []string{"diff", "--from", from, "--to", to}, 1, "REPLACE Nodegroup/demo-prod/system spec.instanceTypes", ""},
		{"writes markdown", []string{"diff", "--from", from, "--to", to, "-o", "markdown"}, 1, "```diff", ""},
		{"exits 2 on a missing directory", []string{"diff", "--from", filepath.Join(testdata, "nope"), "--to", to}, 2, "", "is neither a directory nor a git revision"},
		{"exits 2 on a directory without platform.yaml", []string{"diff", "--from", testdata, "--to", to}, 2, "", "read configuration"},
		{"exits 2 on a bad format", []string{"diff", "--from", from, "--to", to, "-o", "yaml"}, 2, "", "--output"},
		{"exits 2 without --to", []string{"diff", "--from", from}, 2, "", "required"},
		{"exits 2 on an unknown flag", []string{"diff", "--form", from}, 2, "", "unknown flag"},
		{"exits 2 on an environment with --from", []string{"diff", "--from", from, "--to", to, "main"}, 2, "", "a live diff of main takes no --from or --to"},
		{"exits 2 on two environments", []string{"diff", "dev", "prod"}, 2, "", "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, t.TempDir(), tt.args...)
			if code == 1 && withoutNotes(errOut) != "" {
				t.Errorf("changes found printed %q on stderr; like kubectl diff, exit 1 alone says so", errOut)
			}
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
					code, head(out), errOut, tt.code, tt.out, tt.err)
			}
		})
	}
}

func TestDiffReadsOutputs(t *testing.T) {
	from := project(t)
	to := project(t)
	writeOutputs(t, to, "prod", prodOutputs)
	code, out, errOut := run(t, from, "diff", "--from", from, "--to", to)
	if code != 1 || !strings.Contains(out, "+ FlowLog/demo-prod/vpc") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and an added FlowLog", code, head(out), errOut)
	}
}

// TestDiffGitRevisions: --from and --to take git revisions of the
// repository around the current directory, reading platform.yaml and
// outputs/ from git, and the working tree as a directory.
func TestDiffGitRevisions(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := project(t)
	sub := filepath.Join(repo, "platform")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(repo, "platform.yaml"), filepath.Join(sub, "platform.yaml")); err != nil {
		t.Fatal(err)
	}
	gitIn := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitIn("init", "-q", "-b", "main")
	gitIn("add", ".")
	gitIn("commit", "-q", "-m", "one")
	edit(t, filepath.Join(sub, "platform.yaml"), "logRetentionDays: 14", "logRetentionDays: 30")
	writeOutputs(t, sub, "prod", prodOutputs)
	gitIn("add", ".")
	gitIn("commit", "-q", "-m", "two")

	code, out, errOut := run(t, sub, "diff", "--from", "HEAD~1", "--to", "main")
	if code != 1 || !strings.Contains(out, "+ FlowLog/demo-prod/vpc") || !strings.Contains(out, "-  retentionDays: 14") {
		t.Errorf("diff HEAD~1 main: exit %d, stdout %q, stderr %q; want the retention change and the FlowLog of prod's outputs", code, head(out), errOut)
	}
	if code, out, errOut := run(t, sub, "diff", "--from", "main", "--to", "."); code != 0 {
		t.Errorf("diff main against the same working tree: exit %d, stdout %q, stderr %q", code, head(out), errOut)
	}
	code, _, errOut = run(t, sub, "diff", "--from", "no-such-branch", "--to", ".")
	if code != 2 || !strings.Contains(errOut, `error: --from "no-such-branch" is neither a directory nor a git revision`) {
		t.Errorf("an unknown revision: exit %d, stderr %q", code, errOut)
	}
	edit(t, filepath.Join(sub, "platform.yaml"), "logRetentionDays: 30", "logRetentionDays: 31")
	gitIn("commit", "-q", "-am", "bad")
	code, _, errOut = run(t, sub, "diff", "--from", "HEAD~1", "--to", "HEAD")
	if code != 2 || !strings.Contains(errOut, "error: HEAD:platform/platform.yaml:") || !strings.Contains(errOut, "logRetentionDays") {
		t.Errorf("a bad configuration at a revision: exit %d, stderr %q; want it named revision:path", code, errOut)
	}
}

func head(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}
