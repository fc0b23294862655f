package schema

import (
	"slices"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

// props is one property schema of a CRD, as written in the CRD (v1 types):
// the facts below are read from the properties, list items and
// x-kubernetes-validations that a structural schema keeps as they are, so
// no structural schema (and none of the apiserver's packages) is needed.
type props = apiextensionsv1.JSONSchemaProps

// visitFunc is called for every property with its path; returning false
// stops the walk from descending into that property.
type visitFunc func(path, name string, s *props) bool

// walk visits the properties of s in name order, descending into list items
// (path suffix "[]"). Map values (additionalProperties) are not descended
// into: none of the embedded kinds has a reference or a CEL rule below a map.
func walk(prefix string, s *props, visit visitFunc) {
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
func walkValue(p string, s *props, visit visitFunc) {
	for items(s) != nil {
		p += "[]"
		s = items(s)
	}
	walk(p, s, visit)
}

// items is the schema of s's list items, or nil. A structural schema (which
// the apiserver requires of a CRD, and schematest checks of every embedded
// one) has a single items schema, never a tuple.
func items(s *props) *props {
	if s == nil || s.Items == nil {
		return nil
	}
	return s.Items.Schema
}

// refPaths returns the sorted paths of the ACK reference fields of s.
func refPaths(s *props) []string {
	var out []string
	walk("", s, func(p, name string, child *props) bool {
		if !strings.HasSuffix(name, "Ref") && !strings.HasSuffix(name, "Refs") {
			return true
		}
		if isRefWrapper(child) {
			out = append(out, p)
			return false
		}
		if isRefWrapper(items(child)) {
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
func isRefWrapper(s *props) bool {
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
// `self == oldSelf` (compared without whitespace) in their
// x-kubernetes-validations: the rule is read as a string, never compiled.
func immutablePaths(s *props) []string {
	var out []string
	walk("", s, func(p, _ string, child *props) bool {
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
