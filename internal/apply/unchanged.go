package apply

import (
	"encoding/json"
	"reflect"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// A server-side apply of the configuration render applied last, to an
// object nobody changed since, changes nothing: render apply's no-op run
// was mostly such requests, one per object. appliedAlready tells, from the
// object as listed before the run, that an apply of desired would be one,
// so that it is not sent:
//   - the live object has every value desired sets, equal (lists whole),
//     so there is nothing to set and no conflict to report; and
//   - every field render's last apply (its managedFields entry, operation
//     Apply, same apiVersion) owns is still in desired, so the apply would
//     release none (a field render stops setting is removed by an apply).
//
// Anything else (no entry, another apiVersion, a field list in a form not
// walked here) is applied as before.

// appliedAlready reports whether applying desired to live would change
// nothing.
func appliedAlready(live, desired *unstructured.Unstructured) bool {
	if !reflect.DeepEqual(project(live.Object, desired.Object), desired.Object) {
		return false
	}
	var owned *metav1.ManagedFieldsEntry
	for i, f := range live.GetManagedFields() {
		if f.Manager == FieldManager && f.Operation == metav1.ManagedFieldsOperationApply && f.Subresource == "" {
			owned = &live.GetManagedFields()[i]
			break
		}
	}
	if owned == nil || owned.APIVersion != desired.GetAPIVersion() || owned.FieldsV1 == nil {
		return false
	}
	var fields map[string]any
	if err := json.Unmarshal(owned.FieldsV1.GetRawBytes(), &fields); err != nil {
		return false
	}
	return within(fields, desired.Object)
}

// within reports whether every field of the managed-fields set fields is
// in v: "f:name" a key of a map, "k:{...}" an item of a list with those
// key values, "v:..." an item of a list equal to the value.
func within(fields map[string]any, v any) bool {
	for k, sub := range fields {
		if k == "." {
			continue
		}
		child, ok := member(k, v)
		if !ok {
			return false
		}
		if subFields, _ := sub.(map[string]any); len(subFields) > 0 && !within(subFields, child) {
			return false
		}
	}
	return true
}

// member finds in v the element one managed-fields key names.
func member(key string, v any) (any, bool) {
	kind, rest, _ := strings.Cut(key, ":")
	switch kind {
	case "f":
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		c, ok := m[rest]
		return c, ok
	case "k", "v":
		list, ok := v.([]any)
		if !ok {
			return nil, false
		}
		var want any
		if err := json.Unmarshal([]byte(rest), &want); err != nil {
			return nil, false
		}
		for _, item := range list {
			if (kind == "v" && jsonEqual(item, want)) || (kind == "k" && hasKeys(item, want)) {
				return item, true
			}
		}
	}
	return nil, false
}

// hasKeys reports whether item, a map, has every key of keys with an
// equal value.
func hasKeys(item, keys any) bool {
	im, ok := item.(map[string]any)
	km, kok := keys.(map[string]any)
	if !ok || !kok {
		return false
	}
	for k, want := range km {
		if !jsonEqual(im[k], want) {
			return false
		}
	}
	return true
}

// jsonEqual compares two values as JSON, so that int64 and float64 of the
// same number agree.
func jsonEqual(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
