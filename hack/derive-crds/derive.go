package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// displaySrc is the source location written into headers. It is fixed, not
// taken from -src, so that output never depends on where the tool ran.
const displaySrc = "../shared"

// derive returns the derived form of one source CRD: the same document with
// every schema description removed, marshalled with sorted keys and prefixed
// with an attribution header.
func derive(data []byte, f sourceFile, o origin) ([]byte, error) {
	crd, err := decode(data)
	if err != nil {
		return nil, err
	}
	if err := stripCRD(crd); err != nil {
		return nil, err
	}
	body, err := yaml.Marshal(crd)
	if err != nil {
		return nil, fmt.Errorf("marshal: %w", err)
	}
	return append([]byte(header(f, o)), body...), nil
}

// decode parses one YAML document into generic JSON values, keeping numbers
// as json.Number so that no integer loses precision on the way back out.
func decode(data []byte) (map[string]any, error) {
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("parse yaml: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var crd map[string]any
	if err := dec.Decode(&crd); err != nil {
		return nil, fmt.Errorf("parse yaml: %w", err)
	}
	if crd["kind"] != "CustomResourceDefinition" {
		return nil, fmt.Errorf("kind is %v, want CustomResourceDefinition", crd["kind"])
	}
	return crd, nil
}

// stripCRD removes descriptions from the openAPIV3Schema of every version.
func stripCRD(crd map[string]any) error {
	spec, _ := crd["spec"].(map[string]any)
	versions, _ := spec["versions"].([]any)
	if len(versions) == 0 {
		return errors.New("spec.versions is empty")
	}
	for i, v := range versions {
		ver, _ := v.(map[string]any)
		sch, _ := ver["schema"].(map[string]any)
		root, ok := sch["openAPIV3Schema"].(map[string]any)
		if !ok {
			return fmt.Errorf("spec.versions[%d].schema.openAPIV3Schema is missing", i)
		}
		stripSchema(root)
	}
	return nil
}

// stripSchema deletes the description of a schema node and of every schema
// nested in it. Keys under properties are field names, not schema keywords,
// so a property called "description" survives.
func stripSchema(node map[string]any) {
	delete(node, "description")
	for _, key := range []string{"items", "additionalProperties", "additionalItems", "not"} {
		stripAny(node[key])
	}
	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		stripAny(node[key])
	}
	for _, key := range []string{"properties", "patternProperties", "definitions", "dependencies"} {
		named, _ := node[key].(map[string]any)
		for _, child := range named {
			stripAny(child)
		}
	}
}

// stripAny strips a value that is a schema, a list of schemas, or neither
// (additionalProperties may be a bool, dependencies a string list).
func stripAny(v any) {
	switch v := v.(type) {
	case map[string]any:
		stripSchema(v)
	case []any:
		for _, item := range v {
			if m, ok := item.(map[string]any); ok {
				stripSchema(m)
			}
		}
	}
}

// header returns the comment block that opens every derived file.
func header(f sourceFile, o origin) string {
	target := f.target
	if target == "" {
		target = "crds"
	}
	lines := []string{
		"Derived by `make " + target + "` (hack/derive-crds) from " + displaySrc + "/" + f.set + "/" + f.rel(),
		"with every schema description stripped. Do not edit by hand.",
		"Upstream: " + o.repo + " at tag " + o.tag,
	}
	if o.note != "" {
		lines = append(lines, "("+o.note+").")
	}
	if o.copyright != "" {
		lines = append(lines, o.copyright)
	}
	// The set's attribution file sits at the root of its destination directory.
	attribution := f.attribution
	if attribution == "" {
		attribution = "README.md"
	}
	readme := strings.Repeat("../", strings.Count(f.out(), "/")) + attribution
	lines = append(lines, "Licensed under the Apache License, Version 2.0; see "+readme+" for attribution.")
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("# " + l + "\n")
	}
	return b.String()
}
