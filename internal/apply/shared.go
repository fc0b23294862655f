package apply

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/graph"
)

// ApplyShared server-side applies u, an object several environments write
// their own part of (the ACK controllers' account map), with fieldManager,
// one per environment: server-side apply merges the parts key by key and
// reports a conflict only when two managers want different values for one
// key. The object joins no ApplySet: no environment's prune may delete it.
func (m *Manager) ApplyShared(ctx context.Context, u *unstructured.Unstructured, fieldManager string) error {
	if err := m.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(u.DeepCopy()), client.FieldOwner(fieldManager)); err != nil {
		return fmt.Errorf("%s apply failed (field manager %s): %w", graph.NameOf(u), fieldManager, err)
	}
	return nil
}

// ReleaseShared gives up fieldManager's part of u: it applies u's identity
// alone, so that the fields only fieldManager owned are removed and the
// other environments' stay. A missing object is nothing to release.
func (m *Manager) ReleaseShared(ctx context.Context, u *unstructured.Unstructured, fieldManager string) error {
	id := &unstructured.Unstructured{}
	id.SetGroupVersionKind(u.GroupVersionKind())
	id.SetNamespace(u.GetNamespace())
	id.SetName(u.GetName())
	live := &unstructured.Unstructured{}
	live.SetGroupVersionKind(u.GroupVersionKind())
	if err := m.client.Get(ctx, client.ObjectKeyFromObject(u), live); err != nil {
		return client.IgnoreNotFound(err)
	}
	if err := m.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(id), client.FieldOwner(fieldManager)); err != nil {
		return fmt.Errorf("%s release failed (field manager %s): %w", graph.NameOf(u), fieldManager, err)
	}
	return nil
}
