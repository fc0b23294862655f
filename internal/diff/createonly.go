package diff

import (
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/ack"
)

// createOnly is ack.CreateOnly: the create-only spec fields per kind.
var createOnly = ack.CreateOnly

// CreateOnly returns the create-only spec paths of gk, sorted, in the
// notation of schema.Set.Immutable; nil for a kind without any.
func CreateOnly(gk schema.GroupKind) []string {
	return append([]string(nil), createOnly[gk]...)
}
