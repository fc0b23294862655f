package diff

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

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
