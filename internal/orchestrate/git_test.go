package orchestrate

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigCommit holds ConfigCommit's answers for each state the
// configuration file can be in: outside git, before the first commit,
// untracked, ignored, committed, changed, and with its outputs directory
// changed; also from a subdirectory of the repository.
func TestConfigCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	ctx := context.Background()
	repo := t.TempDir()
	sh := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(rel, body string) {
		t.Helper()
		p := filepath.Join(repo, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(repo, "platform.yaml")
	check := func(what, wantCommit string, wantModified bool) {
		t.Helper()
		commit, modified := ConfigCommit(ctx, file)
		if commit != wantCommit || modified != wantModified {
			t.Errorf("%s: ConfigCommit = %q, %v; want %q, %v", what, commit, modified, wantCommit, wantModified)
		}
		if c, m := ReadCommit(ctx, file).Get(); c != commit || m != modified {
			t.Errorf("%s: ReadCommit = %q, %v; ConfigCommit %q, %v", what, c, m, commit, modified)
		}
	}

	write("platform.yaml", "a\n")
	check("outside git", "", false)
	sh("init", "-q")
	check("no commit yet", "", false)
	write("README", "r\n")
	sh("add", "README")
	sh("commit", "-q", "-m", "readme")
	check("untracked", "", false)
	write(".gitignore", "platform.yaml\n")
	check("ignored", "", false)
	if err := os.Remove(filepath.Join(repo, ".gitignore")); err != nil {
		t.Fatal(err)
	}
	sh("add", "platform.yaml")
	check("staged, not committed", sh("rev-parse", "HEAD"), true)
	sh("commit", "-q", "-m", "platform")
	head := sh("rev-parse", "HEAD")
	check("committed", head, false)
	write("platform.yaml", "b\n")
	check("changed", head, true)
	sh("checkout", "-q", "--", "platform.yaml")
	write("outputs/dev.yaml", "v\n")
	check("outputs untracked", head, true)
	sh("add", "outputs")
	sh("commit", "-q", "-m", "outputs")
	head = sh("rev-parse", "HEAD")
	check("outputs committed", head, false)
	write("elsewhere.txt", "x\n")
	check("another file changed", head, false)

	write("sub/platform.yaml", "s\n")
	sh("add", "sub")
	sh("commit", "-q", "-m", "sub")
	head = sh("rev-parse", "HEAD")
	file = filepath.Join(repo, "sub", "platform.yaml")
	check("in a subdirectory", head, false)
	write("sub/outputs/prod.yaml", "p\n")
	check("its outputs untracked", head, true)
}
