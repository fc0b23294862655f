package gen

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eks-render/render/internal/config"
)

// policies returns every IAM policy document render writes in objs, by
// "Kind/name field".
func policies(t *testing.T, objs built) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range objs {
		spec, _ := m["spec"].(map[string]any)
		name := key(m)
		for _, field := range []string{"assumeRolePolicyDocument", "policyDocument"} {
			if doc, ok := spec[field].(string); ok {
				out[name+" "+field] = doc
			}
		}
		inline, _ := spec["inlinePolicies"].(map[string]any)
		for k, doc := range inline {
			out[name+" inlinePolicies."+k] = doc.(string)
		}
	}
	return out
}

// TestNoWildcardActions checks every policy document of every build, the
// AWS Load Balancer Controller's included: each action is named, neither
// "*" nor "service:*" nor a prefix like "ec2:Describe*".
func TestNoWildcardActions(t *testing.T) {
	count := 0
	eachBuild(t, func(t *testing.T, _ *config.Config, _ config.Environment, workload bool, objs built) {
		for where, doc := range policies(t, objs) {
			count++
			var d struct {
				Statement []struct {
					Action any `json:"Action"`
				} `json:"Statement"`
			}
			if err := json.Unmarshal([]byte(doc), &d); err != nil || len(d.Statement) == 0 {
				t.Errorf("%s: not a policy document: %v", where, err)
				continue
			}
			for _, st := range d.Statement {
				actions, _ := st.Action.([]any)
				if s, ok := st.Action.(string); ok {
					actions = []any{s}
				}
				for _, a := range actions {
					if s, _ := a.(string); strings.Contains(s, "*") || !strings.Contains(s, ":") {
						t.Errorf("%s: action %q is a wildcard", where, s)
					}
				}
			}
		}
	})
	if count < 20 {
		t.Errorf("checked only %d policy documents", count)
	}
}

func TestIRSATrustPolicy(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	objs := buildEnv(t, generate(t, cfg).Files, "prod", false)
	doc := policies(t, objs)["Role/demo-prod/alb-controller assumeRolePolicyDocument"]
	var got map[string]any
	if err := json.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	host := "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
	want := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect":    "Allow",
		"Principal": map[string]any{"Federated": "arn:aws:iam::111122223333:oidc-provider/" + host},
		"Action":    []any{"sts:AssumeRoleWithWebIdentity"},
		"Condition": map[string]any{"StringEquals": map[string]any{
			host + ":sub": "system:serviceaccount:kube-system:aws-load-balancer-controller",
			host + ":aud": "sts.amazonaws.com",
		}},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IRSA trust policy (-want +got):\n%s", diff)
	}
	fargate := policies(t, objs)["Role/demo-prod/fargate-pods assumeRolePolicyDocument"]
	if !strings.Contains(fargate, `"aws:SourceArn": "arn:aws:eks:us-west-2:111122223333:fargateprofile/demo-prod/*"`) {
		t.Errorf("Fargate pod execution role trust is not scoped to the cluster's profiles:\n%s", fargate)
	}
	for _, m := range objs {
		if m["kind"] == "OpenIDConnectProvider" {
			spec := m["spec"].(map[string]any)
			if spec["url"] != "https://"+host || !cmp.Equal(spec["clientIDs"], []any{"sts.amazonaws.com"}) {
				t.Errorf("OpenIDConnectProvider spec = %v", spec)
			}
			return
		}
	}
	t.Error("no OpenIDConnectProvider rendered for prod")
}

// TestClusterRoleTrust checks the confused-deputy conditions AWS
// recommends for the cluster role and that sts:TagSession (EKS Auto Mode
// only) is not granted.
func TestClusterRoleTrust(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	objs := buildEnv(t, generate(t, cfg).Files, "dev", false)
	var got map[string]any
	if err := json.Unmarshal([]byte(policies(t, objs)["Role/demo-dev/cluster assumeRolePolicyDocument"]), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": "eks.amazonaws.com"},
		"Action":    []any{"sts:AssumeRole"},
		"Condition": map[string]any{
			"ArnLike":      map[string]any{"aws:SourceArn": "arn:aws:eks:us-west-2:111122223333:cluster/demo-dev"},
			"StringEquals": map[string]any{"aws:SourceAccount": "111122223333"},
		},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cluster role trust policy (-want +got):\n%s", diff)
	}
}

// TestScopedALBPolicy checks that the load balancer controller's policy is
// upstream's with one change: every presence test of the cluster tag
// (Null "false") also requires the tag to equal the environment's cluster.
func TestScopedALBPolicy(t *testing.T) {
	var upstream map[string]any
	if err := json.Unmarshal([]byte(albPolicy), &upstream); err != nil {
		t.Fatal(err)
	}
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	objs := buildEnv(t, generate(t, cfg).Files, "prod", false)
	doc, ok := policies(t, objs)["Policy/demo-prod/alb-controller policyDocument"]
	if !ok {
		t.Fatal("prod renders no Policy/alb-controller")
	}
	var scoped map[string]any
	if err := json.Unmarshal([]byte(doc), &scoped); err != nil {
		t.Fatal(err)
	}
	added := 0
	for i, s := range scoped["Statement"].([]any) {
		cond, _ := s.(map[string]any)["Condition"].(map[string]any)
		null, _ := cond["Null"].(map[string]any)
		eq, _ := cond["StringEquals"].(map[string]any)
		for k, v := range null {
			if strings.HasSuffix(k, "Tag/elbv2.k8s.aws/cluster") && v == "false" {
				if eq[k] != "demo-prod" {
					t.Errorf("Statement[%d]: %s is only tested for presence", i, k)
				}
				delete(eq, k)
				added++
			}
		}
		if eq != nil && len(eq) == 0 {
			delete(cond, "StringEquals")
		}
	}
	if added != 7 {
		t.Errorf("%d cluster tag conditions scoped, want upstream's 7 presence tests", added)
	}
	if diff := cmp.Diff(upstream, scoped); diff != "" {
		t.Errorf("scoped policy differs from upstream beyond the cluster tag (-upstream +scoped):\n%s", diff)
	}
}

func TestScopedALBPolicyTooLong(t *testing.T) {
	if _, err := scopedALBPolicy(strings.Repeat("c", 100)); err == nil || !strings.Contains(err.Error(), "IAM allows 6144") {
		t.Errorf("scopedALBPolicy(100 characters) = %v, want the IAM size limit", err)
	}
}
