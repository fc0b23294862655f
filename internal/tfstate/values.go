package tfstate

// How the report shows fields and their values.
import (
	"encoding/json"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
)

// fields cuts changed leaf paths to the fields they are in (up to the
// first list), once each.
func fields(paths []string) []string {
	var out []string
	for _, p := range paths {
		if !strings.HasPrefix(p, "spec.") {
			continue
		}
		p, _, _ = strings.Cut(p, "[]")
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// unset is how the report shows a field one side does not set.
const unset = "(unset)"

// valueAt is the value at path (up to its first list) of u, as JSON.
func valueAt(u *unstructured.Unstructured, path string) string {
	path, _, _ = strings.Cut(path, "[]")
	v, found, err := unstructured.NestedFieldNoCopy(u.Object, strings.Split(path, ".")...)
	if !found || err != nil {
		return unset
	}
	if s, ok := v.(string); ok {
		if c := canonical(s); c != "" && strings.ContainsAny(s, "{[") {
			return c // a policy document, on one line
		}
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// pairRefs folds the conflicts of a field given as IDs and as references
// (Terraform has spec.roleARN, render spec.roleRef; a subnet list part
// references, part IDs) into one that names both sides' values.
func pairRefs(cs []Conflict) []Conflict {
	var out []Conflict
	used := make([]bool, len(cs))
	for i, a := range cs {
		if used[i] {
			continue
		}
		for j := i + 1; j < len(cs); j++ {
			if b := cs[j]; !used[j] && ack.FieldStem(a.Path) == ack.FieldStem(b.Path) {
				path := a.Path + "/" + strings.TrimPrefix(b.Path, "spec.")
				a = Conflict{Object: a.Object, Terraform: a.Terraform, Path: path,
					TerraformValue: both(a.TerraformValue, b.TerraformValue), RenderValue: both(a.RenderValue, b.RenderValue),
					Message: path + " cannot change once created", Adoptable: true}
				used[j] = true
			}
		}
		out = append(out, a)
	}
	return out
}

// both joins the values of a field's ID and reference forms, leaving out
// the one not set.
func both(a, b string) string {
	switch {
	case a == unset:
		return b
	case b == unset:
		return a
	}
	return a + " + " + b
}
