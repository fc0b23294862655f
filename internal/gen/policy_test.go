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

// TestScopedALBPolicy holds the load balancer controller's policy equal to
// upstream's statement by statement: the same Effect, Action and Resource,
// and conditions that are upstream's plus those render adds, each of them
// naming this environment's cluster or VPC.
func TestScopedALBPolicy(t *testing.T) {
	var upstream struct{ Statement []map[string]any }
	if err := json.Unmarshal([]byte(albPolicy), &upstream); err != nil {
		t.Fatal(err)
	}
	scoped := albPolicyOf(t, "prod")
	if len(scoped) == 0 {
		t.Fatal("prod renders no Policy/alb-controller")
	}
	if len(scoped) != len(upstream.Statement) {
		t.Fatalf("%d statements, upstream has %d", len(scoped), len(upstream.Statement))
	}
	ours := map[string]bool{"demo-prod": true, "arn:aws:ec2:us-west-2:*:vpc/vpc-0123456789abcdef0": true}
	added := 0
	for i, up := range upstream.Statement {
		got := scoped[i]
		for _, field := range []string{"Effect", "Action", "Resource"} {
			if !cmp.Equal(up[field], got[field]) {
				t.Errorf("Statement[%d].%s = %v, upstream %v", i, field, got[field], up[field])
			}
		}
		upCond, _ := up["Condition"].(map[string]any)
		gotCond, _ := got["Condition"].(map[string]any)
		for op, keys := range gotCond {
			for k, v := range keys.(map[string]any) {
				upKeys, _ := upCond[op].(map[string]any)
				if uv, ok := upKeys[k]; ok {
					if !cmp.Equal(uv, v) {
						t.Errorf("Statement[%d].Condition.%s.%s = %v, upstream %v", i, op, k, v, uv)
					}
					continue
				}
				added++
				if s, _ := v.(string); !ours[s] {
					t.Errorf("Statement[%d].Condition.%s.%s = %v: an added condition names neither the cluster nor its VPC", i, op, k, v)
				}
			}
		}
		for op, keys := range upCond {
			for k := range keys.(map[string]any) {
				if gk, _ := gotCond[op].(map[string]any); gk == nil || gk[k] == nil {
					t.Errorf("Statement[%d] dropped upstream's Condition.%s.%s", i, op, k)
				}
			}
		}
	}
	// 7 presence tests of the cluster tag made equality tests, 2 ec2:Vpc,
	// 2+2 tag tests on listeners and rules, 1 on target groups, 1 on the
	// listener and rule modifications.
	if added != 15 {
		t.Errorf("%d conditions added, want 15", added)
	}
}

// albPolicyOf is the statements of env's load balancer controller
// policies (alb-controller, then alb-controller-elb) as example.yaml
// renders them; none while they wait.
func albPolicyOf(t *testing.T, env string) []map[string]any {
	t.Helper()
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	docs := policies(t, buildEnv(t, generate(t, cfg).Files, env, false))
	var out []map[string]any
	for _, name := range []string{"alb-controller", "alb-controller-elb"} {
		doc, ok := docs["Policy/demo-"+env+"/"+name+" policyDocument"]
		if !ok {
			continue
		}
		var scoped struct{ Statement []map[string]any }
		if err := json.Unmarshal([]byte(doc), &scoped); err != nil {
			t.Fatal(err)
		}
		for _, st := range scoped.Statement {
			if a, _ := st["Action"].([]any); name == "alb-controller-elb" && !strings.HasPrefix(a[0].(string), "elasticloadbalancing:") {
				t.Errorf("Policy/%s has a statement of %v", name, a)
			}
		}
		out = append(out, scoped.Statement...)
	}
	return out
}

// TestScopedALBPolicyConditions checks each condition render adds to a
// statement upstream leaves open, by the statement's actions.
func TestScopedALBPolicyConditions(t *testing.T) {
	const vpc = "arn:aws:ec2:us-west-2:*:vpc/vpc-0123456789abcdef0"
	statements := albPolicyOf(t, "prod")
	find := func(first string, n int) map[string]any {
		for _, st := range statements {
			if a, _ := st["Action"].([]any); len(a) == n && a[0] == first {
				cond, _ := st["Condition"].(map[string]any)
				return cond
			}
		}
		t.Fatalf("no statement of %d actions starting with %s", n, first)
		return nil
	}
	listenerTags := statements[11]["Condition"]
	tests := []struct {
		name string
		got  any
		want map[string]any
	}{
		{"security group ingress is limited to the cluster's VPC", find("ec2:AuthorizeSecurityGroupIngress", 2),
			map[string]any{"ArnLike": map[string]any{"ec2:Vpc": vpc}}},
		{"the controller's security groups are in the cluster's VPC too", find("ec2:AuthorizeSecurityGroupIngress", 3)["ArnLike"],
			map[string]any{"ec2:Vpc": vpc}},
		{"listeners and rules are created and deleted with the cluster's tag", find("elasticloadbalancing:CreateListener", 4),
			map[string]any{"StringEqualsIfExists": map[string]any{
				"aws:ResourceTag/elbv2.k8s.aws/cluster": "demo-prod", "aws:RequestTag/elbv2.k8s.aws/cluster": "demo-prod"}}},
		{"listeners and rules are tagged only if they are the cluster's", listenerTags,
			map[string]any{"StringEqualsIfExists": map[string]any{
				"aws:ResourceTag/elbv2.k8s.aws/cluster": "demo-prod", "aws:RequestTag/elbv2.k8s.aws/cluster": "demo-prod"}}},
		{"targets are registered only in the cluster's target groups", find("elasticloadbalancing:RegisterTargets", 2),
			map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/elbv2.k8s.aws/cluster": "demo-prod"}}},
		{"listeners and rules are modified only if they are the cluster's", find("elasticloadbalancing:SetWebAcl", 6),
			map[string]any{"StringEqualsIfExists": map[string]any{"aws:ResourceTag/elbv2.k8s.aws/cluster": "demo-prod"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(any(tt.want), tt.got); diff != "" {
				t.Errorf("Condition (-want +got):\n%s", diff)
			}
		})
	}
	if dev := albPolicyOf(t, "dev"); len(dev) != 0 {
		t.Errorf("dev renders the policy without its VPC ID")
	}
}

// TestScopedALBPolicySize checks that each half of the policy takes the
// longest cluster name EKS allows (100 characters) and that the size check
// still holds beyond.
func TestScopedALBPolicySize(t *testing.T) {
	const vpc = "arn:aws-us-gov:ec2:us-gov-west-1:*:vpc/vpc-0123456789abcdef0"
	if _, _, err := scopedALBPolicy(albScope{Cluster: strings.Repeat("c", 100), VPCARN: vpc}); err != nil {
		t.Errorf("scopedALBPolicy(100 characters) = %v", err)
	}
	if _, _, err := scopedALBPolicy(albScope{Cluster: strings.Repeat("c", 400), VPCARN: vpc}); err == nil || !strings.Contains(err.Error(), "IAM allows 6144") {
		t.Errorf("scopedALBPolicy(400 characters) = %v, want the IAM size limit", err)
	}
}
