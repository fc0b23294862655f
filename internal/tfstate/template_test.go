package tfstate

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/config"
)

// TestImportTemplate imports testdata/template.tfstate, a dev stack with
// finleap/tf-eks-fargate-tmpl's own names (testdata/README.md): every role,
// log group and the Fargate profile is adopted under its AWS name, none
// created next to it.
func TestImportTemplate(t *testing.T) {
	rep, adoptions := importEnv(t, "dev", "template.tfstate", fixture(t, "template.tfstate"))
	want := map[string]string{
		"Role/demo-dev/cluster":           "module.eks.aws_iam_role.eks_cluster_role",
		"Role/demo-dev/fargate-pods":      "module.eks.aws_iam_role.fargate_pod_execution_role",
		"Role/demo-dev/flow-logs":         "module.vpc.aws_iam_role.vpc-flow-logs-role",
		"LogGroup/demo-dev/cluster":       "module.eks.aws_cloudwatch_log_group.eks_cluster",
		"LogGroup/demo-dev/flow-logs":     "module.vpc.aws_cloudwatch_log_group.vpc",
		"FargateProfile/demo-dev/default": "module.eks.aws_eks_fargate_profile.main",
	}
	got := adoptedBy(rep)
	for obj, addr := range want {
		if got[obj] != addr {
			t.Errorf("%s adopts %q, want %s", obj, got[obj], addr)
		}
	}
	t.Run("records the template's names", func(t *testing.T) {
		names := map[string]string{}
		for _, a := range adoptions {
			if a.Name != "" {
				names[a.Object] = a.Name
				if f := a.Fields["name"]; f != a.Name {
					t.Errorf("%s: fields.name %q, name %q", a.Object, f, a.Name)
				}
			}
		}
		wantNames := map[string]string{
			"Role/cluster":           "demo-eks-cluster-role",
			"Role/fargate-pods":      "demo-eks-fargate-pod-execution-role",
			"Role/flow-logs":         "demo-dev-vpc-flow-logs-role",
			"LogGroup/flow-logs":     "/aws/vpc/demo-dev/flow",
			"FargateProfile/default": "fp-default",
		}
		if !maps.Equal(names, wantNames) {
			t.Errorf("names %v,\nwant %v", names, wantNames)
		}
	})
	t.Run("creates no twin of a template resource", func(t *testing.T) {
		for _, c := range []string{"Role/demo-dev/cluster", "Role/demo-dev/fargate-pods", "Role/demo-dev/flow-logs",
			"LogGroup/demo-dev/flow-logs", "FargateProfile/demo-dev/default"} {
			if slices.Contains(rep.Created, c) {
				t.Errorf("%s is created: %v", c, rep.Created)
			}
		}
		if len(rep.Twins) != 0 {
			t.Errorf("twins %+v", rep.Twins)
		}
	})
	t.Run("the in-place changes are what gen renders under those names", func(t *testing.T) {
		i := slices.IndexFunc(rep.InPlace, func(c Change) bool {
			return c.Object == "Role/demo-dev/flow-logs" && c.Path == "spec.inlinePolicies.write-flow-logs"
		})
		if i < 0 || !strings.Contains(rep.InPlace[i].RenderValue, "log-group:/aws/vpc/demo-dev/flow\"") {
			t.Errorf("in-place %+v", rep.InPlace)
		}
		if slices.ContainsFunc(rep.InPlace, func(c Change) bool { return c.Path == "spec.name" }) {
			t.Errorf("a name changes in place: %+v", rep.InPlace)
		}
	})
	t.Run("the profile's other selector is a create-only conflict, adoptable", func(t *testing.T) {
		if !slices.ContainsFunc(rep.Conflicts, func(c Conflict) bool {
			return c.Object == "FargateProfile/demo-dev/default" && c.Path == "spec.selectors" && c.Adoptable
		}) {
			t.Errorf("conflicts %+v", rep.Conflicts)
		}
		if slices.ContainsFunc(rep.Conflicts, func(c Conflict) bool { return c.Path == "spec.name" }) {
			t.Errorf("a name is a conflict: %+v", rep.Conflicts)
		}
	})
	t.Run("every template resource is adopted, absorbed, superseded or unmanaged", func(t *testing.T) {
		st, err := Read("template.tfstate", fixture(t, "template.tfstate"))
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, a := range rep.Adopted {
			seen[a.Terraform]++
		}
		for _, a := range rep.Absorbed {
			seen[a.Terraform]++
		}
		for _, a := range rep.Superseded {
			seen[a.Terraform]++
		}
		for _, a := range rep.Unmanaged {
			seen[a]++
		}
		for _, r := range st.Resources {
			if seen[r.Address] != 1 {
				t.Errorf("%s is in %d sections", r.Address, seen[r.Address])
			}
		}
	})
}

// TestImportTemplateNodeGroup: prod's node group ("system" in render) adopts
// the template's "kube-system" and its role "<name>-eks-node-group-role".
func TestImportTemplateNodeGroup(t *testing.T) {
	data := variantOf(t, "prod.tfstate", func(rs []any) []any {
		const arn = "arn:aws:iam::111122223333:role/demo-eks-node-group-role"
		role := instance(rs, "module.eks", "aws_iam_role", "eks_node_group_role", 0)
		role["name"], role["id"], role["arn"] = "demo-eks-node-group-role", "demo-eks-node-group-role", arn
		ng := instance(rs, "module.eks", "aws_eks_node_group", "main", 0)
		ng["node_group_name"], ng["node_role_arn"] = "kube-system", arn
		return rs
	})
	rep, adoptions := importEnv(t, "prod", "ng.tfstate", data)
	got := adoptedBy(rep)
	if got["Nodegroup/demo-prod/system"] != "module.eks.aws_eks_node_group.main" || got["Role/demo-prod/node"] != "module.eks.aws_iam_role.eks_node_group_role" {
		t.Errorf("adopted %v", got)
	}
	i := slices.IndexFunc(adoptions, func(a config.Adoption) bool { return a.Object == "Nodegroup/system" })
	if i < 0 || adoptions[i].Name != "kube-system" || adoptions[i].Fields["name"] != "kube-system" {
		t.Errorf("adoptions %+v", adoptions)
	}
}

// TestImportTemplateKeeps: the profile's selectors, create-only and not
// render's, are kept as the state has them (render import
// --allow-conflicts writes them), and nothing else of it is.
func TestImportTemplateKeeps(t *testing.T) {
	_, adoptions := importEnv(t, "dev", "template.tfstate", fixture(t, "template.tfstate"))
	i := slices.IndexFunc(adoptions, func(a config.Adoption) bool { return a.Object == "FargateProfile/default" })
	if i < 0 {
		t.Fatalf("FargateProfile/default not adopted: %+v", adoptions)
	}
	keep := adoptions[i].Keep
	if want := `[{"namespace":"default"},{"namespace":"2048-game"}]`; len(keep) != 1 || keep["spec.selectors"] != want {
		t.Fatalf("keep %v, want spec.selectors %s only", keep, want)
	}
	for _, a := range adoptions {
		if a.Object != "FargateProfile/default" && len(a.Keep) > 0 {
			t.Errorf("%s keeps %v", a.Object, a.Keep)
		}
	}
}
