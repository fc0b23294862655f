package schema

import (
	"slices"
	"strings"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
)

// visitFunc is called for every property with its path; returning false
// stops the walk from descending into that property.
type visitFunc func(path, name string, s *structuralschema.Structural) bool

// walk visits the properties of s in name order, descending into list items
// (path suffix "[]"). Map values (additionalProperties) are not descended
// into: none of the embedded kinds has a reference or a CEL rule below a map.
func walk(prefix string, s *structuralschema.Structural, visit visitFunc) {
	if s == nil {
		return
	}
	for _, name := range sortedKeys(s.Properties) {
		child := s.Properties[name]
		p := joinPath(prefix, name)
		if !visit(p, name, &child) {
			continue
		}
		walkValue(p, &child, visit)
	}
}

// walkValue descends into a property's own schema, through any list nesting.
func walkValue(p string, s *structuralschema.Structural, visit visitFunc) {
	for s.Items != nil {
		p += "[]"
		s = s.Items
	}
	walk(p, s, visit)
}

// refPaths returns the sorted paths of the ACK reference fields of s.
func refPaths(s *structuralschema.Structural) []string {
	var out []string
	walk("", s, func(p, name string, child *structuralschema.Structural) bool {
		if !strings.HasSuffix(name, "Ref") && !strings.HasSuffix(name, "Refs") {
			return true
		}
		if isRefWrapper(child) {
			out = append(out, p)
			return false
		}
		if child.Items != nil && isRefWrapper(child.Items) {
			out = append(out, p+"[]")
			return false
		}
		return true
	})
	slices.Sort(out)
	return out
}

// isRefWrapper reports whether s is an ACK AWSResourceReferenceWrapper:
// an object whose "from" object has a "name" property.
func isRefWrapper(s *structuralschema.Structural) bool {
	if s == nil || s.Type != "object" {
		return false
	}
	from, ok := s.Properties["from"]
	if !ok || from.Type != "object" {
		return false
	}
	_, ok = from.Properties["name"]
	return ok
}

// immutablePaths returns the sorted paths of properties with the CEL rule
// `self == oldSelf` (compared without whitespace).
func immutablePaths(s *structuralschema.Structural) []string {
	var out []string
	walk("", s, func(p, _ string, child *structuralschema.Structural) bool {
		for _, rule := range child.XValidations {
			if strings.Join(strings.Fields(rule.Rule), "") == "self==oldSelf" {
				out = append(out, p)
				break
			}
		}
		return true
	})
	slices.Sort(out)
	return out
}

// joinPath appends a field name to a dotted path.
func joinPath(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
