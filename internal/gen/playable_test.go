package gen_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/gen/gentest"
	"github.com/eks-render/render/internal/graph"
)

// TestPlayablePodsAreTheWorkloads checks graph.PlayablePods, which orders
// the Fargate profiles, against what gen renders: each of the workload's
// pods the game needs carries the labels listed there, in the namespace
// listed there, and in a Fargate-only environment a profile selects each
// of them, CoreDNS included.
func TestPlayablePodsAreTheWorkloads(t *testing.T) {
	late := gentest.Late
	work := gentest.EnvObjects(t, "dev", late, true)
	mgmt := gentest.EnvObjects(t, "dev", late, false)
	for _, pods := range graph.PlayablePods[1:] { // CoreDNS is EKS's
		found := false
		for _, u := range work {
			if u.GetKind() != "Deployment" || u.GetNamespace() != pods.Namespace {
				continue
			}
			labels, _, _ := unstructured.NestedStringMap(u.Object, "spec", "template", "metadata", "labels")
			carries := true
			for k, v := range pods.Labels {
				carries = carries && labels[k] == v
			}
			found = found || carries
		}
		if !found {
			t.Errorf("no Deployment of dev's workload runs the pods %v", pods)
		}
	}
	for _, pods := range graph.PlayablePods {
		selected := false
		for _, u := range mgmt {
			selected = selected || u.GetKind() == "FargateProfile" && graph.Selects(u, pods)
		}
		if !selected {
			t.Errorf("no Fargate profile of dev (Fargate only) selects the pods %v", pods)
		}
	}
}
