package acksim

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
)

// msgFargateUnchangeable is the eks-controller's message for a Fargate
// profile whose spec differs from AWS in anything but tags: "Never allow
// any changes" (eks-controller v1.20.0 pkg/resource/fargate_profile/hook.go
// customUpdate, lines 67-93, UnableToUpdateError at line 32). It sets
// ACK.ResourceSynced=False with it, on every reconcile, and AWS keeps its
// values.
const msgFargateUnchangeable = "Changes to FargateProfile resources are not currently possible. To update the resource, delete and re-create it"

// unchangeable returns msgFargateUnchangeable when obj is a Fargate
// profile that adopted an existing one (Existing.Spec) and its spec asks
// for other values of the fields the Sim knows AWS's values of; else "".
// The Sim knows AWS's values only of adopted resources, and only the
// fields Existing.Spec lists.
func (s *Sim) unchangeable(obj *unstructured.Unstructured) string {
	if obj.GetKind() != "FargateProfile" || obj.GroupVersionKind().Group != ack.EKSGroup {
		return ""
	}
	s.mu.Lock()
	found, ok := s.adopted[kindName(obj)]
	s.mu.Unlock()
	if !ok {
		return ""
	}
	for _, p := range slices.Sorted(maps.Keys(found.Spec)) {
		var want, got any
		if err := json.Unmarshal([]byte(found.Spec[p]), &want); err != nil {
			return "acksim: Existing.Spec[" + p + "] is not JSON: " + err.Error()
		}
		v, _, _ := unstructured.NestedFieldNoCopy(obj.Object, strings.Split(p, ".")...)
		b, _ := json.Marshal(v) // one JSON shape for both sides (numbers)
		_ = json.Unmarshal(b, &got)
		if !reflect.DeepEqual(want, got) {
			return msgFargateUnchangeable
		}
	}
	return ""
}
