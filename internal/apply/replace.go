package apply

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/graph"
)

// Fixed reports whether a field of a kind (a path in the notation of
// ack.RefFields, "[]" after a list) cannot change once the object exists:
// CEL-immutable in the CRD, or create-only for the controller.
type Fixed func(gvk schema.GroupVersionKind, path string) bool

// Recreation returns what recreating the objects named in replace takes:
// they and, transitively, every object of objs that points at one of them
// through a reference field that is itself fixed (a NAT gateway's subnet, a
// Fargate profile's subnets): the new AWS resource has a new ID the old
// dependent could not follow, and AWS will not delete a subnet a NAT
// gateway is in. A dependent whose reference can change (a route to a NAT
// gateway) is updated by its controller instead. Sorted by name; a name not
// among objs is an error.
func Recreation(objs []*unstructured.Unstructured, replace []string, fixed Fixed) ([]*unstructured.Unstructured, error) {
	byName := map[string]*unstructured.Unstructured{}
	for _, u := range objs {
		byName[graph.NameOf(u)] = u
	}
	in := map[string]bool{}
	for _, name := range replace {
		if byName[name] == nil {
			return nil, fmt.Errorf("%s is to be recreated but is not among the objects applied", name)
		}
		in[name] = true
	}
	for changed := true; changed; {
		changed = false
		for _, u := range objs {
			if in[graph.NameOf(u)] {
				continue
			}
			for _, r := range graph.RefsOf(u) {
				if in[r.Target] && fixed(u.GroupVersionKind(), r.Path) {
					in[graph.NameOf(u)] = true
					changed = true
					break
				}
			}
		}
	}
	out := make([]*unstructured.Unstructured, 0, len(in))
	for name := range in {
		out = append(out, byName[name])
	}
	sort.Slice(out, func(a, b int) bool { return graph.NameOf(out[a]) < graph.NameOf(out[b]) })
	return out, nil
}

// recreate deletes the live objects named in replace and those that depend
// on them, in reverse dependency order, waiting for each step to be gone
// (the AWS resources deleted), so that the levels that follow create them
// again. An object whose AWS resource would be retained is refused: the
// new object would collide with, or silently adopt, the old resource.
func (m *Manager) recreate(ctx context.Context, objs []*unstructured.Unstructured, live map[string]*unstructured.Unstructured, replace []string, opts ApplyOptions, res *Result, versions map[string]version) error {
	all, err := Recreation(objs, replace, opts.Fixed)
	if err != nil {
		return err
	}
	var gone, retained []*unstructured.Unstructured
	var names []string
	for _, u := range all {
		cur, ok := live[graph.NameOf(u)]
		if !ok {
			continue
		}
		if Retained(cur) {
			retained = append(retained, cur)
		}
		gone = append(gone, cur)
		names = append(names, graph.NameOf(u))
	}
	if len(retained) > 0 {
		var lines []string
		for _, u := range retained {
			lines = append(lines, graph.NameOf(u))
		}
		return fmt.Errorf("cannot recreate objects whose AWS resources are retained (services.k8s.aws/deletion-policy: retain); "+
			"delete those AWS resources yourself, or render them with deletionPolicy: delete first:\n  %s", strings.Join(lines, "\n  "))
	}
	fmt.Fprintf(m.progress, "recreating %d objects (deleted first, then applied in order):\n  %s\n", len(names), strings.Join(names, "\n  "))
	res.setRecreating(names)
	if _, err := m.Delete(ctx, gone, DeleteOptions{Wait: true, Timeout: opts.Timeout, Interval: opts.Interval}); err != nil {
		return fmt.Errorf("recreate: %w", err)
	}
	for _, name := range names {
		delete(versions, name)
	}
	return nil
}
