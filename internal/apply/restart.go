package apply

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/event"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/cli-utils/pkg/object"
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
func (m *Manager) Restart(ctx context.Context, deps []*unstructured.Unstructured, at time.Time, res *Result) error {
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
	return m.waitCurrent(ctx, deps, res)
}

// waitCurrent watches objs until kstatus calls each Current (for a
// Deployment: its controller observed the new generation and the rollout
// is complete), or ctx ends.
func (m *Manager) waitCurrent(ctx context.Context, objs []*unstructured.Unstructured, res *Result) error {
	w := &waiter{m: m, res: res, start: m.now(), last: map[object.ObjMetadata]*event.ResourceStatus{}}
	wctx, cancel := context.WithCancel(ctx)
	events := m.watch(wctx, objs)
	defer stopWatch(cancel, events)
	want := object.UnstructuredSetToObjMetadataSet(objs)
	ready := map[object.ObjMetadata]bool{}
	for len(ready) < len(want) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d rollouts: %w", len(want)-len(ready), ctx.Err())
		case e, ok := <-events:
			if !ok {
				return fmt.Errorf("waiting for the rollouts: the watch ended")
			}
			switch e.Type {
			case event.ErrorEvent:
				return fmt.Errorf("watch status: %w", e.Error)
			case event.ResourceUpdateEvent:
				if !want.Contains(e.Resource.Identifier) {
					continue
				}
				if err := w.update(e.Resource); err != nil {
					return err
				}
				if e.Resource.Status == status.CurrentStatus {
					ready[e.Resource.Identifier] = true
				}
			}
		}
	}
	return nil
}
