package gen

import (
	"testing"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
)

// TestAuthenticationModeSteps: the Cluster is rendered with API, except
// for a cluster that runs an earlier mode (live, else as render import
// recorded it), which gets the next mode EKS accepts from it: EKS refuses
// CONFIG_MAP -> API.
func TestAuthenticationModeSteps(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	env := cfg.Environments[0]
	cluster := "Cluster/" + env.Platform
	for _, tc := range []struct {
		name, live, imported, want string
	}{
		{"a cluster render creates", "", "", "API"},
		{"adopted on CONFIG_MAP", "", "CONFIG_MAP", "API_AND_CONFIG_MAP"},
		{"adopted on API_AND_CONFIG_MAP", "", "API_AND_CONFIG_MAP", "API"},
		{"live on API_AND_CONFIG_MAP", "API_AND_CONFIG_MAP", "CONFIG_MAP", "API"},
		{"live wins over the import record", "CONFIG_MAP", "API", "API_AND_CONFIG_MAP"},
		{"live on API", "API", "CONFIG_MAP", "API"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := env
			if tc.imported != "" {
				e.Adopt = []config.Adoption{{Object: cluster, Terraform: "aws_eks_cluster.main", Fields: map[string]string{"name": env.ClusterName}, AuthenticationMode: tc.imported}}
			}
			r, err := Render(e, LateValues{AuthenticationMode: tc.live})
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, o := range r.Management {
				if c, ok := o.(*ack.Cluster); ok {
					got = c.Spec.AccessConfig.AuthenticationMode
				}
			}
			if got != tc.want {
				t.Errorf("authenticationMode = %q, want %q", got, tc.want)
			}
		})
	}
}
