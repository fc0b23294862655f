package diff

import (
	"reflect"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/graph"
	"github.com/eks-render/render/internal/schema"
)

// Reason says why a changed field needs attention.
type Reason string

const (
	// ReplaceReason: the field is immutable (CEL); the apiserver rejects
	// the update and the object must be deleted and created again.
	ReplaceReason Reason = "REPLACE"
	// IgnoredReason: the field is create-only; the apiserver accepts the
	// update, the controller ignores it and still reports Synced.
	IgnoredReason Reason = "IGNORED BY ACK"
)

// String returns the reason as written in reports.
func (r Reason) String() string { return string(r) }

// Warning is a changed field of an object that AWS will not update in place.
type Warning struct {
	Reason Reason `json:"reason"`
	// Object is graph.Name of the object.
	Object string `json:"object"`
	// Path is the field, in the notation of schema.Set.Immutable.
	Path string `json:"path"`
}

// warnings returns, sorted by path, the immutable and create-only fields
// that differ between a and b. An immutable field counts only when set on
// both sides: a CEL transition rule is not evaluated when either is unset.
func warnings(a, b *unstructured.Unstructured, s *schema.Set) []Warning {
	changed := changedPaths(a.Object, b.Object)
	name := graph.NameOf(b)
	var out []Warning
	for _, p := range s.Immutable(b.GroupVersionKind()) {
		if touches(changed, p) && isSet(a.Object, p) && isSet(b.Object, p) {
			out = append(out, Warning{Reason: ReplaceReason, Object: name, Path: p})
		}
	}
	for _, p := range CreateOnly(b.GroupVersionKind().GroupKind()) {
		if touches(changed, p) {
			out = append(out, Warning{Reason: IgnoredReason, Object: name, Path: p})
		}
	}
	slices.SortFunc(out, func(x, y Warning) int { return strings.Compare(x.Path, y.Path) })
	return out
}

// touches reports whether a changed path is field p or lies inside it.
func touches(changed []string, p string) bool {
	for _, c := range changed {
		if c == p || strings.HasPrefix(c, p+".") || strings.HasPrefix(c, p+"[]") {
			return true
		}
	}
	return false
}

// isSet reports whether the field at p, up to its first list, is set.
func isSet(obj map[string]any, p string) bool {
	p, _, _ = strings.Cut(p, "[]")
	_, found, err := unstructured.NestedFieldNoCopy(obj, strings.Split(p, ".")...)
	return found && err == nil
}

// changedPaths returns, sorted, the paths of the leaves that differ between
// a and b, with "[]" for list elements (the notation of schema.Set.Immutable).
func changedPaths(a, b map[string]any) []string {
	var out []string
	walkChanged("", a, b, &out)
	slices.Sort(out)
	return slices.Compact(out)
}

func walkChanged(p string, a, b any, out *[]string) {
	am, aMap := a.(map[string]any)
	bm, bMap := b.(map[string]any)
	if (aMap || a == nil) && (bMap || b == nil) && (aMap || bMap) {
		for _, k := range unionKeys(am, bm) {
			walkChanged(join(p, k), am[k], bm[k], out)
		}
		return
	}
	al, aList := a.([]any)
	bl, bList := b.([]any)
	if (aList || a == nil) && (bList || b == nil) && (aList || bList) {
		for i := range max(len(al), len(bl)) {
			walkChanged(p+"[]", at(al, i), at(bl, i), out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, p)
	}
}

func at(l []any, i int) any {
	if i < len(l) {
		return l[i]
	}
	return nil
}

func unionKeys(a, b map[string]any) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}
