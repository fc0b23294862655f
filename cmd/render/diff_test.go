package main

import (
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
		{"exits 2 on a missing directory", []string{"diff", "--from", filepath.Join(testdata, "nope"), "--to", to}, 2, "", "read configuration"},
		{"exits 2 on a bad format", []string{"diff", "--from", from, "--to", to, "-o", "yaml"}, 2, "", "--output"},
		{"exits 2 without --to", []string{"diff", "--from", from}, 2, "", "required"},
		{"exits 2 on an unknown flag", []string{"diff", "--form", from}, 2, "", "unknown flag"},
		{"exits 2 on an environment with --from", []string{"diff", "--from", from, "--to", to, "main"}, 2, "", "a live diff of main takes no --from or --to"},
		{"exits 2 on two environments", []string{"diff", "dev", "prod"}, 2, "", "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, t.TempDir(), tt.args...)
			if code == 1 && errOut != "" {
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

func head(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}
