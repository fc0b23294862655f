package apply

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/graph"
)

// Live returns, for each of objs, the live object and what a server-side
// apply of it would make of it (a dry run, which also validates it), both
// cut down to the fields objs set: render's own fields, never the ones the
// controllers fill in or status. An object not in the cluster has a nil
// live entry and is applied as it is.
func (m *Manager) Live(ctx context.Context, objs []*unstructured.Unstructured) (live, applied []*unstructured.Unstructured, err error) {
	live = make([]*unstructured.Unstructured, len(objs))
	applied = make([]*unstructured.Unstructured, len(objs))
	errs := make([]error, len(objs))
	parallel(m.concurrency, len(objs), func(i int) {
		live[i], applied[i], errs[i] = m.liveOne(ctx, objs[i])
	})
	return live, applied, errors.Join(errs...)
}

// GetEach reads, all at once, the live state of each object of objs that
// want selects: out[i] is nil for one not selected or not in the cluster.
func (m *Manager) GetEach(ctx context.Context, objs []*unstructured.Unstructured, want func(*unstructured.Unstructured) bool) ([]*unstructured.Unstructured, error) {
	out := make([]*unstructured.Unstructured, len(objs))
	errs := make([]error, len(objs))
	parallel(m.concurrency, len(objs), func(i int) {
		u := objs[i]
		if !want(u) {
			return
		}
		live := &unstructured.Unstructured{}
		live.SetGroupVersionKind(u.GroupVersionKind())
		switch err := m.client.Get(ctx, client.ObjectKeyFromObject(u), live); {
		case apierrors.IsNotFound(err):
		case err != nil:
			errs[i] = fmt.Errorf("%s: %w", graph.NameOf(u), err)
		default:
			out[i] = live
		}
	})
	return out, errors.Join(errs...)
}

func (m *Manager) liveOne(ctx context.Context, u *unstructured.Unstructured) (live, applied *unstructured.Unstructured, err error) {
	cur := &unstructured.Unstructured{}
	cur.SetGroupVersionKind(u.GroupVersionKind())
	switch err := m.client.Get(ctx, client.ObjectKeyFromObject(u), cur); {
	case apierrors.IsNotFound(err):
		// Not there yet (perhaps nor its namespace, which a dry run would
		// need): it will be created as it is.
		return nil, u.DeepCopy(), nil
	case err != nil:
		return nil, nil, fmt.Errorf("%s: %w", graph.NameOf(u), err)
	}
	dry := u.DeepCopy()
	if err := m.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(dry), client.DryRunAll, client.ForceOwnership, client.FieldOwner(FieldManager)); err != nil {
		return nil, nil, fmt.Errorf("%s dry-run apply: %w", graph.NameOf(u), err)
	}
	applied = &unstructured.Unstructured{Object: project(dry.Object, u.Object).(map[string]any)}
	live = &unstructured.Unstructured{Object: project(cur.Object, u.Object).(map[string]any)}
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

// projectAll cuts the live objects among all down to the fields objs set,
// in objs' order; nil where an object does not exist.
func projectAll(all map[string]*unstructured.Unstructured, objs []*unstructured.Unstructured) []*unstructured.Unstructured {
	out := make([]*unstructured.Unstructured, len(objs))
	for i, u := range objs {
		if cur, ok := all[graph.NameOf(u)]; ok {
			out[i] = &unstructured.Unstructured{Object: project(cur.Object, u.Object).(map[string]any)}
		}
	}
	return out
}

// listLive returns the live objects among objs by Kind/namespace/name,
// listing each kind and namespace once, in parallel.
func (m *Manager) listLive(ctx context.Context, objs []*unstructured.Unstructured) (map[string]*unstructured.Unstructured, error) {
	type scope struct {
		gvk       schema.GroupVersionKind
		namespace string
	}
	var scopes []scope
	seen := map[scope]bool{}
	for _, u := range objs {
		if s := (scope{u.GroupVersionKind(), u.GetNamespace()}); !seen[s] {
			seen[s] = true
			scopes = append(scopes, s)
		}
	}
	lists := make([]*unstructured.UnstructuredList, len(scopes))
	errs := make([]error, len(scopes))
	parallel(m.concurrency, len(scopes), func(i int) {
		lists[i] = &unstructured.UnstructuredList{}
		lists[i].SetGroupVersionKind(scopes[i].gvk.GroupVersion().WithKind(scopes[i].gvk.Kind + "List"))
		if err := m.client.List(ctx, lists[i], client.InNamespace(scopes[i].namespace)); err != nil && !apierrors.IsNotFound(err) {
			errs[i] = fmt.Errorf("list %s in %q: %w", scopes[i].gvk.Kind, scopes[i].namespace, err)
		}
	})
	if err := firstOf(errs); err != nil {
		return nil, err
	}
	all := map[string]*unstructured.Unstructured{}
	for i, list := range lists {
		for j := range list.Items {
			item := &list.Items[j]
			all[graph.Name(scopes[i].gvk.Kind, item.GetNamespace(), item.GetName())] = item
		}
	}
	return all, nil
}

// firstOf returns the first error of errs, saying how many more there
// were: when the apiserver is down or the time is up every request fails
// alike, and one line says it.
func firstOf(errs []error) error {
	var first error
	n := 0
	for _, err := range errs {
		if err != nil {
			if first == nil {
				first = err
			}
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("%w (and %d more requests failed)", first, n-1)
	}
	return first
}

// Existing returns the live objects among objs, in objs' order.
func (m *Manager) Existing(ctx context.Context, objs []*unstructured.Unstructured) ([]*unstructured.Unstructured, error) {
	all, err := m.listLive(ctx, objs)
	if err != nil {
		return nil, err
	}
	var out []*unstructured.Unstructured
	for _, u := range objs {
		if cur, ok := all[graph.NameOf(u)]; ok {
			out = append(out, cur)
		}
	}
	return out, nil
}
