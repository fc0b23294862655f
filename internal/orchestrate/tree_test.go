package orchestrate

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/eksversion"
)

func TestWriteTree(t *testing.T) {
	cfg, _ := importProject(t)
	_, out, owned, err := Tree(cfg.File, io.Discard, TreeOptions{Day: eksversion.ReferenceDay})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(check bool) (string, error) {
		var progress strings.Builder
		err := WriteTree(dir, owned, out, check, &progress)
		return progress.String(), err
	}
	if _, err := write(true); err == nil {
		t.Error("--check of an empty directory passed")
	}
	if progress, err := write(false); err != nil || !strings.Contains(progress, "wrote ") || !strings.Contains(progress, "not rendered yet: ") {
		t.Fatalf("first write: %v\n%s", err, progress)
	}
	if progress, err := write(false); err != nil || strings.Contains(progress, "wrote ") {
		t.Errorf("second write: %v, says %q; want nothing written", err, progress)
	}
	if _, err := write(true); err != nil {
		t.Errorf("--check after writing: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "base", "kustomization.yaml"), []byte("edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := write(true); err == nil || !strings.Contains(err.Error(), "base/kustomization.yaml") {
		t.Errorf("--check of an edited file: %v", err)
	}
}

func TestWriteEnv(t *testing.T) {
	cfg, out, _, err := Input{File: "../../platform.yaml", Today: eksversion.ReferenceDay.String(), Warn: io.Discard}.Tree(TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteEnv(&b, cfg, out.Files, "dev", true, YAML); err != nil || !strings.Contains(b.String(), "kind: Deployment") {
		t.Errorf("the workload of dev: %v\n%.200s", err, b.String())
	}
	if len(cfg.Environments) > 1 {
		if err := WriteEnv(io.Discard, cfg, out.Files, "", false, YAML); err == nil || !strings.Contains(err.Error(), "name one with --env") {
			t.Errorf("no environment named among %d: %v", len(cfg.Environments), err)
		}
	}
	if err := WriteEnv(io.Discard, cfg, out.Files, "staging", false, YAML); err == nil {
		t.Error("an unknown environment was written")
	}
}
