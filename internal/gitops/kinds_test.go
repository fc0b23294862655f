package gitops

import (
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/gen"
	schemapkg "github.com/eks-render/render/internal/schema"
)

// TestKindsAreWhatGenEmits renders every test configuration in both phases
// and checks that Kinds lists exactly the ACK kinds that come out, so that
// no kind goes without a health check.
func TestKindsAreWhatGenEmits(t *testing.T) {
	seen := map[schema.GroupVersionKind]bool{}
	for name, cfg := range testConfigs(t) {
		for _, late := range []map[string]gen.LateValues{nil, allLate(cfg)} {
			for _, env := range cfg.Environments {
				objs, err := gen.EnvObjects(env, late[env.Name], false)
				if err != nil {
					t.Fatalf("%s %s: %v", name, env.Name, err)
				}
				for _, u := range objs {
					if gvk := u.GroupVersionKind(); strings.HasSuffix(gvk.Group, ".services.k8s.aws") {
						seen[gvk] = true
					}
				}
			}
		}
	}
	var got []string
	for gvk := range seen {
		got = append(got, gvk.String())
	}
	slices.Sort(got)
	var want []string
	for _, k := range Kinds() {
		want = append(want, k.String())
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("rendered ACK kinds:\n  %s\nKinds():\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	t.Run("every kind has a CRD", func(t *testing.T) {
		s, err := schemapkg.Load()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range Kinds() {
			if !s.Has(k) {
				t.Errorf("no embedded CRD serves %s", k)
			}
		}
	})
}
