package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds the configuration file; a platform description is a few
// kilobytes, so anything near this is a mistake (or an attack).
const MaxFileSize = 1 << 20

// maxNodes bounds the YAML nodes visited, aliases included, so that a small
// file of nested aliases cannot make decoding explode.
const maxNodes = 100_000

type position struct{ line, column int }

// decoder walks a yaml.Node tree and a Go value together. Unlike yaml.v3's
// own decoder it reports every problem with its path and position, names the
// allowed fields, refuses implicit type conversions and duplicate keys, and
// remembers where each value was written so that later validation can point
// at it.
type decoder struct {
	file  string
	pos   map[string]position
	errs  Errors
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

// parent strips the last element of a field path: a.b[1].c -> a.b[1] -> a.b -> a -> "".
func parent(path string) string {
	switch {
	case strings.HasSuffix(path, `"]`):
		return path[:strings.LastIndex(path, `["`)]
	case strings.HasSuffix(path, "]"):
		return path[:strings.LastIndex(path, "[")]
	}
	if i := strings.LastIndex(path, "."); i >= 0 {
		return path[:i]
	}
	return ""
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	e := &FieldError{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

// readDocument parses data as exactly one YAML document.
func readDocument(file string, data []byte) (*yaml.Node, *FieldError) {
	fe := func(line int, msg string) *FieldError {
		return &FieldError{File: file, Line: line, Column: 1, Msg: msg}
	}
	switch {
	case len(data) > MaxFileSize:
		return nil, fe(0, fmt.Sprintf("file is %d bytes; a configuration file may be at most %d", len(data), MaxFileSize))
	case bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data):
		return nil, fe(0, "not a UTF-8 text file")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fe(0, fmt.Sprintf("empty file; want a document with apiVersion: %s and kind: %s", APIVersion, Kind))
		}
		return nil, syntaxError(file, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, fe(next.Line, "a second YAML document; the configuration is exactly one document (remove the '---' separator)")
	case !errors.Is(err, io.EOF):
		return nil, syntaxError(file, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fe(doc.Line, fmt.Sprintf("the document must be a mapping with apiVersion: %s and kind: %s", APIVersion, Kind))
	}
	return doc.Content[0], nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func syntaxError(file string, err error) *FieldError {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &FieldError{File: file, Line: line, Column: 1, Msg: "YAML syntax error: " + m[2]}
	}
	return &FieldError{File: file, Msg: "YAML syntax error: " + strings.TrimPrefix(msg, "yaml: ")}
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
		d.decode(n.Alias, v, path)
		return
	}
	d.pos[path] = position{n.Line, n.Column}
	if n.ShortTag() == "!!null" {
		d.fail(n, path, "has no value; give one or remove the key")
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		d.decode(n, v.Elem(), path)
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
// float 1.3, not "1.30").
func describeFor(n *yaml.Node, want string) string {
	s := describe(n)
	if want == "!!str" && n.Kind == yaml.ScalarNode {
		return s + fmt.Sprintf(" (quote it: %q)", n.Value)
	}
	return s
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	if plainKey.MatchString(key) {
		return path + "." + key
	}
	return fmt.Sprintf("%s[%q]", path, key)
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

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
