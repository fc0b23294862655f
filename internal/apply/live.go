package apply

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/graph"
)

// Live returns, for each of objs, the live object and what a server-side
// apply of it would make of it (a dry run, which also validates it), both
// cut down to the fields objs set: render's own fields, never the ones the
// controllers fill in or status. An object not in the cluster has a nil
// live entry.
func (m *Manager) Live(ctx context.Context, objs []*unstructured.Unstructured) (live, applied []*unstructured.Unstructured, err error) {
	live = make([]*unstructured.Unstructured, len(objs))
	applied = make([]*unstructured.Unstructured, len(objs))
	errs := make([]error, len(objs))
	parallel(m.concurrency, len(objs), func(i int) {
		live[i], applied[i], errs[i] = m.liveOne(ctx, objs[i])
	})
	return live, applied, errors.Join(errs...)
}

func (m *Manager) liveOne(ctx context.Context, u *unstructured.Unstructured) (live, applied *unstructured.Unstructured, err error) {
	cur := &unstructured.Unstructured{}
	cur.SetGroupVersionKind(u.GroupVersionKind())
	switch err := m.client.Get(ctx, client.ObjectKeyFromObject(u), cur); {
	case apierrors.IsNotFound(err):
		cur = nil
	case err != nil:
		return nil, nil, fmt.Errorf("%s: %w", graph.NameOf(u), err)
	}
	dry := u.DeepCopy()
	if err := m.client.Patch(ctx, dry, client.Apply, client.DryRunAll, client.ForceOwnership, client.FieldOwner(FieldManager)); err != nil {
		return nil, nil, fmt.Errorf("%s dry-run apply: %w", graph.NameOf(u), err)
	}
	applied = &unstructured.Unstructured{Object: project(dry.Object, u.Object).(map[string]any)}
	if cur != nil {
		live = &unstructured.Unstructured{Object: project(cur.Object, u.Object).(map[string]any)}
	}
	return live, applied, nil
}

// project keeps of v what shape has: for maps the keys shape has,
// recursively; any other value whole.
func project(v, shape any) any {
	vm, ok := v.(map[string]any)
	sm, sok := shape.(map[string]any)
	if !ok || !sok {
		return v
	}
	out := make(map[string]any, len(sm))
	for k, s := range sm {
		if c, ok := vm[k]; ok {
			out[k] = project(c, s)
		}
	}
	return out
}
