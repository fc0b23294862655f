package schema

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// poolCRD has a transition rule (self == oldSelf) and a rule that is not
// one, which must not count as immutable.
const poolCRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: pools.example.com}
spec:
  group: example.com
  names: {kind: Pool, listKind: PoolList, plural: pools, singular: pool}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - {rule: self.minSize <= self.maxSize, message: minSize must not exceed maxSize}
            properties:
              name:
                type: string
                x-kubernetes-validations:
                - {rule: self == oldSelf, message: Value is immutable once set}
              zones:
                type: array
                items:
                  type: object
                  properties:
                    id:
                      type: string
                      x-kubernetes-validations:
                      - {rule: " self  ==  oldSelf ", message: spaces do not matter}
              minSize: {type: integer}
              maxSize: {type: integer}
`

func TestLoadFS(t *testing.T) {
	s, err := LoadFS(fstest.MapFS{"crds/pool.yaml": {Data: []byte(poolCRD)}})
	if err != nil {
		t.Fatalf("LoadFS: %v", err)
	}
	t.Run("lists transition rules as immutable, also inside lists", func(t *testing.T) {
		want := []string{"spec.name", "spec.zones[].id"}
		if diff := cmp.Diff(want, s.Immutable(schema.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Pool"})); diff != "" {
			t.Errorf("Immutable (-want +got):\n%s", diff)
		}
	})
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"a file that is not yaml", "kind: [", "parse crd crds/bad.yaml"},
		{"an unknown CRD field", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: {groop: x}", "parse crd crds/bad.yaml"},
		{"a version without schema", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: {group: x, names: {kind: X}, versions: [{name: v1, served: true}]}",
			"crd crds/bad.yaml version v1: no openAPIV3Schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(fstest.MapFS{"crds/bad.yaml": {Data: []byte(tt.data)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
