package apply_test

import (
	"encoding/json"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/apply"
)

func deployment(t *testing.T, ns string, replicas string) *unstructured.Unstructured {
	t.Helper()
	doc := `{apiVersion: apps/v1, kind: Deployment, metadata: {name: game, namespace: ` + ns + `},
spec: {` + replicas + `selector: {matchLabels: {app: game}},
  template: {metadata: {labels: {app: game}}, spec: {containers: [{name: game, image: nginx}]}}}}`
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
		t.Fatal(err)
	}
	return u
}

// Turning autoscaling on stops render from setting spec.replicas; applied
// as it is, the apiserver would reset them to 1 until the autoscaler
// scales the game up again.
func TestReplicasAreHandedOverWhenRenderStopsSettingThem(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	m, progress := newManager(t)
	if _, err := m.Apply(t.Context(), []*unstructured.Unstructured{deployment(t, ns, "replicas: 3, ")}, noWait()); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Apply(t.Context(), []*unstructured.Unstructured{deployment(t, ns, "")}, noWait()); err != nil {
		t.Fatal(err)
	}
	var d appsv1.Deployment
	if err := env.Client.Get(t.Context(), types.NamespacedName{Namespace: ns, Name: "game"}, &d); err != nil {
		t.Fatal(err)
	}
	if got := d.Spec.Replicas; got == nil || *got != 3 {
		t.Errorf("replicas = %d after render stopped setting them, want 3 kept\n%s", ptrValue(got), progress)
	}
	owners := map[string]bool{}
	for _, f := range d.ManagedFields {
		var fields map[string]map[string]any
		if json.Unmarshal(f.FieldsV1.GetRawBytes(), &fields) == nil {
			if _, ok := fields["f:spec"]["f:replicas"]; ok {
				owners[f.Manager] = true
			}
		}
	}
	if !owners[apply.HandoverManager] || owners[apply.FieldManager] {
		t.Errorf("spec.replicas owned by %v, want %s and not %s", owners, apply.HandoverManager, apply.FieldManager)
	}
	if !strings.Contains(progress.String(), "spec.replicas (3) handed over to handover-to-hpa") {
		t.Errorf("progress does not say so:\n%s", progress)
	}
	// Once handed over, nothing more happens.
	progress.Reset()
	if res, err := m.Apply(t.Context(), []*unstructured.Unstructured{deployment(t, ns, "")}, noWait()); err != nil || res.Changed() != 0 || progress.Len() != 0 {
		t.Errorf("third apply = %v, %d changed:\n%s", err, res.Changed(), progress)
	}
}

func ptrValue(p *int32) int32 {
	if p == nil {
		return -1
	}
	return *p
}
