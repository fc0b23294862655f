package gen

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/eks-render/render/internal/config"
)

// TestRenderKey holds RenderKey to its promise: late values with the same
// key render the same objects, and values that render differently have
// different keys. Each environment of the test configurations is rendered
// with the cluster versions that matter: none, the previous minor (an
// upgrade under way), the cluster's own, and for an adopted cluster the
// version render import recorded.
func TestRenderKey(t *testing.T) {
	for name, cfg := range configs(t) {
		for _, env := range cfg.Environments {
			base := config.LateValues{AccountID: "111122223333", VPCID: "vpc-0123456789abcdef0"}
			var lates []config.LateValues
			for _, v := range []string{"", previousMinor(t, env.Cluster.Version), env.Cluster.Version} {
				l := base
				l.ClusterVersion = v
				lates = append(lates, l)
			}
			envs := []config.Environment{env}
			adopted := env
			cluster := (&renderer{env: env}).clusterObjectName()
			adopted.Adopt = append([]config.Adoption{{Object: "Cluster/" + cluster, Fields: map[string]string{"name": env.ClusterName},
				Version: previousMinor(t, env.Cluster.Version)}}, env.Adopt...)
			envs = append(envs, adopted)
			for _, e := range envs {
				rs := make([]*Rendering, len(lates))
				for i, l := range lates {
					var err error
					if rs[i], err = Render(e, l); err != nil {
						t.Fatal(err)
					}
				}
				for i, a := range lates {
					for j, b := range lates[:i] {
						same := reflect.DeepEqual(rs[i], rs[j])
						if keys := RenderKey(e, a) == RenderKey(e, b); keys != same {
							t.Errorf("%s/%s (adoptions %d): clusterVersion %q and %q: same key %v, same rendering %v",
								name, e.Name, len(e.Adopt), a.ClusterVersion, b.ClusterVersion, keys, same)
						}
					}
				}
			}
		}
	}
}

// previousMinor is the minor before v ("1.35" -> "1.34").
func previousMinor(t *testing.T, v string) string {
	t.Helper()
	var major, minor int
	if _, err := fmt.Sscanf(v, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("version %q: %v", v, err)
	}
	return fmt.Sprintf("%d.%d", major, minor-1)
}
