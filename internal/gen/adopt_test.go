package gen

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
)

// withAdopt returns example.yaml with dev adopting a.
func withAdopt(t *testing.T, a ...config.Adoption) *config.Config {
	t.Helper()
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	for i := range cfg.Environments {
		if cfg.Environments[i].Name == "dev" {
			cfg.Environments[i].Adopt = a
		}
	}
	return cfg
}

func TestAdoptAnnotatesExactlyTheImportedObjects(t *testing.T) {
	cfg := withAdopt(t,
		config.Adoption{Object: "Subnet/private-a", Terraform: "module.vpc.aws_subnet.private[0]", Fields: map[string]string{"subnetID": "subnet-0aaa"}},
		config.Adoption{Object: "FargateProfile/default", Terraform: "module.eks.aws_eks_fargate_profile.main", Fields: map[string]string{"name": "default", "clusterName": "demo-dev"}},
	)
	want := map[string]string{
		"Subnet/demo-dev/private-a":       `{"subnetID":"subnet-0aaa"}`,
		"FargateProfile/demo-dev/default": `{"clusterName":"demo-dev","name":"default"}`,
	}
	out := generate(t, cfg)
	for _, env := range []string{"dev", "prod"} {
		for _, o := range buildEnv(t, out.Files, env, false) {
			meta, _ := o["metadata"].(map[string]any)
			ann, _ := meta["annotations"].(map[string]any)
			fields, ok := want[key(o)]
			if env != "dev" {
				ok = false
			}
			if !ok {
				if ann[ack.AdoptionPolicyAnnotation] != nil || ann[ack.AdoptionFieldsAnnotation] != nil {
					t.Errorf("%s/%s: adoption annotations on an object not imported: %v", env, key(o), ann)
				}
				continue
			}
			if ann[ack.AdoptionPolicyAnnotation] != ack.AdoptOrCreate || ann[ack.AdoptionFieldsAnnotation] != fields {
				t.Errorf("%s: got policy %v fields %v, want %s %s", key(o), ann[ack.AdoptionPolicyAnnotation], ann[ack.AdoptionFieldsAnnotation], ack.AdoptOrCreate, fields)
			}
			delete(want, key(o))
		}
	}
	if len(want) > 0 {
		t.Errorf("not annotated: %v", want)
	}
	again := generate(t, withAdopt(t,
		config.Adoption{Object: "Subnet/private-a", Terraform: "module.vpc.aws_subnet.private[0]", Fields: map[string]string{"subnetID": "subnet-0aaa"}},
		config.Adoption{Object: "FargateProfile/default", Terraform: "module.eks.aws_eks_fargate_profile.main", Fields: map[string]string{"name": "default", "clusterName": "demo-dev"}},
	))
	for _, p := range out.Files.Paths() {
		if string(out.Files[p]) != string(again.Files[p]) {
			t.Errorf("%s differs between two runs", p)
		}
	}
}

func TestAdoptRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    config.Adoption
		want string
	}{
		{"an object not rendered", config.Adoption{Object: "Subnet/private-z", Fields: map[string]string{"subnetID": "subnet-1"}}, "renders no such object"},
		{"a kind render does not adopt", config.Adoption{Object: "Namespace/demo-dev", Fields: map[string]string{"name": "x"}}, "does not adopt a Namespace"},
		{"a missing identifier", config.Adoption{Object: "Nodegroup/system", Fields: map[string]string{"name": "system"}}, "fields.clusterName is missing"},
		{"a field that is no identifier", config.Adoption{Object: "VPC/vpc", Fields: map[string]string{"vpcID": "vpc-1", "cidr": "x"}}, "fields.cidr is not an identifier"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.a.Source = "imports/dev.yaml:5"
			_, err := Generate(withAdopt(t, tc.a), map[string]LateValues{"dev": {VPCID: "vpc-0123456789abcdef0", OIDCIssuer: "https://oidc.example/id/X", AccountID: "111122223333"}})
			if err == nil || !strings.Contains(err.Error(), "imports/dev.yaml:5: adopt "+tc.a.Object) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error naming imports/dev.yaml:5, %s and %q", err, tc.a.Object, tc.want)
			}
		})
	}
}

