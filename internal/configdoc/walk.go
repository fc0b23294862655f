package configdoc

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Options say what the types alone do not: the fixed values of fields, and
// the defaults and allowed values of the fields below Spec.
type Options struct {
	// Consts are fields with one allowed value, by path from the root
	// (apiVersion, kind).
	Consts map[string]string
	// Spec is the type Enums and Defaults are relative to; its paths start
	// afresh wherever it appears (spec, environments.<name>).
	Spec reflect.Type
	// Enums are the allowed values by path below Spec (config.Enums).
	Enums map[string][]any
	// Defaults is the value of Spec an empty file gets (config.Defaults).
	Defaults any
}

// field is one row of the reference.
type field struct {
	path, typ, def, doc string
	enum                []any
}

// section is one struct type of the reference.
type section struct {
	name, doc string
	fields    []field
}

// walker visits a root type depth first, in declaration order, building
// the schema's $defs and the reference's sections at the same time.
type walker struct {
	comments Comments
	opts     Options
	defs     map[string]any
	sections []section
}

func (w *walker) schema(t reflect.Type, path string, def reflect.Value) map[string]any {
	if t.Kind() == reflect.Pointer {
		return w.schema(t.Elem(), path, deref(def))
	}
	switch t.Kind() {
	case reflect.Struct:
		if t == w.opts.Spec {
			path, def = "", reflect.ValueOf(w.opts.Defaults)
		}
		if _, ok := w.defs[t.Name()]; !ok {
			w.defs[t.Name()] = nil // mark before recursing
			w.defs[t.Name()] = w.object(t, path, def)
		}
		return map[string]any{"$ref": "#/$defs/" + t.Name()}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": w.schema(t.Elem(), path+"[]", reflect.Value{})}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": w.schema(t.Elem(), path, reflect.Value{})}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	}
	panic(fmt.Sprintf("configdoc: no schema for %s", t)) // the config types are ours: a new kind needs a case
}

func (w *walker) object(t reflect.Type, path string, def reflect.Value) map[string]any {
	props := map[string]any{}
	sec := section{name: t.Name(), doc: w.comments.types[t.Name()]}
	at := len(w.sections)
	w.sections = append(w.sections, sec) // preorder: a type before those it holds
	var required []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		p := join(path, name)
		var fdef reflect.Value
		if def.IsValid() {
			fdef = def.Field(i)
		}
		s := w.schema(f.Type, p, fdef)
		row := field{path: p, typ: typeName(f.Type), doc: w.comments.fields[t.Name()][f.Name]}
		if elem := structOf(f.Type); row.doc == "" && elem != nil {
			row.doc = w.comments.types[elem.Name()]
		}
		if row.doc != "" {
			s["description"] = row.doc
		}
		if c, ok := w.opts.Consts[p]; ok {
			s["const"], row.enum = c, []any{c}
			required = append(required, name)
		}
		if e, ok := w.opts.Enums[p]; ok {
			row.enum = e
			if items, ok := s["items"].(map[string]any); ok {
				items["enum"] = e
			} else {
				s["enum"] = e
			}
		}
		if v, ok := value(fdef); ok && f.Type.Kind() != reflect.Struct && !isStructPtr(f.Type) {
			s["default"] = v
			b, _ := json.Marshal(v)
			row.def = string(b)
		}
		props[name] = s
		sec.fields = append(sec.fields, row)
	}
	w.sections[at] = sec
	obj := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
	if sec.doc != "" {
		obj["description"] = sec.doc
	}
	if len(required) > 0 {
		obj["required"] = required
	}
	return obj
}

// structOf is the struct type t holds directly, through a pointer, or as
// the element of a list or map; nil if none.
func structOf(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		return t
	}
	return nil
}

func isStructPtr(t reflect.Type) bool {
	return t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct
}

func deref(v reflect.Value) reflect.Value {
	if v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}
		}
		return v.Elem()
	}
	return v
}

// value is v as plain data for JSON, and whether it is set at all.
func value(v reflect.Value) (any, bool) {
	if !v.IsValid() || v.IsZero() {
		return nil, false
	}
	// Through YAML, so that the keys are the file's (the yaml tags).
	b, err := yaml.Marshal(v.Interface())
	if err != nil {
		return nil, false
	}
	var out any
	if yaml.Unmarshal(b, &out) != nil {
		return nil, false
	}
	return prune(out), true
}

// prune drops empty maps (a nil map marshals as {}), recursively.
func prune(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if m, ok := e.(map[string]any); ok && len(m) == 0 {
				delete(v, k)
				continue
			}
			v[k] = prune(e)
		}
	case []any:
		for i, e := range v {
			v[i] = prune(e)
		}
	}
	return v
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem())
	case reflect.Struct:
		return fmt.Sprintf("[%s](#%s)", t.Name(), strings.ToLower(t.Name()))
	case reflect.Slice:
		return "list of " + typeName(t.Elem())
	case reflect.Map:
		return "map of " + typeName(t.Elem())
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "integer"
	case reflect.Bool:
		return "boolean"
	}
	return t.Kind().String()
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
