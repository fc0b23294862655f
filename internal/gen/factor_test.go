package gen

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFactor(t *testing.T) {
	obj := func(name string, spec map[string]any) map[string]any {
		return map[string]any{"apiVersion": "v1", "kind": "K", "metadata": map[string]any{"name": name}, "spec": spec}
	}
	envs := map[string][]map[string]any{
		"a": {
			obj("x", map[string]any{"same": 1, "diff": 1, "list": []any{1, 2}, "nested": map[string]any{"k": "a", "s": "s"}, "empty": map[string]any{}}),
			obj("only-a", map[string]any{"v": 1}),
		},
		"b": {
			obj("x", map[string]any{"same": 1, "diff": 2, "list": []any{1}, "nested": map[string]any{"k": "b", "s": "s"}, "empty": map[string]any{}, "extra": true}),
		},
	}
	f := factor(envs)
	wantBase := []map[string]any{obj("x", map[string]any{"same": 1, "nested": map[string]any{"s": "s"}, "empty": map[string]any{}})}
	if diff := cmp.Diff(wantBase, f.base); diff != "" {
		t.Errorf("base (-want +got):\n%s", diff)
	}
	wantPatches := map[string][]map[string]any{
		"a": {obj("x", map[string]any{"diff": 1, "list": []any{1, 2}, "nested": map[string]any{"k": "a"}})},
		"b": {obj("x", map[string]any{"diff": 2, "list": []any{1}, "nested": map[string]any{"k": "b"}, "extra": true})},
	}
	for _, env := range []string{"a", "b"} {
		for _, p := range wantPatches[env] {
			delete(p, "apiVersion")
		}
	}
	for env, ps := range f.patches {
		for _, p := range ps {
			delete(p, "apiVersion")
		}
		if diff := cmp.Diff(wantPatches[env], ps); diff != "" {
			t.Errorf("patches of %s (-want +got):\n%s", env, diff)
		}
	}
	if diff := cmp.Diff(map[string][]map[string]any{"a": {obj("only-a", map[string]any{"v": 1})}}, f.extra); diff != "" {
		t.Errorf("extra (-want +got):\n%s", diff)
	}
}
