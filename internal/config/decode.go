package config

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/eks-render/render/internal/eksversion"
)

// maxNodes bounds the YAML nodes visited, aliases included, so that a small
// file of nested aliases cannot make decoding explode. Validation is held to
// it too: spec counts once per environment it is merged into (checkWork).
const maxNodes = 100_000

type position struct{ line, column int }

// decoder walks a yaml.Node tree and a Go value together. Unlike yaml.v3's
// own decoder it reports every problem with its path and position, names the
// allowed fields, refuses implicit type conversions and duplicate keys, and
// remembers where each value was written so that later validation can point
// at it.
type decoder struct {
	file string
	// day is the day render runs, for the version calendar.
	day   eksversion.Day
	pos   map[string]position
	errs  Errors
	warns Errors
	nodes int
}

// failAt reports a problem with the value at path, located at the nearest
// position the file has for it (the path itself, else its closest parent).
func (d *decoder) failAt(path, format string, args ...any) {
	e := &FieldError{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	for p := path; ; p = parent(p) {
		if at, ok := d.pos[p]; ok {
			e.Line, e.Column = at.line, at.column
			break
		}
		if p == "" {
			break
		}
	}
	d.errs = append(d.errs, e)
}

// countNodes counts the values in n as decode visits them (mapping keys are
// not counted, aliases are followed), stopping once the count passes limit.
func countNodes(n *yaml.Node, limit int) int {
	count := 0
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if count++; count > limit {
			return
		}
		switch n.Kind {
		case yaml.AliasNode:
			walk(n.Alias)
		case yaml.MappingNode:
			for i := 1; i < len(n.Content); i += 2 {
				walk(n.Content[i])
			}
		default:
			for _, c := range n.Content {
				walk(c)
			}
		}
	}
	walk(n)
	return count
}

// parent strips the last element of a field path: a.b[1].c -> a.b[1] -> a.b -> a -> "".
func parent(path string) string {
	var i int
	switch {
	case strings.HasSuffix(path, `"]`):
		i = strings.LastIndex(path, `["`)
	case strings.HasSuffix(path, "]"):
		i = strings.LastIndex(path, "[")
	default:
		i = strings.LastIndex(path, ".")
	}
	if i < 0 {
		return ""
	}
	return path[:i]
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	e := &FieldError{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

// decode fills v from n. path is the field path of v.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.nodes++; d.nodes > maxNodes {
		if d.nodes == maxNodes+1 {
			d.fail(n, path, "too many YAML nodes (aliases included); at most %d", maxNodes)
		}
		return
	}
	if n.Kind == yaml.AliasNode {
		// Errors inside the anchored value point at it; the field itself
		// is where the alias is used.
		d.decode(n.Alias, v, path)
		d.pos[path] = position{n.Line, n.Column}
		return
	}
	d.pos[path] = position{n.Line, n.Column}
	if n.ShortTag() == "!!null" {
		d.fail(n, path, "has no value; %s", nullHint(v.Type()))
		return
	}
	if v.Kind() == reflect.Pointer {
		v.Set(reflect.New(v.Type().Elem()))
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		d.decodeSlice(n, v, path)
	case reflect.Map:
		d.decodeMap(n, v, path)
	default:
		d.decodeScalar(n, v, path)
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping with fields %s, got %s", strings.Join(fieldNames(v.Type()), ", "), describe(n))
		return
	}
	d.eachKey(n, path, func(key string, kn, vn *yaml.Node) {
		i := fieldIndex(v.Type(), key)
		if i < 0 {
			d.fail(kn, join(path, key), "unknown field; allowed fields are %s", strings.Join(fieldNames(v.Type()), ", "))
			return
		}
		d.decode(vn, v.Field(i), join(path, key))
	})
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "want a mapping, got %s", describe(n))
		return
	}
	v.Set(reflect.MakeMap(v.Type()))
	d.eachKey(n, path, func(key string, _, vn *yaml.Node) {
		elem := reflect.New(v.Type().Elem()).Elem()
		d.decode(vn, elem, join(path, key))
		v.SetMapIndex(reflect.ValueOf(key), elem)
	})
}

