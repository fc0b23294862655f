package diff

import (
	"slices"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/ack"
)

// crdSpec returns the spec schema of gk's first served version.
func crdSpec(t *testing.T, crds []*apiextensionsv1.CustomResourceDefinition, gk schema.GroupKind) (string, apiextensionsv1.JSONSchemaProps) {
	t.Helper()
	for _, crd := range crds {
		if crd.Spec.Group != gk.Group || crd.Spec.Names.Kind != gk.Kind {
			continue
		}
		for _, v := range crd.Spec.Versions {
			if v.Served && v.Schema != nil && v.Schema.OpenAPIV3Schema != nil {
				return v.Name, v.Schema.OpenAPIV3Schema.Properties["spec"]
			}
		}
	}
	t.Fatalf("no CRD for %v", gk)
	return "", apiextensionsv1.JSONSchemaProps{}
}

func TestCreateOnlyTable(t *testing.T) {
	s := loadSchema(t)
	crds := s.CRDs()
	for gk, paths := range createOnly {
		version, spec := crdSpec(t, crds, gk)
		immutable := s.Immutable(gk.WithVersion(version))
		t.Run(gk.Kind+" is sorted", func(t *testing.T) {
			if !slices.IsSorted(paths) {
				t.Errorf("%v", paths)
			}
		})
		for _, p := range paths {
			t.Run(gk.Kind+" "+p+" is not also CEL-immutable", func(t *testing.T) {
				if slices.Contains(immutable, p) {
					t.Errorf("%s %s is in schema.Immutable %v and in the create-only table", gk.Kind, p, immutable)
				}
			})
			t.Run(gk.Kind+" "+p+" exists in the CRD", func(t *testing.T) {
				if _, ok := spec.Properties[p[len("spec."):]]; !ok {
					t.Errorf("%s has no field %s", gk.Kind, p)
				}
			})
		}
	}
}

func TestFargateProfileCreateOnlyCoversSpec(t *testing.T) {
	s := loadSchema(t)
	gk := schema.GroupKind{Group: ack.EKSGroup, Kind: "FargateProfile"}
	_, spec := crdSpec(t, s.CRDs(), gk)
	for field := range spec.Properties {
		if field != "tags" && !slices.Contains(createOnly[gk], "spec."+field) {
			t.Errorf("FargateProfile spec.%s is missing from the create-only table", field)
		}
	}
}

func TestWarnings(t *testing.T) {
	s := loadSchema(t)
	ng := func(instanceType string, extra map[string]any) map[string]any {
		spec := map[string]any{"name": "system", "instanceTypes": []any{instanceType}, "capacityType": "ON_DEMAND"}
		for k, v := range extra {
			spec[k] = v
		}
		return map[string]any{"apiVersion": "eks.services.k8s.aws/v1alpha1", "kind": "Nodegroup",
			"metadata": map[string]any{"name": "system", "namespace": "demo-prod"}, "spec": spec}
	}
	tests := []struct {
		name string
		a, b map[string]any
		want []Warning
	}{
		{"flags a changed immutable list", ng("m6i.large", nil), ng("m7i.large", nil),
			[]Warning{{ReplaceReason, "Nodegroup/demo-prod/system", "spec.instanceTypes"}}},
		{"flags a changed create-only field", ng("m6i.large", nil), ng("m6i.large", map[string]any{"capacityType": "SPOT"}),
			[]Warning{{IgnoredReason, "Nodegroup/demo-prod/system", "spec.capacityType"}}},
		{"does not flag setting an unset immutable field", ng("m6i.large", nil), ng("m6i.large", map[string]any{"diskSize": int64(20)}), nil},
		{"does not flag updatable fields", ng("m6i.large", nil), ng("m6i.large", map[string]any{"labels": map[string]any{"a": "b"}}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := unstructuredOf(tt.a), unstructuredOf(tt.b)
			if d := gocmpDiff(tt.want, warnings(a, b, s)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
