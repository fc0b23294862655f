package tfstate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// str returns the string attribute at path (keys and list indexes), or "".
func (r *Resource) str(path ...any) string {
	switch v := r.at(path...).(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// num returns the integer attribute at path, and whether it is one.
func (r *Resource) num(path ...any) (int64, bool) {
	if n, ok := r.at(path...).(json.Number); ok {
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// flag returns the boolean attribute at path.
func (r *Resource) flag(path ...any) bool {
	b, _ := r.at(path...).(bool)
	return b
}

// strs returns the list (or set) of strings at path, sorted.
func (r *Resource) strs(path ...any) []string {
	l, _ := r.at(path...).([]any)
	out := make([]string, 0, len(l))
	for _, v := range l {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// list returns the list of objects at path (a nested block).
func (r *Resource) list(path ...any) []map[string]any {
	l, _ := r.at(path...).([]any)
	var out []map[string]any
	for _, v := range l {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// tags returns the resource's own tags (not tags_all, which adds the
// provider's default tags).
func (r *Resource) tags() map[string]string {
	m, _ := r.at("tags").(map[string]any)
	out := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// id is the resource's ID attribute.
func (r *Resource) id() string { return r.str("id") }

func (r *Resource) at(path ...any) any {
	var cur any = r.Attrs
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = m[k]
		case int:
			l, ok := cur.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			cur = l[k]
		default:
			panic(fmt.Sprintf("tfstate: path element %T", p))
		}
	}
	return cur
}
