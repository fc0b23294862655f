package gen

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
)

// visitRefs calls fn for each reference at path (ack.RefFields notation)
// in obj, with the map holding the reference field.
func visitRefs(obj map[string]any, path string, fn func(parent map[string]any, field string, ref map[string]any)) {
	segs := strings.Split(path, ".")
	var walk func(v any, i int)
	walk = func(v any, i int) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		name := strings.TrimSuffix(segs[i], "[]")
		child, ok := m[name]
		if !ok {
			return
		}
		items := []any{child}
		if strings.HasSuffix(segs[i], "[]") {
			items, _ = child.([]any)
		}
		for _, item := range items {
			if i == len(segs)-1 {
				ref, _ := item.(map[string]any)
				fn(m, name, ref)
			} else {
				walk(item, i+1)
			}
		}
	}
	walk(obj, 0)
}

// refFieldsOf returns the table rows for an object's kind.
func refFieldsOf(m map[string]any) []ack.RefField {
	u := unstructured.Unstructured{Object: m}
	gvk := u.GroupVersionKind()
	var out []ack.RefField
	for _, f := range ack.RefFields {
		if f.Group == gvk.Group && f.Kind == gvk.Kind {
			out = append(out, f)
		}
	}
	return out
}

// plainAlternatives are the names the plain ID/ARN field of a reference
// field can have: vpcRef -> vpcID or vpc, subnetRefs -> subnetIDs or subnets.
func plainAlternatives(field string) []string {
	base := strings.TrimSuffix(strings.TrimSuffix(field, "s"), "Ref")
	plural := strings.HasSuffix(field, "Refs")
	if plural {
		return []string{base + "IDs", base + "s", base + "ARNs", base + "Names"}
	}
	return []string{base, base + "ID", base + "ARN", base + "Name"}
}

// checkRefs returns a problem for every reference in objs that does not
// name an object of the right kind in the same namespace, every reference
// set together with its plain field, and every *Ref field of an ACK object
// missing from ack.RefFields.
func checkRefs(objs built) []string {
	index := map[string]bool{}
	for _, m := range objs {
		u := unstructured.Unstructured{Object: m}
		index[fmt.Sprintf("%s/%s/%s/%s", u.GroupVersionKind().Group, u.GetKind(), u.GetNamespace(), u.GetName())] = true
	}
	var problems []string
	for _, m := range objs {
		u := unstructured.Unstructured{Object: m}
		var paths []string
		for _, f := range refFieldsOf(m) {
			paths = append(paths, f.Path)
			visitRefs(m, f.Path, func(parent map[string]any, field string, ref map[string]any) {
				from, _ := ref["from"].(map[string]any)
				target := fmt.Sprintf("%s/%s/%s/%v", f.TargetGroup, f.TargetKind, u.GetNamespace(), from["name"])
				if len(ref) != 1 || len(from) != 1 || !index[target] {
					problems = append(problems, fmt.Sprintf("%s: %s = %v does not resolve to %s", key(m), f.Path, ref, target))
				}
				for _, plain := range plainAlternatives(field) {
					if _, both := parent[plain]; both {
						problems = append(problems, fmt.Sprintf("%s: %s and %s are both set", key(m), field, plain))
					}
				}
			})
		}
		if !strings.HasSuffix(u.GroupVersionKind().Group, "services.k8s.aws") {
			continue // ACK references only: a CRD's schema has properties named *Ref
		}
		for _, p := range refLikePaths(m["spec"], "spec") {
			if !slices.Contains(paths, p) {
				problems = append(problems, fmt.Sprintf("%s: reference field %s is not in ack.RefFields", key(m), p))
			}
		}
	}
	return problems
}

// refLikePaths finds every field named *Ref or *Refs under v.
func refLikePaths(v any, path string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			switch {
			case strings.HasSuffix(k, "Refs"):
				out = append(out, path+"."+k+"[]")
			case strings.HasSuffix(k, "Ref"):
				out = append(out, path+"."+k)
			default:
				out = append(out, refLikePaths(c, path+"."+k)...)
			}
		}
	case []any:
		for _, c := range v {
			out = append(out, refLikePaths(c, path+"[]")...)
		}
	}
	return out
}

func TestReferencesResolve(t *testing.T) {
	eachBuild(t, func(t *testing.T, _ *config.Config, _ config.Environment, workload bool, objs built) {
		for _, p := range checkRefs(objs) {
			t.Error(p)
		}
	})
}

func TestRefCheckerCatchesBrokenReferences(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	objs := buildEnv(t, generate(t, cfg).Files, "prod", false)
	for _, m := range objs {
		if m["kind"] == "Subnet" {
			spec := m["spec"].(map[string]any)
			spec["vpcRef"] = map[string]any{"from": map[string]any{"name": "nope"}}
			spec["vpcID"] = "vpc-1"
			break
		}
	}
	got := strings.Join(checkRefs(objs), "\n")
	for _, want := range []string{"does not resolve to ec2.services.k8s.aws/VPC/demo-prod/nope", "vpcRef and vpcID are both set"} {
		if !strings.Contains(got, want) {
			t.Errorf("checkRefs missed %q; got:\n%s", want, got)
		}
	}
}

// TestRefTableMatchesSchemas proves ack.RefFields lists exactly the
// reference fields the CRDs define for each kind in it, with targets in the
// ACK groups.
func TestRefTableMatchesSchemas(t *testing.T) {
	s := loadSchemas(t)
	table := map[schema.GroupVersionKind][]string{}
	for _, f := range ack.RefFields {
		gvk := schema.GroupVersionKind{Group: f.Group, Version: ack.Version, Kind: f.Kind}
		table[gvk] = append(table[gvk], f.Path)
	}
	for gvk, paths := range table {
		sort.Strings(paths)
		if got := s.RefPaths(gvk); !slices.Equal(got, paths) {
			t.Errorf("%s: ack.RefFields has %v, the CRD has %v", gvk.Kind, paths, got)
		}
	}
	// Every kind render emits is in the table or has no reference fields.
	for _, cfg := range configs(t) {
		out := generate(t, cfg)
		for _, env := range cfg.Environments {
			for _, m := range buildEnv(t, out.Files, env.Name, false) {
				u := unstructured.Unstructured{Object: m}
				if _, ok := table[u.GroupVersionKind()]; !ok && len(s.RefPaths(u.GroupVersionKind())) > 0 {
					t.Errorf("%s has reference fields but no ack.RefFields rows", u.GetKind())
				}
			}
		}
	}
}
