package diff

import (
	"bytes"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
)

func existingEnv() config.Environment {
	return config.Environment{Name: "dev", ClusterName: "demo-dev", Network: config.NetworkEnv{Existing: &config.ExistingNetworkEnv{
		VPCID: "vpc-01234567", PrivateSubnetIDs: []string{"subnet-0000000a", "subnet-0000000b"}, PublicSubnetIDs: []string{"subnet-000000aa", "subnet-000000bb"},
	}}}
}

func liveCluster(conds ...map[string]any) *unstructured.Unstructured {
	list := make([]any, len(conds))
	for i, c := range conds {
		list[i] = c
	}
	u := &unstructured.Unstructured{Object: map[string]any{"status": map[string]any{"conditions": list}}}
	u.SetAPIVersion("eks.services.k8s.aws/v1alpha1")
	u.SetKind("Cluster")
	u.SetNamespace("demo-dev")
	u.SetName("demo")
	return u
}

func TestAssumptions(t *testing.T) {
	refused := "InvalidParameterException: The subnet ID 'subnet-0000000b' does not exist"
	for _, tc := range []struct {
		name  string
		env   config.Environment
		live  []*unstructured.Unstructured
		first string
	}{
		{"none on a network render creates", config.Environment{Name: "dev"}, nil, ""},
		{"all assumed before the cluster exists", existingEnv(), []*unstructured.Unstructured{nil},
			"assumed, not checked: the private subnets subnet-0000000a, subnet-0000000b exist and are in at least two availability zones"},
		{"the zones checked once EKS created the cluster", existingEnv(), []*unstructured.Unstructured{liveCluster(map[string]any{"type": "ACK.ResourceSynced", "status": "True"})},
			"checked by EKS: the private subnets subnet-0000000a, subnet-0000000b exist and are in at least two availability zones (Cluster/demo-dev/demo is synced)"},
		{"refused when EKS says so", existingEnv(), []*unstructured.Unstructured{liveCluster(map[string]any{"type": "ACK.Recoverable", "status": "True", "message": refused})},
			"REFUSED by AWS: the private subnets subnet-0000000a, subnet-0000000b exist and are in at least two availability zones (Cluster/demo-dev/demo: " + refused + ")"},
		{"other failures are not about subnets", existingEnv(), []*unstructured.Unstructured{liveCluster(map[string]any{"type": "ACK.Recoverable", "status": "True", "message": "AccessDenied"})},
			"assumed, not checked: the private subnets subnet-0000000a, subnet-0000000b exist and are in at least two availability zones"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Assumptions(tc.env, tc.live)
			if tc.first == "" {
				if got != nil {
					t.Fatalf("Assumptions = %v, want none", got)
				}
				return
			}
			if len(got) != 5 || got[0].String() != tc.first {
				t.Fatalf("Assumptions[0] = %q (of %d), want %q", got[0], len(got), tc.first)
			}
			for _, a := range got[1:] {
				if a.State != AssumedState {
					t.Errorf("%s: AWS never checks this for render", a)
				}
			}
		})
	}
}

func TestAssumedIsReportedButNoChange(t *testing.T) {
	r := &Report{Environments: []Environment{{Name: "dev", Assumed: Assumptions(existingEnv(), nil)}}}
	var b bytes.Buffer
	if err := r.Write(&b, TextFormat); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "  ASSUMED dev: network.existing: what only AWS can check, until ACK reports otherwise\n    assumed, not checked: ") ||
		!strings.HasSuffix(out, "no changes\n") || !strings.Contains(out, "kubernetes.io/cluster/demo-dev=shared") {
		t.Errorf("text report:\n%s", out)
	}
	b.Reset()
	if err := r.Write(&b, MarkdownFormat); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "### dev: ASSUMED\n") {
		t.Errorf("markdown report:\n%s", b.String())
	}
}
