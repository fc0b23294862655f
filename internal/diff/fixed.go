package diff

import (
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/schema"
)

// ChangedPaths returns, sorted, the paths of the leaves that differ
// between a and b, with "[]" for list elements (schema.Set.Immutable's
// notation).
func ChangedPaths(a, b *unstructured.Unstructured) []string {
	return changedPaths(a.Object, b.Object)
}

// Fixed returns, sorted by path, the fields that differ between what
// exists (a) and what render wants (b) and that AWS will not change in
// place: CEL-immutable in the CRD, or create-only for the controller. It
// is what render diff warns about, for render import's conflicts.
func Fixed(a, b *unstructured.Unstructured, s *schema.Set) []Warning {
	return warnings(a, b, s)
}

// FixedPath reports whether the field at path (ack.RefFields' notation,
// "[]" after a list) of gvk cannot change once set: CEL-immutable in the
// CRD, or create-only for the controller, itself or a field containing it.
func FixedPath(s *schema.Set, gvk k8sschema.GroupVersionKind, path string) bool {
	p := strings.ReplaceAll(path, "[]", "")
	for _, f := range append(s.Immutable(gvk), CreateOnly(gvk.GroupKind())...) {
		f = strings.ReplaceAll(f, "[]", "")
		if p == f || strings.HasPrefix(p, f+".") {
			return true
		}
	}
	return false
}
