package gen

import (
	"bytes"
	"encoding/json"
	"fmt"

	"sigs.k8s.io/yaml"
)

// toMap turns a typed object into its generic form. This and encode are the
// only serialization: every object is marshalled from its struct once.
func toMap(obj any) (map[string]any, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("marshal %T: %w", obj, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decode %T: %w", obj, err)
	}
	// Typed Kubernetes objects carry empty status (and Namespace an empty
	// spec); they are noise in a manifest.
	delete(m, "status")
	if spec, ok := m["spec"].(map[string]any); ok && len(spec) == 0 {
		delete(m, "spec")
	}
	return m, nil
}

// encode writes one YAML document: keys sorted, after the header comment.
func encode(header string, v any) ([]byte, error) {
	b, err := yaml.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append([]byte(header), b...), nil
}

// id names an object as Kind/name (namespace comes from the overlay).
func id(m map[string]any) string {
	meta, _ := m["metadata"].(map[string]any)
	return fmt.Sprintf("%s/%s", m["kind"], meta["name"])
}
