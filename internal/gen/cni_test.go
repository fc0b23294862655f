package gen

import (
	"slices"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
)

// TestVPCCNIHasItsOwnRole checks that with a node group the VPC CNI's
// permissions are on an IRSA role of aws-node, named by the vpc-cni Addon,
// and not on the node role; and that before the second phase neither the
// add-on nor the node group that needs it is rendered.
func TestVPCCNIHasItsOwnRole(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	prod := buildEnv(t, generate(t, cfg).Files, "prod", false)
	cniPolicy := "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"
	node := typed[ack.Role](t, prod, "Role", "demo-prod", nodeRoleName)
	if slices.Contains(node.Spec.Policies, cniPolicy) {
		t.Errorf("the node role has %s", cniPolicy)
	}
	addon := typed[ack.Addon](t, prod, "Addon", "demo-prod", addonVPCCNI)
	if addon.Spec.ServiceAccountRoleRef == nil {
		t.Fatal("Addon vpc-cni has no serviceAccountRoleRef")
	}
	role := typed[ack.Role](t, prod, "Role", "demo-prod", addon.Spec.ServiceAccountRoleRef.From.Name)
	if !slices.Equal(role.Spec.Policies, []string{cniPolicy}) || !strings.Contains(role.Spec.AssumeRolePolicyDocument, `:sub": "`+cniSubject+`"`) {
		t.Errorf("Role %s: policies %v, trust %s; want %s for %s", role.Spec.Name, role.Spec.Policies, role.Spec.AssumeRolePolicyDocument, cniPolicy, cniSubject)
	}

	var env config.Environment
	for _, e := range cfg.Environments {
		if e.Name == "prod" {
			env = e
		}
	}
	first, err := Render(env, LateValues{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range first.Management {
		switch o := o.(type) {
		case *ack.Nodegroup:
			t.Error("the first phase has the node group")
		case *ack.Addon:
			if o.Spec.Name == addonVPCCNI || o.Spec.Name == addonCoreDNS {
				t.Errorf("the first phase has Addon %s", o.Spec.Name)
			}
		}
	}
}
