package apply

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/graph"
)

// RestartAnnotation is the pod template annotation render sets to replace
// a Deployment's pods, as `kubectl rollout restart` sets
// kubectl.kubernetes.io/restartedAt: a changed template makes the
// Deployment roll its pods.
const RestartAnnotation = "render.eks-render.dev/restartedAt"

// RestartManager is the field manager that owns RestartAnnotation, apart
// from render's own apply, which never sets it.
const RestartManager = "render-restart"

// Restart rolls the pods of deps (Deployments) by setting
// RestartAnnotation to at, and waits until every rollout is complete. A
// Fargate pod runs on a node of its own whose kubelet has the version the
// cluster had when the pod started; only a new pod moves to a new kubelet.
func (m *Manager) Restart(ctx context.Context, deps []*unstructured.Unstructured, at time.Time, interval time.Duration, res *Result) error {
	for _, u := range deps {
		p := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": u.GetAPIVersion(), "kind": u.GetKind(),
			"metadata": map[string]any{"name": u.GetName(), "namespace": u.GetNamespace()},
			"spec": map[string]any{"template": map[string]any{"metadata": map[string]any{
				"annotations": map[string]any{RestartAnnotation: at.UTC().Format(time.RFC3339)},
			}}},
		}}
		if err := m.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(p), client.FieldOwner(RestartManager), client.ForceOwnership); err != nil {
			return fmt.Errorf("%s: restart: %w", graph.NameOf(u), err)
		}
		res.setAction(graph.NameOf(u), Configured)
		fmt.Fprintf(m.progress, "%s restarted\n", graph.NameOf(u))
	}
	if len(deps) == 0 {
		return nil
	}
	return m.wait(ctx, deps, interval, res)
}
