package gen

import (
	"testing"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/eksversion"
)

// versions returns the rendered cluster version, the node group's and each
// add-on's version.
func versions(t *testing.T, r *Rendering) (cluster, nodegroup string, addons map[string]string) {
	t.Helper()
	addons = map[string]string{}
	for _, o := range r.Management {
		switch o := o.(type) {
		case *ack.Cluster:
			cluster = o.Spec.Version
			if o.Spec.UpgradePolicy == nil || o.Spec.UpgradePolicy.SupportType == "" {
				t.Errorf("Cluster without upgradePolicy.supportType")
			}
		case *ack.Nodegroup:
			nodegroup = o.Spec.Version
		case *ack.Addon:
			addons[o.Spec.Name] = o.Spec.AddonVersion
		}
	}
	return cluster, nodegroup, addons
}

// TestDataPlaneFollowsTheControlPlane: the node group and the add-ons are
// rendered for cluster.version, except while the live control plane
// (outputs' clusterVersion) is still on the previous minor, where they are
// held back for it: EKS refuses a node group newer than its control plane.
func TestDataPlaneFollowsTheControlPlane(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	env := cfg.Environments[1] // prod: a node group and all three add-ons
	if env.NodeGroup == nil || env.Cluster.Version != "1.35" {
		t.Fatalf("example prod: want a node group on 1.35")
	}
	late := LateValues{VPCID: "vpc-0123456789abcdef0", OIDCIssuer: "https://oidc.example/id/X", AccountID: "111122223333"}
	for _, tc := range []struct{ live, want string }{
		{"", "1.35"},     // a new cluster, or a rendering without outputs
		{"1.35", "1.35"}, // up to date
		{"1.34", "1.34"}, // the control plane is still on 1.34: hold back
	} {
		l := late
		l.ClusterVersion = tc.live
		r, err := Render(env, l)
		if err != nil {
			t.Fatal(err)
		}
		cluster, ng, addons := versions(t, r)
		if cluster != "1.35" || ng != tc.want {
			t.Errorf("live %q: cluster %s, node group %s; want 1.35, %s", tc.live, cluster, ng, tc.want)
		}
		for _, name := range eksversion.Addons {
			want, _ := eksversion.AddonVersion(name, tc.want)
			if addons[name] != want {
				t.Errorf("live %q: %s %q, want %q (for %s)", tc.live, name, addons[name], want, tc.want)
			}
		}
	}
}

// TestNodegroupReleaseVersionIsClearedForAVersionChange: the ACK
// controller writes releaseVersion back after creation and refuses a new
// version that does not match it; an empty releaseVersion, which it does
// not compare, is rendered only while the live node group's version
// differs from the one rendered.
func TestNodegroupReleaseVersionIsClearedForAVersionChange(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	env := cfg.Environments[1]
	for _, tc := range []struct {
		live  string
		clear bool
	}{{"", false}, {"1.35", false}, {"1.34", true}} {
		r, err := Render(env, LateValues{ClusterVersion: "1.35", NodegroupVersion: tc.live})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range r.Management {
			if ng, ok := o.(*ack.Nodegroup); ok {
				if got := ng.Spec.ReleaseVersion != nil && *ng.Spec.ReleaseVersion == ""; got != tc.clear {
					t.Errorf("live node group on %q: releaseVersion %v, want cleared %v", tc.live, ng.Spec.ReleaseVersion, tc.clear)
				}
			}
		}
	}
}
