package apply

import (
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/engine"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/statusreaders"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"github.com/eks-render/render/internal/ack"
)

// ACK condition types (FIELDS.md, "Readiness").
const (
	conditionSynced      = "ACK.ResourceSynced"
	conditionTerminal    = "ACK.Terminal"
	conditionRecoverable = "ACK.Recoverable"
	conditionRefs        = "ACK.ReferencesResolved"
	conditionLateInit    = "ACK.LateInitialized"
)

// IsACK reports whether gk is an ACK kind.
func IsACK(gk schema.GroupKind) bool { return ack.IsGroup(gk.Group) }

// ackStatusReader computes kstatus for ACK kinds from their conditions
// (with fn: ACKStatus, minus what a spec change made stale); other kinds
// keep kstatus's own readers.
type ackStatusReader struct{ engine.StatusReader }

func newACKStatusReader(mapper meta.RESTMapper, fn func(*unstructured.Unstructured) (*status.Result, error)) engine.StatusReader {
	return ackStatusReader{statusreaders.NewGenericStatusReader(mapper, fn)}
}

func (ackStatusReader) Supports(gk schema.GroupKind) bool { return IsACK(gk) }

// ACKStatus is the kstatus of an ACK object: Failed when ACK.Terminal is
// True (the controller will not retry until the spec changes), Current when
// ACK.ResourceSynced is True, InProgress otherwise, with the message of the
// condition that explains why.
func ACKStatus(u *unstructured.Unstructured) (*status.Result, error) {
	if u.GetDeletionTimestamp() != nil {
		return &status.Result{Status: status.TerminatingStatus, Message: "being deleted"}, nil
	}
	conds := conditions(u)
	// EKS kinds report their AWS state (CREATING, UPDATING, ...) in status.status.
	phase, _, _ := unstructured.NestedString(u.Object, "status", "status")
	res, err := ackStatus(conds)
	if res.Status == status.CurrentStatus && adoptionPass(u, conds) {
		res = &status.Result{Status: status.InProgressStatus, Message: "adopted: the controller's adoption pass reports the cluster as it is in AWS; its update comes next"}
	}
	if res.Status == status.InProgressStatus && phase != "" {
		res.Message = phase + ": " + res.Message
	}
	return res, err
}

// adoptionPass reports whether u's ACK.ResourceSynced=True is the one an
// EKS Cluster's adoption pass leaves, which says nothing about its spec:
// the runtime's adopt-or-create path returns the ReadOne result with a
// requeue, before any update and before late initialization
// (aws-controllers-k8s/runtime 95428e7 pkg/runtime/reconciler.go:655-663,
// lateInitializeResource at :668), and the eks-controller's ReadOne sets
// ACK.ResourceSynced=True for any ACTIVE cluster (eks-controller v1.20.0
// pkg/resource/cluster/sdk.go:494-500). Taken as ready, it let issue 27's
// add-ons and access entry start on a cluster still on its old version
// and authentication mode. Every pass that ends Sync late-initializes the
// Cluster and sets ACK.LateInitialized (cluster/manager.go:53
// lateInitializeFieldNames, :240-245); the adoption pass alone has
// ACK.ResourceSynced=True without it.
func adoptionPass(u *unstructured.Unstructured, conds map[string]condition) bool {
	return u.GetKind() == "Cluster" && u.GroupVersionKind().Group == ack.EKSGroup &&
		strings.EqualFold(u.GetAnnotations()[ack.AdoptedAnnotation], "true") && conds[conditionLateInit].status == ""
}

func ackStatus(conds map[string]condition) (*status.Result, error) {
	switch {
	case conds[conditionTerminal].status == "True":
		return &status.Result{Status: status.FailedStatus, Message: "terminal: " + conds[conditionTerminal].message}, nil
	case conds[conditionSynced].status == "True":
		return &status.Result{Status: status.CurrentStatus, Message: "synced"}, nil
	case conds[conditionRecoverable].status == "True":
		return &status.Result{Status: status.InProgressStatus, Message: "recoverable error: " + conds[conditionRecoverable].message}, nil
	case conds[conditionRefs].status != "" && conds[conditionRefs].status != "True":
		return &status.Result{Status: status.InProgressStatus, Message: "references: " + conds[conditionRefs].message}, nil
	case conds[conditionSynced].message != "":
		return &status.Result{Status: status.InProgressStatus, Message: conds[conditionSynced].message}, nil
	}
	return &status.Result{Status: status.InProgressStatus, Message: "waiting for the ACK controller"}, nil
}

type condition struct{ status, message string }

func conditions(u *unstructured.Unstructured) map[string]condition {
	out := map[string]condition{}
	list, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range list {
		m, ok := c.(map[string]any)
		if !ok {
			continue
		}
		t, _ := m["type"].(string)
		s, _ := m["status"].(string)
		msg, _ := m["message"].(string)
		// The runtime often puts the detail in reason ("Reference
		// resolution failed" / "the referenced resource is not synced yet...").
		if reason, _ := m["reason"].(string); reason != "" && reason != msg {
			msg = strings.TrimPrefix(msg+": "+reason, ": ")
		}
		out[t] = condition{status: s, message: msg}
	}
	return out
}
