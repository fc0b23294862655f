package acksim

import (
	"time"

	"github.com/eks-render/render/internal/ack"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Condition types of the ACK runtime (apis/core/v1alpha1/conditions.go).
const (
	condReferencesResolved = "ACK.ReferencesResolved"
	condResourceSynced     = "ACK.ResourceSynced"
	condReady              = "Ready"
	condTerminal           = "ACK.Terminal"
	condRecoverable        = "ACK.Recoverable"
	condLateInitialized    = "ACK.LateInitialized"
)

// Condition texts: the first four are the runtime's own
// (pkg/condition/condition.go, pkg/errors/error.go); the last stands for
// the service-specific requeue messages while an AWS resource is created.
const (
	msgSynced        = "Resource synced successfully"
	msgNotSynced     = "Resource not synced"
	msgUnknownSynced = "Unable to determine if desired resource state matches latest observed state"
	reasonTerminal   = "resource is in terminal condition"
	msgCreating      = "resource created, requeue for updates"
	// msgDegraded is eks-controller's for an add-on that is not ACTIVE
	// (pkg/resource/addon/sdk.go:440).
	msgDegraded = "Addon is in 'DEGRADED' status"
)

// condition is one entry of status.conditions without its time.
type condition struct {
	Type, Status, Message, Reason string
}

// conditionsOf reads obj's status.conditions.
func conditionsOf(obj *unstructured.Unstructured) []condition {
	l, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	out := make([]condition, 0, len(l))
	for _, v := range l {
		m, _ := v.(map[string]any)
		str := func(k string) string { s, _ := m[k].(string); return s }
		out = append(out, condition{str("type"), str("status"), str("message"), str("reason")})
	}
	return out
}

// hasCondition reports whether conds has a condition of type t with status.
func hasCondition(conds []condition, t, status string) bool {
	for _, c := range conds {
		if c.Type == t && c.Status == status {
			return true
		}
	}
	return false
}

// progress returns the conditions of an object whose references resolved
// (ACK.ReferencesResolved only when it has any) and whose sync state is
// synced, with message, followed by Ready.
func progress(hasRefs bool, synced, message string) []condition {
	var out []condition
	if hasRefs {
		out = append(out, condition{Type: condReferencesResolved, Status: "True"})
	}
	out = append(out, condition{Type: condResourceSynced, Status: synced, Message: message})
	return withReady(out)
}

// syncedConditions are the conditions of an object of kind k that a full
// pass left synced. An EKS Cluster's carry ACK.LateInitialized=True: the
// runtime late-initializes after every pass that reaches the end of Sync
// (runtime 95428e7 pkg/runtime/reconciler.go:668), and the Cluster's
// resource manager has fields to late-initialize, so it sets the condition
// each time (eks-controller v1.20.0 pkg/resource/cluster/manager.go:53
// lateInitializeFieldNames, :240-245). The adoption pass has none
// (adoptionPassStatus).
func syncedConditions(k kind, hasRefs bool) []condition {
	conds := progress(hasRefs, "True", msgSynced)
	if k.Kind == "Cluster" && k.Group == ack.EKSGroup {
		conds = append(conds, condition{Type: condLateInitialized, Status: "True", Message: "Late initialization successful", Reason: "Late initialization successful"})
	}
	return conds
}

// failed returns the conditions of an object whose AWS call failed with
// message: for good when terminal, else retryably.
func failed(o override) []condition {
	if o.terminal {
		return withReady([]condition{
			{Type: condTerminal, Status: "True", Message: o.message},
			{Type: condResourceSynced, Status: "False", Message: msgNotSynced, Reason: reasonTerminal},
		})
	}
	return withReady([]condition{
		{Type: condRecoverable, Status: "True", Message: o.message},
		{Type: condResourceSynced, Status: "Unknown", Message: msgUnknownSynced, Reason: o.message},
	})
}

// withReady appends the Ready condition the way the runtime's
// ensureConditions derives it: from ACK.Terminal, else ACK.Recoverable,
// else a mirror of ACK.ResourceSynced.
func withReady(conds []condition) []condition {
	for _, t := range []string{condTerminal, condRecoverable} {
		for _, c := range conds {
			if c.Type == t && c.Status == "True" {
				return append(conds, condition{Type: condReady, Status: "False", Message: c.Message, Reason: t})
			}
		}
	}
	for _, c := range conds {
		if c.Type == condResourceSynced {
			return append(conds, condition{Type: condReady, Status: c.Status, Message: c.Message, Reason: c.Reason})
		}
	}
	return conds
}

// renderConditions turns conds into status.conditions, keeping the
// lastTransitionTime of an entry of old that did not change, so that an
// object whose state did not change is not written again.
func renderConditions(conds []condition, old []any, now time.Time) []any {
	out := make([]any, 0, len(conds))
	for _, c := range conds {
		m := map[string]any{"type": c.Type, "status": c.Status, "lastTransitionTime": now.UTC().Format(time.RFC3339)}
		if c.Message != "" {
			m["message"] = c.Message
		}
		if c.Reason != "" {
			m["reason"] = c.Reason
		}
		for _, v := range old {
			o, _ := v.(map[string]any)
			if t, ok := o["lastTransitionTime"].(string); ok && sameCondition(o, m) {
				m["lastTransitionTime"] = t
			}
		}
		out = append(out, m)
	}
	return out
}

// sameCondition reports whether two status.conditions entries agree on
// everything but their time.
func sameCondition(a, b map[string]any) bool {
	for _, k := range []string{"type", "status", "message", "reason"} {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}