// eachKey calls fn for each key of a mapping node in file order, after
// checking that keys are plain strings, unique, and not YAML merge keys.
func (d *decoder) eachKey(n *yaml.Node, path string, fn func(key string, kn, vn *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		switch {
		case kn.Kind != yaml.ScalarNode || kn.ShortTag() == "!!merge":
			d.fail(kn, path, "keys must be plain strings (YAML merge keys '<<' are not supported)")
			continue
		case kn.ShortTag() != "!!str":
			d.fail(kn, join(path, kn.Value), "key must be a string; quote it")
			continue
		}
		if line, dup := seen[kn.Value]; dup {
			d.fail(kn, join(path, kn.Value), "duplicate key (first at line %d)", line)
			continue
		}
		seen[kn.Value] = kn.Line
		fn(kn.Value, kn, vn)
		// A mapping, list or missing value is located at its key: a block
		// mapping's own position is its first child's line.
		p := join(path, kn.Value)
		if _, ok := d.pos[p]; ok && (vn.Kind != yaml.ScalarNode || vn.ShortTag() == "!!null") {
			d.pos[p] = position{kn.Line, kn.Column}
		}
	}
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, path, "want a list, got %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, en := range n.Content {
		d.decode(en, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
	}
	v.Set(s)
}

func (d *decoder) decodeScalar(n *yaml.Node, v reflect.Value, path string) {
	want := map[reflect.Kind]string{reflect.String: "!!str", reflect.Int: "!!int", reflect.Bool: "!!bool"}[v.Kind()]
	if want == "" {
		panic(fmt.Sprintf("config: no decoder for %s", v.Type())) // impossible: the types are ours
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != want {
		d.fail(n, path, "want %s, got %s", kindWord[want], describeFor(n, want))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(n.Value)
	case reflect.Bool:
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	case reflect.Int:
		var i int
		if err := n.Decode(&i); err != nil {
			d.fail(n, path, "want an integer, got %q", n.Value)
			return
		}
		v.SetInt(int64(i))
	}
}

// nullHint says what to write instead of nothing: an empty section (an
// environment with no overrides is dev: {}) or a value.
func nullHint(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "write {} for an empty mapping, or remove the key"
	case reflect.Slice:
		return "write [] for an empty list, or remove the key"
	}
	return "give one or remove the key"
}

var kindWord = map[string]string{"!!str": "a string", "!!int": "an integer", "!!bool": "true or false"}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%s %q", strings.TrimPrefix(n.ShortTag(), "!!"), n.Value)
}

// describeFor explains a scalar of the wrong type; a number or boolean
// where a string belongs gets the hint to quote it (version: 1.30 is the
// float 1.3, not "1.30"), and a custom tag (!name), which quotes would not
// change, the hint to remove it.
func describeFor(n *yaml.Node, want string) string {
	s := describe(n)
	switch {
	case n.Kind != yaml.ScalarNode:
	case !strings.HasPrefix(n.ShortTag(), "!!"):
		s += fmt.Sprintf(" (remove the tag %s)", n.Tag)
	case want == "!!str":
		s += fmt.Sprintf(" (quote it: %q)", n.Value)
	}
	return s
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	if plainKey().MatchString(key) {
		return path + "." + key
	}
	return fmt.Sprintf("%s[%q]", path, key)
}

var plainKey = lazyRegexp(`^[A-Za-z0-9_-]+$`)

func fieldNames(t reflect.Type) []string {
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = yamlName(t.Field(i))
	}
	return names
}

func fieldIndex(t reflect.Type, key string) int {
	for i := 0; i < t.NumField(); i++ {
		if yamlName(t.Field(i)) == key {
			return i
		}
	}
	return -1
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}
