package schematest

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime/schema"

	rschema "github.com/eks-render/render/internal/schema"
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

// load is New of the CRDs in files (name: YAML).
func load(files map[string]string) (*Set, error) {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	s, err := rschema.LoadFS(fsys)
	if err != nil {
		return nil, err
	}
	return New(s)
}

func TestCEL(t *testing.T) {
	s, err := load(map[string]string{"crds/pool.yaml": celCRD})
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

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{"a schema that is not structural", `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: pools.example.com}
spec:
  group: example.com
  names: {kind: Pool, plural: pools}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {properties: {size: {type: integer}}}
`, "crd pools.example.com version v1: schema is not structural"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(map[string]string{"crds/bad.yaml": tt.data})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
