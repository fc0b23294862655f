package configdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Doc is one generated file's worth: the JSON Schema of a root type and
// the reference sections of the types it reaches.
type Doc struct {
	Schema   []byte
	sections []section
}

// Generate walks root (a struct type such as config.Document) and returns
// its JSON Schema (draft 2020-12) titled title, and its reference.
func Generate(root reflect.Type, title string, c Comments, opts Options) (*Doc, error) {
	w := &walker{comments: c, opts: opts, defs: map[string]any{}}
	w.schema(root, "", reflect.Value{})
	top := w.defs[root.Name()].(map[string]any)
	delete(w.defs, root.Name())
	top["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	top["title"] = title
	if len(w.defs) > 0 {
		top["$defs"] = w.defs
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(top); err != nil {
		return nil, fmt.Errorf("encode schema %s: %w", title, err)
	}
	return &Doc{Schema: buf.Bytes(), sections: w.sections}, nil
}

// Markdown writes d's reference: a heading per type (at level), its doc
// comment, and a table of its fields.
func (d *Doc) Markdown(level int) []byte {
	var b bytes.Buffer
	h := strings.Repeat("#", level)
	for _, s := range d.sections {
		fmt.Fprintf(&b, "%s %s\n\n", h, s.name)
		if s.doc != "" {
			fmt.Fprintf(&b, "%s\n\n", s.doc)
		}
		b.WriteString("| Field | Type | Default | Description |\n|---|---|---|---|\n")
		for _, f := range s.fields {
			doc := f.doc
			if len(f.enum) > 0 {
				doc = strings.TrimSpace(doc + " Allowed: " + codes(f.enum) + ".")
			}
			def := ""
			if f.def != "" {
				def = "`" + f.def + "`"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.path, f.typ, cell(def), cell(doc))
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func codes(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("`%v`", v)
	}
	return strings.Join(parts, ", ")
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
