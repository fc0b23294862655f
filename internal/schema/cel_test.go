package schema

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// celCRD exercises CEL evaluation, which no embedded ACK kind needs: their
// only rules are transition rules (self == oldSelf) that never fire on create.
const celCRD = `apiVersion: apiextensions.k8s.io/v1
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
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            x-kubernetes-validations:
            - {rule: self.minSize <= self.maxSize, message: minSize must not exceed maxSize}
            properties:
              name:
                type: string
                x-kubernetes-validations:
                - {rule: self == oldSelf, message: Value is immutable once set}
              minSize: {type: integer}
              maxSize: {type: integer}
`

func TestCEL(t *testing.T) {
	s, err := load(fstest.MapFS{"crds/pool.yaml": {Data: []byte(celCRD)}})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	pool := `{apiVersion: example.com/v1, kind: Pool, metadata: {name: p, namespace: ns}, spec: {name: p, minSize: 1, maxSize: 3}}`
	tests := []struct {
		name  string
		edits map[string]any
		want  string // substring of the error, "" for none
	}{
		{"accepts an object that satisfies the rules and skips transition rules", nil, ""},
		{"rejects an object that breaks a rule", map[string]any{"spec.minSize": int64(5)},
			"Pool/ns/p: spec: Invalid value: minSize must not exceed maxSize"},
		{"skips the rules after a type error", map[string]any{"spec.minSize": "five"},
			"Pool/ns/p: x-kubernetes-validations rules were not checked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Validate(object(t, pool, tt.edits))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	t.Run("lists the transition rule as immutable", func(t *testing.T) {
		if diff := cmp.Diff([]string{"spec.name"}, s.Immutable(schema.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Pool"})); diff != "" {
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
			_, err := load(fstest.MapFS{"crds/bad.yaml": {Data: []byte(tt.data)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
