package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/eksversion"
)

func TestRunRewritesTheTableFromSavedJSON(t *testing.T) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "addons.md")
	if err := os.WriteFile(out, []byte(eksversion.AddonsMD()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(dir, out, "2026-12-06"); err == nil || !strings.Contains(err.Error(), "holds no *.json") {
		t.Errorf("empty directory: %v", err)
	}
	recorded := filepath.Join("..", "..", "internal", "eksversion", "testdata", "describe-addon-versions")
	for _, name := range []string{"coredns-1.35.json", "kube-proxy-1.35.json", "vpc-cni-1.35.json"} {
		data, err := os.ReadFile(filepath.Join(recorded, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := run(dir, out, "2026-12-6"); err == nil || !strings.Contains(err.Error(), "-read-on") {
		t.Errorf("bad day: %v", err)
	}
	if err := run(dir, out, "2026-12-06"); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := eksversion.ParseAddonTable(string(md))
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[0]; got.Kubernetes != "1.35" || !strings.Contains(got.Source, "describe-addon-versions") || !strings.Contains(got.Source, "on 2026-12-06") {
		t.Errorf("1.35 row after the refresh: %+v", got)
	}
	if len(rows) != len(eksversion.AddonTable()) {
		t.Errorf("%d rows, want %d: rows not saved are kept", len(rows), len(eksversion.AddonTable()))
	}
}
