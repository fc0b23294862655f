package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"

	"go.yaml.in/yaml/v2"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/yamlemit"
)

// toMap turns a typed object into its generic form. This and encode are the
// only serialization: every object is marshalled from its struct once.
func toMap(obj any) (map[string]any, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("marshal %T: %w", obj, err)
	}
	m, ok := decodeGeneric(b)
	if !ok {
		if m, err = decodeJSON(b); err != nil {
			return nil, fmt.Errorf("decode %T: %w", obj, err)
		}
	}
	// Typed Kubernetes objects carry empty status (and Namespace an empty
	// spec); they are noise in a manifest.
	delete(m, "status")
	if spec, ok := m["spec"].(map[string]any); ok && len(spec) == 0 {
		delete(m, "spec")
	}
	return m, nil
}

// decodeJSON is decodeGeneric by encoding/json: the Decoder with
// UseNumber, then numbers.
func decodeJSON(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	numbers(m)
	return m, nil
}

// numbers replaces the json.Numbers in v with int64 (or float64) values.
func numbers(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			v[k] = numbers(c)
		}
	case []any:
		for i, c := range v {
			v[i] = numbers(c)
		}
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	}
	return v
}

// encode writes one YAML document after the header comment: the generic
// form of v, keys sorted, in the style of sigs.k8s.io/yaml (which takes the
// same path through go.yaml.in/yaml/v2, by way of a JSON round trip that
// toMap has already made). yamlemit writes yaml.v2's bytes without its
// cost; what yamlemit does not reproduce, yaml.v2 writes.
func encode(header string, v any) ([]byte, error) {
	m, ok := v.(map[string]any)
	if !ok {
		var err error
		if m, err = toMap(v); err != nil {
			return nil, err
		}
	}
	if b, ok := yamlemit.Append(append(make([]byte, 0, 2048), header...), m); ok {
		return b, nil
	}
	return encodeYAMLv2(header, m)
}

// encodeYAMLv2 is encode with yaml.v2 alone.
func encodeYAMLv2(header string, m map[string]any) ([]byte, error) {
	b, err := yaml.Marshal(m)
	if err != nil {
		return nil, err
	}
	return append([]byte(header), b...), nil
}

// EncodeFile serializes v (a typed object or its generic form) as a file
// render gen writes from cfg: the header, then the one YAML document. It is
// how other packages (the GitOps objects of render gen --gitops) write files
// the way the tree's are written.
func EncodeFile(cfg *config.Config, v any) ([]byte, error) {
	return encode(Header(path.Base(cfg.File)), v)
}

// id names an object as Kind/name (namespace comes from the overlay).
func id(m map[string]any) string {
	meta, _ := m["metadata"].(map[string]any)
	return fmt.Sprintf("%s/%s", m["kind"], meta["name"])
}
