package gen

import (
	"slices"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
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

// TestAdoptedOnAnOlderMinor: a cluster render import recorded on the
// previous minor holds the add-ons and the node group back to it, as a
// cluster of render's own does while its control plane is behind, until
// the live Cluster (or outputs file) knows its version; and its access
// entries wait while it runs CONFIG_MAP, which has no access entries.
func TestAdoptedOnAnOlderMinor(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	envp, err := cfg.Environment("prod")
	if err != nil {
		t.Fatal(err)
	}
	env := *envp
	if env.NodeGroup == nil || len(env.Cluster.Admins) == 0 {
		t.Fatalf("%s: want an environment with a node group and admins", env.Name)
	}
	prev := "1.34"
	if env.Cluster.Version != "1.35" {
		t.Fatalf("the example's cluster.version is %s; the test wants 1.35", env.Cluster.Version)
	}
	late := LateValues{AccountID: "111122223333", VPCID: "vpc-1", OIDCIssuer: "https://oidc.eks.us-west-2.amazonaws.com/id/X",
		ClusterEndpoint: "https://x.eks.amazonaws.com", ClusterCA: "Y2E="}
	for _, tc := range []struct {
		name        string
		imported    config.Adoption
		live        LateValues
		wantVersion string
		wantEntries bool
	}{
		{"a cluster render creates", config.Adoption{}, late, env.Cluster.Version, true},
		{"adopted on the previous minor, CONFIG_MAP", config.Adoption{AuthenticationMode: "CONFIG_MAP", Version: prev}, late, prev, false},
		{"adopted, the mode stepped", config.Adoption{AuthenticationMode: "CONFIG_MAP", Version: prev},
			with(late, func(l *LateValues) { l.AuthenticationMode = "API_AND_CONFIG_MAP" }), prev, true},
		{"adopted, the live control plane upgraded", config.Adoption{AuthenticationMode: "CONFIG_MAP", Version: prev},
			with(late, func(l *LateValues) {
				l.AuthenticationMode, l.ClusterVersion = "API_AND_CONFIG_MAP", env.Cluster.Version
			}), env.Cluster.Version, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := env
			if tc.imported.AuthenticationMode != "" {
				a := tc.imported
				a.Object, a.Terraform, a.Fields = "Cluster/"+env.Platform, "aws_eks_cluster.main", map[string]string{"name": env.ClusterName}
				e.Adopt = []config.Adoption{a}
			}
			r, err := Render(e, tc.live)
			if err != nil {
				t.Fatal(err)
			}
			entries, waits := 0, slices.ContainsFunc(r.Pending, func(p string) bool { return strings.HasPrefix(p, "AccessEntry objects: the cluster runs CONFIG_MAP") })
			for _, o := range r.Management {
				switch o := o.(type) {
				case *ack.Cluster:
					if o.Spec.Version != env.Cluster.Version {
						t.Errorf("Cluster version %s, want %s (ACK steps it)", o.Spec.Version, env.Cluster.Version)
					}
				case *ack.Nodegroup:
					if o.Spec.Version != tc.wantVersion {
						t.Errorf("Nodegroup version %s, want %s", o.Spec.Version, tc.wantVersion)
					}
				case *ack.Addon:
					if want, _ := eksversion.AddonVersion(o.Spec.Name, tc.wantVersion); o.Spec.AddonVersion != want {
						t.Errorf("Addon %s version %s, want %s (%s's)", o.Spec.Name, o.Spec.AddonVersion, want, tc.wantVersion)
					}
				case *ack.AccessEntry:
					entries++
				}
			}
			if (entries > 0) != tc.wantEntries || waits == tc.wantEntries {
				t.Errorf("%d access entries, pending %q; want entries: %v", entries, r.Pending, tc.wantEntries)
			}
		})
	}
}

func with(l LateValues, fn func(*LateValues)) LateValues {
	fn(&l)
	return l
}
