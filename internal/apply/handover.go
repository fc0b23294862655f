package apply

import (
	"context"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/graph"
)

// HandoverManager is the field manager that keeps spec.replicas when
// render stops setting it (the game handed to its autoscaler).
const HandoverManager = "handover-to-hpa"

// replicasToHandOver returns the live spec.replicas that render's apply
// owns and desired no longer sets. Applied as it is, server-side apply
// would remove the field with render's ownership and the apiserver would
// default it to 1, scaling the Deployment down until its autoscaler scales
// it up again. The Kubernetes documentation's remedy ("Transferring
// ownership", server-side apply) is to apply the current value under
// another manager first, so that the field stays when render lets go of it.
func replicasToHandOver(live, desired *unstructured.Unstructured) (int64, bool) {
	if _, set, _ := unstructured.NestedFieldNoCopy(desired.Object, "spec", "replicas"); set {
		return 0, false
	}
	n, ok, _ := unstructured.NestedInt64(live.Object, "spec", "replicas")
	if !ok {
		return 0, false
	}
	for _, f := range live.GetManagedFields() {
		if f.Manager != FieldManager || f.Operation != metav1.ManagedFieldsOperationApply || f.Subresource != "" || f.FieldsV1 == nil {
			continue
		}
		var fields map[string]map[string]any
		if json.Unmarshal(f.FieldsV1.GetRawBytes(), &fields) == nil {
			if _, owned := fields["f:spec"]["f:replicas"]; owned {
				return n, true
			}
		}
	}
	return 0, false
}

// handOver applies spec.replicas = n to u under HandoverManager, which then
// shares the field with render until render's next apply drops it.
func (m *Manager) handOver(ctx context.Context, u *unstructured.Unstructured, n int64) error {
	p := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": u.GetAPIVersion(), "kind": u.GetKind(),
		"metadata": map[string]any{"name": u.GetName(), "namespace": u.GetNamespace()},
		"spec":     map[string]any{"replicas": n},
	}}
	if err := m.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(p), client.FieldOwner(HandoverManager)); err != nil {
		return fmt.Errorf("%s: hand spec.replicas over to its autoscaler: %w", graph.NameOf(u), err)
	}
	fmt.Fprintf(m.progress, "%s spec.replicas (%d) handed over to %s\n", graph.NameOf(u), n, HandoverManager)
	return nil
}
