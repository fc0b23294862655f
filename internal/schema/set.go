package schema

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

// embedded holds the derived CRDs; it is read-only.
//
//go:embed crds
var embedded embed.FS

// Set holds the embedded CRDs and the facts read from each served version.
// A Set is read-only after Load and safe for concurrent use.
type Set struct {
	crds  []*apiextensionsv1.CustomResourceDefinition
	kinds map[schema.GroupVersionKind]*kind
}

// kind is what Set knows of one served version of a CRD: precomputed,
// sorted answers for RefPaths and Immutable.
type kind struct {
	refPaths, immutable []string
}

// Load parses all embedded CRDs and reads the facts of each served
// version. It compiles nothing: validating objects against the CRDs (CEL,
// the structural schema) is schematest's, which only tests import, so that
// the render binary links none of the apiserver's validation packages.
// Errors name the file that failed.
func Load() (*Set, error) {
	return LoadFS(embedded)
}

// LoadFS reads every *.yaml file of fsys as a CRD, like Load does for the
// embedded ones; tests use it for CRDs of their own.
func LoadFS(fsys fs.FS) (*Set, error) {
	s := &Set{kinds: map[schema.GroupVersionKind]*kind{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".yaml" {
			return err
		}
		return s.add(fsys, p)
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(s.crds, func(a, b *apiextensionsv1.CustomResourceDefinition) int {
		return strings.Compare(a.Name, b.Name)
	})
	return s, nil
}

// add parses one CRD file and reads the facts of its served versions.
func (s *Set) add(fsys fs.FS, file string) error {
	crd, err := parse(fsys, file)
	if err != nil {
		return err
	}
	for _, v := range crd.Spec.Versions {
		if !v.Served {
			continue
		}
		gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}
		if _, dup := s.kinds[gvk]; dup {
			return fmt.Errorf("crd %s: %s is defined twice", file, gvk)
		}
		if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
			return fmt.Errorf("crd %s version %s: no openAPIV3Schema", file, v.Name)
		}
		root := v.Schema.OpenAPIV3Schema
		s.kinds[gvk] = &kind{refPaths: refPaths(root), immutable: immutablePaths(root)}
	}
	s.crds = append(s.crds, crd)
	return nil
}

// parse reads one CRD file strictly.
func parse(fsys fs.FS, file string) (*apiextensionsv1.CustomResourceDefinition, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("read crd %s: %w", file, err)
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(data, crd); err != nil {
		return nil, fmt.Errorf("parse crd %s: %w", file, err)
	}
	return crd, nil
}

// ALBDir is the directory of the embedded crds/ that holds the AWS Load
// Balancer Controller's CRDs.
const ALBDir = "alb"

// ReadCRDs returns the CRDs embedded under crds/<dir> (such as ALBDir),
// sorted by name: parsed strictly, for a caller that installs them rather
// than asks about their fields.
func ReadCRDs(dir string) ([]*apiextensionsv1.CustomResourceDefinition, error) {
	sub, err := fs.Sub(embedded, path.Join("crds", dir))
	if err != nil {
		return nil, fmt.Errorf("crds %s: %w", dir, err)
	}
	files, err := fs.Glob(sub, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("crds %s: %w", dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("crds %s: no CRDs embedded", dir)
	}
	out := make([]*apiextensionsv1.CustomResourceDefinition, 0, len(files))
	for _, f := range files {
		crd, err := parse(sub, f)
		if err != nil {
			return nil, err
		}
		out = append(out, crd)
	}
	slices.SortFunc(out, func(a, b *apiextensionsv1.CustomResourceDefinition) int {
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// CRDs returns deep copies of the embedded CRDs sorted by name, ready to be
// installed into an apiserver.
func (s *Set) CRDs() []*apiextensionsv1.CustomResourceDefinition {
	out := make([]*apiextensionsv1.CustomResourceDefinition, len(s.crds))
	for i, crd := range s.crds {
		out[i] = crd.DeepCopy()
	}
	return out
}

// Has reports whether a served version of an embedded CRD defines gvk.
func (s *Set) Has(gvk schema.GroupVersionKind) bool {
	_, ok := s.kinds[gvk]
	return ok
}

// RefPaths returns, sorted, the paths of every ACK reference field of gvk:
// properties named *Ref or *Refs whose schema is an object with from.name.
// Paths use "." between fields and "[]" after a list, e.g.
// "spec.routes[].gatewayRef" or "spec.subnetRefs[]". It returns nil for an
// unknown gvk.
func (s *Set) RefPaths(gvk schema.GroupVersionKind) []string {
	if k, ok := s.kinds[gvk]; ok {
		return slices.Clone(k.refPaths)
	}
	return nil
}

// Immutable returns, sorted and in the notation of RefPaths, the paths of
// gvk's fields that carry the CEL rule `self == oldSelf`: the apiserver
// rejects any change to them once set. It returns nil for an unknown gvk.
func (s *Set) Immutable(gvk schema.GroupVersionKind) []string {
	if k, ok := s.kinds[gvk]; ok {
		return slices.Clone(k.immutable)
	}
	return nil
}
