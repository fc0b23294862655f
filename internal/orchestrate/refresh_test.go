package orchestrate

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/gen"
)

// refreshProject is a directory with the example platform.yaml, prod's
// outputs file recording the control plane and node group on 1.34 (and
// the OIDC issuer, without which the node group is not rendered), and
// the tree render gen writes from them.
func refreshProject(t *testing.T) (configFile string, committed Committed) {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile("../../platform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	configFile = filepath.Join(dir, "platform.yaml")
	if err := os.WriteFile(configFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	committed = Committed{File: filepath.Join(dir, "outputs", "prod.yaml"), Present: true,
		Values: config.LateValues{AccountID: "111122223333", OIDCIssuer: refreshIssuer, ClusterVersion: "1.34", NodegroupVersion: "1.34"}}
	if err := writeOutputsFile(committed.File, "prod", committed.Values); err != nil {
		t.Fatal(err)
	}
	if err := (Input{File: configFile, Now: eksversion.ReferenceDay.Time, Warn: io.Discard}).WriteTree(dir, TreeOptions{}, false); err != nil {
		t.Fatal(err)
	}
	return configFile, committed
}

const refreshIssuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"

// TestRefreshWritesAllOrNothing: the outputs file and the tree are
// rewritten together, and when the tree cannot be written (a file render
// did not write is in overlays/), the outputs file is put back.
func TestRefreshWritesAllOrNothing(t *testing.T) {
	values := config.LateValues{AccountID: "111122223333", OIDCIssuer: refreshIssuer, ClusterVersion: "1.35", NodegroupVersion: "1.35"}
	t.Run("writes the outputs file and the files of the tree that change", func(t *testing.T) {
		configFile, committed := refreshProject(t)
		tree, note, err := refreshedTree(configFile, eksversion.ReferenceDay, "prod", values)
		if err != nil || note != "" {
			t.Fatalf("refreshedTree = %v, %q", err, note)
		}
		wrote, err := writeRefreshed(committed, "prod", values, changedValues(committed.Values, values), tree)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(wrote, "\n")
		for _, want := range []string{committed.File + ` (clusterVersion "1.34" -> "1.35", nodegroupVersion "1.34" -> "1.35")`,
			filepath.Join(filepath.Dir(configFile), "overlays", "prod", "nodegroup-system.yaml")} {
			if !strings.Contains(got, want) {
				t.Errorf("wrote %v, want %s among them", wrote, want)
			}
		}
		if err := CheckTree(filepath.Dir(configFile), gen.OwnedDirs, tree.files); err != nil {
			t.Error(err)
		}
	})
	t.Run("puts the outputs file back when the tree cannot be written", func(t *testing.T) {
		configFile, committed := refreshProject(t)
		before, err := os.ReadFile(committed.File)
		if err != nil {
			t.Fatal(err)
		}
		tree, _, err := refreshedTree(configFile, eksversion.ReferenceDay, "prod", values)
		if err != nil {
			t.Fatal(err)
		}
		foreign := filepath.Join(filepath.Dir(configFile), "overlays", "prod", "mine.yaml")
		if err := os.WriteFile(foreign, []byte("kind: ConfigMap\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := writeRefreshed(committed, "prod", values, changedValues(committed.Values, values), tree); err == nil || !strings.Contains(err.Error(), "was not written by render gen") {
			t.Fatalf("writeRefreshed with a foreign file in overlays/ = %v, want render gen's refusal", err)
		}
		if after, _ := os.ReadFile(committed.File); string(after) != string(before) {
			t.Errorf("outputs file changed:\n%s\nwas\n%s", after, before)
		}
	})
	t.Run("writes nothing and says so where the tree is not", func(t *testing.T) {
		configFile, _ := refreshProject(t)
		if err := os.RemoveAll(filepath.Join(filepath.Dir(configFile), "overlays", "prod")); err != nil {
			t.Fatal(err)
		}
		tree, note, err := refreshedTree(configFile, eksversion.ReferenceDay, "prod", values)
		if err != nil || tree != nil || !strings.Contains(note, "no overlays/prod next to "+configFile) {
			t.Errorf("refreshedTree without overlays/prod = %v, %v, %q", tree, err, note)
		}
	})
}

// TestRecordedCoversEveryValue: render apply compares and rewrites every
// value of an outputs file, so recorded must name each field of
// config.LateValues, by its name in the file; a value added later and not
// listed would go stale unnoticed.
func TestRecordedCoversEveryValue(t *testing.T) {
	var v config.LateValues
	fields := recorded(&v)
	typ := reflect.TypeOf(v)
	if len(fields) != typ.NumField() {
		t.Fatalf("recorded lists %d values, config.LateValues has %d fields", len(fields), typ.NumField())
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		j := slices.IndexFunc(fields, func(l lateField) bool { return l.name == name })
		if j < 0 {
			t.Errorf("recorded lacks %s (%s)", name, f.Name)
			continue
		}
		reflect.ValueOf(&v).Elem().Field(i).SetString("x")
		if *fields[j].ptr != "x" {
			t.Errorf("recorded's %s points at another field than %s", name, f.Name)
		}
	}
}
