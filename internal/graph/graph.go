package graph

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
)

// Graph holds a set of objects and, for each, the objects of the set it
// depends on.
type Graph struct {
	objs []*unstructured.Unstructured
	deps map[int][]int // index -> indexes it depends on
}

// key identifies an object by group, kind, namespace and name.
type key struct{ group, kind, namespace, name string }

func keyOf(u *unstructured.Unstructured) key {
	return key{u.GroupVersionKind().Group, u.GetKind(), u.GetNamespace(), u.GetName()}
}

// New builds the graph of objs. A reference to an object outside the set is
// not an edge: it may already exist in the cluster.
func New(objs []*unstructured.Unstructured) *Graph {
	g := &Graph{objs: objs, deps: map[int][]int{}}
	index := make(map[key]int, len(objs))
	for i, u := range objs {
		index[keyOf(u)] = i
	}
	for i, u := range objs {
		seen := map[int]bool{}
		add := func(k key) {
			if j, ok := index[k]; ok && j != i && !seen[j] {
				seen[j] = true
				g.deps[i] = append(g.deps[i], j)
			}
		}
		if ns := u.GetNamespace(); ns != "" {
			add(key{"", "Namespace", "", ns})
		}
		for _, target := range references(u) {
			add(target)
		}
		for _, j := range ordered(u, objs) {
			add(keyOf(objs[j]))
		}
		sort.Ints(g.deps[i])
	}
	return g
}

// DependsOn returns the objects of the set that u depends on.
func (g *Graph) DependsOn(u *unstructured.Unstructured) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for i, o := range g.objs {
		if keyOf(o) == keyOf(u) {
			for _, j := range g.deps[i] {
				out = append(out, g.objs[j])
			}
		}
	}
	return out
}

// Levels sorts the objects into levels: level 0 depends on nothing in the
// set, level n only on levels below n. Within a level objects are sorted by
// kind, namespace and name. A cycle is an error naming the objects on it.
func (g *Graph) Levels() ([][]*unstructured.Unstructured, error) {
	level := make([]int, len(g.objs))
	state := make([]int, len(g.objs)) // 0 new, 1 visiting, 2 done
	var visit func(i int, path []int) error
	visit = func(i int, path []int) error {
		switch state[i] {
		case 1:
			return g.cycle(append(path, i))
		case 2:
			return nil
		}
		state[i] = 1
		for _, j := range g.deps[i] {
			if err := visit(j, append(path, i)); err != nil {
				return err
			}
			level[i] = max(level[i], level[j]+1)
		}
		state[i] = 2
		return nil
	}
	for i := range g.objs {
		if err := visit(i, nil); err != nil {
			return nil, err
		}
	}
	return g.group(level), nil
}

func (g *Graph) group(level []int) [][]*unstructured.Unstructured {
	var out [][]*unstructured.Unstructured
	for i, l := range level {
		for len(out) <= l {
			out = append(out, nil)
		}
		out[l] = append(out[l], g.objs[i])
	}
	for _, objs := range out {
		sort.Slice(objs, func(a, b int) bool { return sortKey(objs[a]) < sortKey(objs[b]) })
	}
	return out
}

func sortKey(u *unstructured.Unstructured) string {
	return u.GetKind() + "\x00" + u.GetNamespace() + "\x00" + u.GetName()
}

func (g *Graph) cycle(path []int) error {
	last := path[len(path)-1]
	start := 0
	for n, i := range path {
		if i == last {
			start = n
			break
		}
	}
	names := make([]string, 0, len(path)-start)
	for _, i := range path[start:] {
		names = append(names, NameOf(g.objs[i]))
	}
	return fmt.Errorf("dependency cycle: %s", strings.Join(names, " -> "))
}

// Ref is one reference of an object: the reference field's path (as in
// ack.RefFields) and the object it names, as Name gives it.
type Ref struct {
	Path   string
	Target string
}

// RefsOf returns u's references through its ACK reference fields, in the
// order of ack.RefFields.
func RefsOf(u *unstructured.Unstructured) []Ref {
	var out []Ref
	eachRef(u, func(path string, k key) {
		out = append(out, Ref{Path: path, Target: Name(k.kind, k.namespace, k.name)})
	})
	return out
}

// references returns the objects u refers to through its ACK reference
// fields.
func references(u *unstructured.Unstructured) []key {
	var out []key
	eachRef(u, func(_ string, k key) { out = append(out, k) })
	return out
}

// eachRef calls fn with the path of each reference field u sets and the
// object it names, in u's namespace unless the reference names another.
func eachRef(u *unstructured.Unstructured, fn func(path string, target key)) {
	gvk := u.GroupVersionKind()
	for _, f := range ack.RefFields {
		if f.Group != gvk.Group || f.Kind != gvk.Kind {
			continue
		}
		visit(u.Object, strings.Split(f.Path, "."), func(ref map[string]any) {
			from, _ := ref["from"].(map[string]any)
			name, _ := from["name"].(string)
			ns, _ := from["namespace"].(string)
			if ns == "" {
				ns = u.GetNamespace()
			}
			if name != "" {
				fn(f.Path, key{f.TargetGroup, f.TargetKind, ns, name})
			}
		})
	}
}

// visit calls fn with each reference object found at the path segments
// ("routes[]" walks a list).
func visit(v any, segs []string, fn func(ref map[string]any)) {
	m, ok := v.(map[string]any)
	if !ok || len(segs) == 0 {
		return
	}
	name, list := strings.CutSuffix(segs[0], "[]")
	child, ok := m[name]
	if !ok {
		return
	}
	items := []any{child}
	if list {
		items, _ = child.([]any)
	}
	for _, item := range items {
		if len(segs) == 1 {
			if ref, ok := item.(map[string]any); ok {
				fn(ref)
			}
			continue
		}
		visit(item, segs[1:], fn)
	}
}
