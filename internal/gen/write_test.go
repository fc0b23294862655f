package gen

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readTree reads every file under dir (the staging directory excluded).
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestWrite(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	first := generate(t, cfg).Files
	second := Tree{}
	for p, b := range first {
		if !strings.Contains(p, "/prod/") { // prod goes away
			second[p] = b
		}
	}
	second["overlays/dev/extra.yaml"] = []byte(headerPrefix + "\n")
	second["base/vpc-vpc.yaml"] = append(append([]byte{}, first["base/vpc-vpc.yaml"]...), "# changed\n"...)

	t.Run("writes only what changed and removes what went away", func(t *testing.T) {
		dir := t.TempDir()
		if changed, err := Write(dir, first); err != nil || !changed {
			t.Fatalf("Write = %t, %v", changed, err)
		}
		keep := filepath.Join(dir, "base", "role-cluster.yaml")
		before, _ := os.Stat(keep)
		if changed, err := Write(dir, second); err != nil || !changed {
			t.Fatalf("Write = %t, %v", changed, err)
		}
		if diff := cmp.Diff(treeStrings(second), readTree(t, dir)); diff != "" {
			t.Errorf("tree on disk (-want +got):\n%s", diff)
		}
		if after, _ := os.Stat(keep); !after.ModTime().Equal(before.ModTime()) || !os.SameFile(before, after) {
			t.Error("an unchanged file was rewritten")
		}
		if _, err := os.Stat(filepath.Join(dir, "overlays", "prod")); !os.IsNotExist(err) {
			t.Errorf("overlays/prod still there: %v", err)
		}
	})
	t.Run("leaves every file old or new, whole, between any two steps", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := Write(dir, first); err != nil {
			t.Fatal(err)
		}
		check := func() {
			for p, b := range readTree(t, filepath.Join(dir, BaseDir)) {
				if f, s := string(first["base/"+p]), string(second["base/"+p]); b != f && b != s {
					t.Errorf("base/%s is neither old nor new", p)
				}
			}
			for p := range first {
				if _, ok := second[p]; ok {
					if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
						t.Errorf("%s, in both trees, is missing mid-write: %v", p, err)
					}
				}
			}
		}
		if _, err := writeWith(dir, second, func(from, to string) error { check(); return os.Rename(from, to) }); err != nil {
			t.Fatal(err)
		}
	})
	total := 0 // renames a full Write from first to second makes
	countDir := t.TempDir()
	if _, err := Write(countDir, first); err != nil {
		t.Fatal(err)
	}
	if _, err := writeWith(countDir, second, func(from, to string) error { total++; return os.Rename(from, to) }); err != nil {
		t.Fatal(err)
	}
	for _, failAt := range []int{1, total / 2, total} {
		t.Run("a failed move restores every file", func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Write(dir, first); err != nil {
				t.Fatal(err)
			}
			want := readTree(t, dir)
			n := 0
			boom := errors.New("disk on fire")
			_, err := writeWith(dir, second, func(from, to string) error {
				if n++; n == failAt {
					return boom
				}
				return os.Rename(from, to)
			})
			if !errors.Is(err, boom) {
				t.Fatalf("writeWith = %v, want the injected error", err)
			}
			if diff := cmp.Diff(want, readTree(t, dir)); diff != "" {
				t.Errorf("tree after a failed write (-before +after):\n%s", diff)
			}
		})
	}
}

func treeStrings(t Tree) map[string]string {
	m := map[string]string{}
	for p, b := range t {
		m[p] = string(b)
	}
	return m
}
