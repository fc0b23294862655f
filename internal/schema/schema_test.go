package schema

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func mustLoad(t *testing.T) *Set {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestHas(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		name string
		gvk  schema.GroupVersionKind
		want bool
	}{
		{"knows an ACK kind", gvk("eks", "Cluster"), true},
		{"knows a common kind", schema.GroupVersionKind{Group: "services.k8s.aws", Version: "v1alpha1", Kind: "FieldExport"}, true},
		{"is case sensitive", gvk("ec2", "Vpc"), false},
		{"rejects an unserved version", schema.GroupVersionKind{Group: "ec2.services.k8s.aws", Version: "v1", Kind: "VPC"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Has(tt.gvk); got != tt.want {
				t.Errorf("Has(%v) = %v, want %v", tt.gvk, got, tt.want)
			}
		})
	}
}

func TestCRDs(t *testing.T) {
	crds := mustLoad(t).CRDs()
	if len(crds) != 41 {
		t.Errorf("got %d CRDs, want 41 (38 ACK, 3 load balancer controller)", len(crds))
	}
	for i := 1; i < len(crds); i++ {
		if crds[i-1].Name >= crds[i].Name {
			t.Errorf("CRDs not sorted: %s before %s", crds[i-1].Name, crds[i].Name)
		}
	}
}

func TestReadCRDs(t *testing.T) {
	t.Run("reads the load balancer controller's CRDs", func(t *testing.T) {
		crds, err := ReadCRDs(ALBDir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range crds {
			got = append(got, c.Name)
		}
		want := []string{"albtargetcontrolconfigs.elbv2.k8s.aws", "ingressclassparams.elbv2.k8s.aws", "targetgroupbindings.elbv2.k8s.aws"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("ReadCRDs(%q) = %v, want %v", ALBDir, got, want)
		}
	})
	t.Run("rejects a directory without CRDs", func(t *testing.T) {
		if _, err := ReadCRDs("nothing"); err == nil {
			t.Error("ReadCRDs(\"nothing\") = nil error")
		}
	})
}

// gvk returns the v1alpha1 GroupVersionKind of an ACK service kind.
func gvk(service, kind string) schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: service + ".services.k8s.aws", Version: "v1alpha1", Kind: kind}
}

func TestRefPaths(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		name string
		gvk  schema.GroupVersionKind
		want []string
	}{
		{"finds Subnet refs", gvk("ec2", "Subnet"), []string{"spec.routeTableRefs[]", "spec.vpcRef"}},
		{"finds refs inside RouteTable routes", gvk("ec2", "RouteTable"), []string{
			"spec.routes[].gatewayRef", "spec.routes[].natGatewayRef", "spec.routes[].transitGatewayRef",
			"spec.routes[].vpcEndpointRef", "spec.routes[].vpcPeeringConnectionRef", "spec.vpcRef"}},
		{"finds nested Cluster refs", gvk("eks", "Cluster"), []string{
			"spec.encryptionConfig[].provider.keyRef", "spec.resourcesVPCConfig.securityGroupRefs[]",
			"spec.resourcesVPCConfig.subnetRefs[]", "spec.roleRef"}},
		{"finds Nodegroup refs", gvk("eks", "Nodegroup"), []string{
			"spec.clusterRef", "spec.nodeRoleRef", "spec.remoteAccess.sourceSecurityGroupRefs[]", "spec.subnetRefs[]"}},
		{"returns nothing for a kind without refs", gvk("ec2", "VPC"), nil},
		{"returns nothing for an unknown kind", gvk("ec2", "Vpc"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, s.RefPaths(tt.gvk)); diff != "" {
				t.Errorf("RefPaths(%s) (-want +got):\n%s", tt.gvk.Kind, diff)
			}
		})
	}
}

func TestImmutable(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		name string
		gvk  schema.GroupVersionKind
		want []string
	}{
		{"lists Nodegroup fields", gvk("eks", "Nodegroup"), []string{"spec.amiType", "spec.clusterName", "spec.diskSize",
			"spec.instanceTypes", "spec.name", "spec.nodeRole", "spec.remoteAccess", "spec.subnets"}},
		{"lists the Cluster name", gvk("eks", "Cluster"), []string{"spec.name"}},
		{"lists the OIDC provider url", gvk("iam", "OpenIDConnectProvider"), []string{"spec.url"}},
		{"returns nothing for a kind without rules", gvk("ec2", "Subnet"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, s.Immutable(tt.gvk)); diff != "" {
				t.Errorf("Immutable(%s) (-want +got):\n%s", tt.gvk.Kind, diff)
			}
		})
	}
}
