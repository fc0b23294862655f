package gen

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/config"
)

// TestBootstrapGolden holds the template for prod of the multi-account
// example against testdata/golden-bootstrap.
func TestBootstrapGolden(t *testing.T) {
	cfg := loadConfig(t, multiAccountExample)
	b, err := Bootstrap(cfg, "prod")
	if err != nil {
		t.Fatal(err)
	}
	compareGolden(t, "testdata/golden-bootstrap", Tree{"prod.yaml": b})
	again, err := Bootstrap(cfg, "prod")
	if err != nil || string(again) != string(b) {
		t.Errorf("second run differs (err %v)", err)
	}
}

func TestBootstrapRefusesTheManagementAccount(t *testing.T) {
	cfg := loadConfig(t, multiAccountExample)
	_, err := Bootstrap(cfg, "dev")
	if !errors.Is(err, ErrSameAccount) {
		t.Fatalf("Bootstrap(dev) = %v, want ErrSameAccount", err)
	}
}

// policyActions returns every action of the policy, by statement Sid.
func policyActions(t *testing.T, d policyDocument) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, s := range d.Statement {
		for _, a := range s.Action {
			if strings.Contains(a, "*") {
				t.Errorf("statement %s: action %q has a wildcard", s.Sid, a)
			}
		}
		out[s.Sid] = append(out[s.Sid], s.Action...)
	}
	return out
}

func allActions(d policyDocument) []string {
	var out []string
	for _, s := range d.Statement {
		out = append(out, s.Action...)
	}
	return uniqueSorted(out)
}

// TestBootstrapPolicyFollowsKinds: the policy allows exactly the actions of
// the kinds rendered, so removing a kind removes the actions no other
// rendered kind needs, and nothing else.
func TestBootstrapPolicyFollowsKinds(t *testing.T) {
	cfg := loadConfig(t, multiAccountExample)
	prod, err := cfg.Environment("prod")
	if err != nil {
		t.Fatal(err)
	}
	all, err := allManagement(*prod)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for kn := range all {
		kinds[strings.SplitN(kn, "/", 2)[0]] = true
	}
	for _, k := range []string{"Cluster", "Nodegroup", "FargateProfile", "LogGroup", "Role", "OpenIDConnectProvider", "AccessEntry", "Addon"} {
		if !kinds[k] {
			t.Fatalf("prod renders no %s; the test needs it", k)
		}
	}
	envs := []config.Environment{*prod}
	t.Run("an environment on an existing network gets no EC2 statement", func(t *testing.T) {
		if kinds["VPC"] || kinds["Subnet"] {
			t.Fatal("prod, on an existing network, renders a VPC or subnets")
		}
		if got := policyActions(t, bootstrapPolicy(*prod, envs, kinds)); got["EC2"] != nil {
			t.Errorf("EC2 actions %v", got["EC2"])
		}
	})
	// Every kind render can emit, to see each one's actions go with it.
	for k := range kindActions {
		kinds[k] = k != "SecurityGroup" // render emits none
	}
	full := bootstrapPolicy(*prod, envs, kinds)
	policyActions(t, full)
	want := []string{"iam:CreateServiceLinkedRole", "iam:PassRole"}
	for k, rendered := range kinds {
		if rendered {
			want = append(want, kindActions[k]...)
		}
	}
	if diff := setDiff(uniqueSorted(want), allActions(full)); diff != "" {
		t.Errorf("policy actions are not the kinds' actions: %s", diff)
	}
	for k, rendered := range kinds {
		if !rendered {
			continue
		}
		t.Run("without "+k, func(t *testing.T) {
			less := map[string]bool{}
			for o, r := range kinds {
				less[o] = r && o != k
			}
			got := allActions(bootstrapPolicy(*prod, envs, less))
			for _, a := range kindActions[k] {
				needed := false
				for o, r := range kinds {
					needed = needed || (r && o != k && slices.Contains(kindActions[o], a))
				}
				if slices.Contains(got, a) != needed {
					t.Errorf("action %s present = %v, want %v (another kind needs it: %v)", a, !needed, needed, needed)
				}
			}
		})
	}
	t.Run("without any EKS kind there is no EKS statement, PassRole or service-linked role", func(t *testing.T) {
		less := map[string]bool{"VPC": true, "Subnet": true, "LogGroup": true}
		got := policyActions(t, bootstrapPolicy(*prod, envs, less))
		for _, sid := range []string{"EKS", "IAM", "PassRole", "ServiceLinkedRoles"} {
			if _, ok := got[sid]; ok {
				t.Errorf("statement %s present: %v", sid, got[sid])
			}
		}
	})
}

// TestBootstrapTrustsOnlyTheControllers: the role trusts the management
// account only through the controllers' role ARNs.
func TestBootstrapTrustsOnlyTheControllers(t *testing.T) {
	cfg := loadConfig(t, multiAccountExample)
	b, err := Bootstrap(cfg, "prod")
	if err != nil {
		t.Fatal(err)
	}
	var tmpl cfnTemplate
	if err := yaml.UnmarshalStrict(b, &tmpl); err != nil {
		t.Fatalf("template does not decode strictly: %v", err)
	}
	trust := tmpl.Resources[bootstrapRoleID].Properties.AssumeRolePolicyDocument.Statement
	if len(trust) != 1 || trust[0].Principal["AWS"] != "arn:aws:iam::111122223333:root" {
		t.Fatalf("trust = %+v, want the management account narrowed by aws:PrincipalArn", trust)
	}
	arns, _ := trust[0].Condition["ArnEquals"]["aws:PrincipalArn"].([]any)
	if len(arns) != 4 || arns[0] != "arn:aws:iam::111122223333:role/ack-cloudwatchlogs-controller" {
		t.Errorf("aws:PrincipalArn = %v, want the four controller roles", arns)
	}
}

func setDiff(want, got []string) string {
	var missing, extra []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	if len(missing)+len(extra) == 0 {
		return ""
	}
	return "missing " + strings.Join(missing, ",") + "; extra " + strings.Join(extra, ",")
}