// TestAdoptUnderTheTemplatesNames: an imports entry with a name of its own
// (a Terraform template's role and log group) renders that name as
// spec.name, and what names the log group follows it; the Kubernetes
// object keeps render's name.
func TestAdoptUnderTheTemplatesNames(t *testing.T) {
	cfg := withAdopt(t,
		config.Adoption{Object: "Role/cluster", Terraform: "module.eks.aws_iam_role.eks_cluster_role", Name: "demo-eks-cluster-role",
			Fields: map[string]string{"name": "demo-eks-cluster-role"}},
		config.Adoption{Object: "LogGroup/flow-logs", Terraform: "module.vpc.aws_cloudwatch_log_group.vpc", Name: "/aws/vpc/demo-dev/flow",
			Fields: map[string]string{"name": "/aws/vpc/demo-dev/flow"}},
		config.Adoption{Object: "FargateProfile/default", Terraform: "module.eks.aws_eks_fargate_profile.main", Name: "fp-default",
			Fields: map[string]string{"name": "fp-default", "clusterName": "demo-dev"}},
	)
	out := generate(t, cfg)
	want := map[string]string{"Role/demo-dev/cluster": "demo-eks-cluster-role", "LogGroup/demo-dev/flow-logs": "/aws/vpc/demo-dev/flow",
		"FargateProfile/demo-dev/default": "fp-default"}
	for _, o := range buildEnv(t, out.Files, "dev", false) {
		spec, _ := o["spec"].(map[string]any)
		if name, ok := want[key(o)]; ok {
			if spec["name"] != name {
				t.Errorf("%s: spec.name %v, want %s", key(o), spec["name"], name)
			}
			delete(want, key(o))
		}
		if key(o) == "Role/demo-dev/flow-logs" {
			p, _ := spec["inlinePolicies"].(map[string]any)["write-flow-logs"].(string)
			if !strings.Contains(p, "log-group:/aws/vpc/demo-dev/flow\"") || strings.Contains(p, "vpc-flow-logs/") {
				t.Errorf("the flow log role's policy does not name the adopted log group:\n%s", p)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("not rendered: %v", want)
	}
	for _, o := range buildEnv(t, out.Files, "prod", false) {
		if spec, _ := o["spec"].(map[string]any); key(o) == "Role/demo-prod/cluster" && spec["name"] == "demo-eks-cluster-role" {
			t.Error("prod's role takes dev's adopted name")
		}
	}
}

// TestAdoptKeepsTheLiveValues: an imports entry's keep (render import
// --allow-conflicts) renders the live value of each create-only field, so
// the spec is what AWS has; keeping the role's ARN drops the reference
// that would name render's role. The object still validates against its
// CRD, and the other environment renders its own values.
func TestAdoptKeepsTheLiveValues(t *testing.T) {
	const (
		arn       = "arn:aws:iam::111122223333:role/demo-eks-fargate-pod-execution-role"
		selectors = `[{"labels":{"app":"web"},"namespace":"default"},{"namespace":"kube-system"}]`
	)
	cfg := withAdopt(t, config.Adoption{Object: "FargateProfile/default", Terraform: "module.eks.aws_eks_fargate_profile.main",
		Fields: map[string]string{"name": "default", "clusterName": "demo-dev"},
		Keep: map[string]string{
			"spec.selectors":           selectors,
			"spec.podExecutionRoleARN": `"` + arn + `"`,
		}})
	out := generate(t, cfg)
	s := loadSchemas(t)
	seen := 0
	for _, env := range []string{"dev", "prod"} {
		for _, o := range buildEnv(t, out.Files, env, false) {
			if o["kind"] != "FargateProfile" {
				continue
			}
			seen++
			spec, _ := o["spec"].(map[string]any)
			sel, _ := json.Marshal(spec["selectors"])
			if env == "prod" || key(o) != "FargateProfile/demo-dev/default" {
				if spec["podExecutionRoleARN"] != nil || spec["podExecutionRoleRef"] == nil || strings.Contains(string(sel), `"app":"web"`) {
					t.Errorf("%s takes the kept values of dev's default profile: %v", key(o), spec)
				}
				continue
			}
			if string(sel) != selectors {
				t.Errorf("%s: selectors %s, want the live %s", key(o), sel, selectors)
			}
			if spec["podExecutionRoleARN"] != arn || spec["podExecutionRoleRef"] != nil {
				t.Errorf("%s: role %v / ref %v, want the live ARN and no reference", key(o), spec["podExecutionRoleARN"], spec["podExecutionRoleRef"])
			}
			if err := validateObject(s, o); err != nil {
				t.Errorf("%s: %v", key(o), err)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no FargateProfile rendered")
	}
}

func TestAdoptKeepRejects(t *testing.T) {
	late := map[string]LateValues{"dev": {VPCID: "vpc-0123456789abcdef0", OIDCIssuer: "https://oidc.example/id/X", AccountID: "111122223333"}}
	profile := map[string]string{"name": "default", "clusterName": "demo-dev"}
	for _, tc := range []struct {
		name string
		a    config.Adoption
		want string
	}{
		{"a field ACK changes in place", config.Adoption{Object: "FargateProfile/default", Fields: profile, Keep: map[string]string{"spec.tags": `{}`}},
			"keep.spec.tags is not a create-only field of a FargateProfile; want one of spec.clientRequestToken"},
		{"a kind without create-only fields", config.Adoption{Object: "VPC/vpc", Fields: map[string]string{"vpcID": "vpc-1"}, Keep: map[string]string{"spec.cidrBlocks": `["10.0.0.0/16"]`}},
			"a VPC has no create-only field"},
		{"a value of the wrong shape", config.Adoption{Object: "FargateProfile/default", Fields: profile, Keep: map[string]string{"spec.selectors": `[{"namespaces":"x"}]`}},
			"the kept values do not fit a FargateProfile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.a.Source = "imports/dev.yaml:5"
			_, err := Generate(withAdopt(t, tc.a), late)
			if err == nil || !strings.Contains(err.Error(), "imports/dev.yaml:5: adopt "+tc.a.Object) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error naming imports/dev.yaml:5, %s and %q", err, tc.a.Object, tc.want)
			}
		})
	}
}
