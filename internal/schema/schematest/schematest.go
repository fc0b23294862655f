package schematest

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime/schema"

	rschema "github.com/eks-render/render/internal/schema"
)

// Set is a schema.Set (Has, RefPaths, Immutable and CRDs answer as its)
// with a validator compiled for each served version of its CRDs. A Set is
// read-only after New and safe for concurrent use.
type Set struct {
	*rschema.Set
	kinds map[schema.GroupVersionKind]*kind
}

// Load is New of schema.Load: the embedded ACK and load balancer
// controller CRDs.
func Load() (*Set, error) {
	s, err := rschema.Load()
	if err != nil {
		return nil, err
	}
	return New(s)
}

// LoadGitOps is New of schema.LoadGitOps: the Flux and Argo CD CRDs.
func LoadGitOps() (*Set, error) {
	s, err := rschema.LoadGitOps()
	if err != nil {
		return nil, err
	}
	return New(s)
}

// New compiles a validator for each served version of s's CRDs the way
// the apiserver's CRD handler does. Errors name the CRD and version.
func New(s *rschema.Set) (*Set, error) {
	out := &Set{Set: s, kinds: map[schema.GroupVersionKind]*kind{}}
	for _, crd := range s.CRDs() {
		for _, v := range crd.Spec.Versions {
			if !v.Served {
				continue
			}
			k, err := compile(crd, v)
			if err != nil {
				return nil, fmt.Errorf("crd %s version %s: %w", crd.Name, v.Name, err)
			}
			out.kinds[schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}] = k
		}
	}
	return out, nil
}
