package gen

import (
	"path"
	"strings"
	"testing"
)

// multiAccountExample is the example with dev in the management cluster's
// account and prod in another account and region.
const multiAccountExample = "../../examples/multi-account/platform.yaml"

// TestMultiAccountGolden holds what an environment in another account and
// region adds to the tree (its namespace's CARM annotations and its entry
// of the account map) against testdata/golden-multi-account.
func TestMultiAccountGolden(t *testing.T) {
	cfg := loadConfig(t, multiAccountExample)
	out := generate(t, cfg)
	want := Tree{}
	for _, p := range out.Files.Paths() {
		if strings.HasPrefix(path.Base(p), "namespace-shop-") || strings.Contains(p, "/"+AccountMapDir+"/") {
			want[p] = out.Files[p]
		}
	}
	if len(want) != 4 {
		t.Fatalf("picked %d files, want 2 namespaces and prod's account map and kustomization: %v", len(want), want.Paths())
	}
	compareGolden(t, "testdata/golden-multi-account", want)
}

// TestSameAccountHasNoCARM: an environment in the management cluster's
// account and region gets neither annotation nor account map entry, so
// the repository's platform.yaml renders as before.
func TestSameAccountHasNoCARM(t *testing.T) {
	cfg := loadConfig(t, multiAccountExample)
	dev, err := cfg.Environment("dev")
	if err != nil {
		t.Fatal(err)
	}
	if m := AccountMap(*dev); m != nil {
		t.Errorf("AccountMap(dev) = %v, want nil", m)
	}
	if a := namespaceObject(*dev).Annotations; a != nil {
		t.Errorf("dev namespace annotations = %v, want none", a)
	}
}

// TestAccountMapsBuildAndValidate builds each ack-system kustomization:
// the ConfigMap stays in ack-system and is a valid ConfigMap.
func TestAccountMapsBuildAndValidate(t *testing.T) {
	cfg := loadConfig(t, multiAccountExample)
	out := generate(t, cfg)
	s := loadSchemas(t)
	fsys, err := out.Files.InMemory("/")
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(fsys, path.Join("/", OverlaysDir, "prod", AccountMapDir))
	if err != nil {
		t.Fatal(err)
	}
	res := m.Resources()
	if len(res) != 1 {
		t.Fatalf("built %d objects, want the ConfigMap", len(res))
	}
	obj, err := res[0].Map()
	if err != nil {
		t.Fatal(err)
	}
	if err := validateObject(s, obj); err != nil {
		t.Error(err)
	}
	if ns := res[0].GetNamespace(); ns != "ack-system" {
		t.Errorf("namespace %q, want ack-system", ns)
	}
}
