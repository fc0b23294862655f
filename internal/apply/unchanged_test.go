package apply

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestAppliedAlready(t *testing.T) {
	desired := func() *unstructured.Unstructured {
		return &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "apps/v1", "kind": "Deployment",
			"metadata": map[string]any{"name": "app", "namespace": "game", "labels": map[string]any{"app": "2048"}},
			"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
				"containers": []any{map[string]any{"name": "app", "image": "game:1"}}}}},
		}}
	}
	owned := `{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},"f:name":{}}}}}}}`
	live := func(fields, apiVersion string) *unstructured.Unstructured {
		u := desired()
		u.Object["status"] = map[string]any{"replicas": int64(1)}
		unstructured.SetNestedField(u.Object, int64(1), "spec", "replicas")
		u.SetManagedFields([]metav1.ManagedFieldsEntry{
			{Manager: "kube-controller-manager", Operation: metav1.ManagedFieldsOperationUpdate, APIVersion: "apps/v1", FieldsV1: metav1.NewFieldsV1(`{"f:status":{}}`)},
			{Manager: FieldManager, Operation: metav1.ManagedFieldsOperationApply, APIVersion: apiVersion, FieldsV1: metav1.NewFieldsV1(fields)},
		})
		return u
	}
	changed := desired()
	unstructured.SetNestedSlice(changed.Object, []any{map[string]any{"name": "app", "image": "game:2"}}, "spec", "template", "spec", "containers")
	for _, c := range []struct {
		name          string
		live, desired *unstructured.Unstructured
		want          bool
	}{
		{"the same values and fields", live(owned, "apps/v1"), desired(), true},
		{"a value changed", live(owned, "apps/v1"), changed, false},
		{"a field render owns is no longer set", live(`{"f:metadata":{"f:annotations":{"f:old":{}}}}`, "apps/v1"), desired(), false},
		{"a list item render owns is gone", live(`{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"sidecar\"}":{}}}}}}`, "apps/v1"), desired(), false},
		{"applied as another version", live(owned, "apps/v1beta1"), desired(), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := appliedAlready(c.live, c.desired); got != c.want {
				t.Errorf("appliedAlready = %v, want %v", got, c.want)
			}
		})
	}
}
