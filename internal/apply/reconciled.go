package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/cli-utils/pkg/object"
)

// An ACK object's status says nothing about which generation of its spec
// it describes: the runtime sets no observedGeneration. Right after render
// changes a Synced object, its ACK.ResourceSynced=True is the controller's
// verdict on the old spec until the controller reconciles the new one, and
// for an EKS cluster that reconcile is what turns it to False ("cluster has
// started asynchronously updating", eks-controller v1.20.0
// pkg/resource/cluster/hook.go requeueAfterAsyncUpdate, returned by
// customUpdate). Taking the stale True as ready lets the next level, the
// workload or the user's next command start against a cluster mid-update.
//
// What the ACK runtime does (github.com/aws-controllers-k8s/runtime,
// v0.61.0-1-g95428e7, the newest snapshot that could be had; the
// controllers pin v0.62.0):
//   - It reconciles on creation and when metadata.generation changes, not on
//     label or annotation changes: the controller is built WithEventFilter(
//     predicate.GenerationChangedPredicate{}) (pkg/runtime/reconciler.go:115,
//     BindControllerManager). A change render makes to metadata only is never
//     reconciled before the resync period, so it must not be waited for.
//   - Every reconcile that reaches Sync first clears every condition
//     (Sync calls resetConditions, reconciler.go:566, which calls
//     condition.Clear, condition.go:407), then, in a deferred
//     ensureConditions (reconciler.go:567-569, 704-770), sets
//     ACK.ResourceSynced (unless a hook set it already) and Ready.
//   - condition.SetSynced, SetReady, SetTerminal and SetRecoverable always set
//     LastTransitionTime to metav1.Now(), whether or not the status changed
//     (pkg/condition/condition.go:146-165, SetSynced: "c.LastTransitionTime
//     = &now"; the same in SetReady, SetTerminal and SetRecoverable).
//   - HandleReconcileError always patches the status back, a JSON merge patch
//     from the object as read, conditions cleared (reconciler.go:1426-1456,
//     patchResourceStatus 1108-1140), so the fresh times reach the apiserver.
//     metav1.Time is written to the second.
//
// So every reconcile of the new generation leaves an ACK.ResourceSynced
// condition stamped at or after the moment the controller finished it, even
// when it found nothing to do in AWS. The rule (reconciledAfter): after an
// apply that moved an ACK object's generation, its status counts only once
// its ACK.ResourceSynced lastTransitionTime is later than the one the apply's
// response carried (a status written after the apply), or not earlier than
// the apply itself (render's managedFields time, the apiserver's clock, to
// the second). The second clause keeps a reconcile in the same second as the
// stale status from being waited for until the resync period (ten hours by
// default); its cost is that a status written in the same second just before
// the apply counts as fresh. A reconcile already running when render applies
// can also write a status after the apply that describes the old generation;
// the controller reconciles the new generation right after it, which the
// next poll sees.

// change is what one apply did to an ACK object's spec.
type change struct {
	// generation is the object's metadata.generation after the apply.
	generation int64
	// applied is the time of render's apply in managedFields.
	applied time.Time
	// synced is the lastTransitionTime of ACK.ResourceSynced in the apply's
	// response: the condition the controller wrote before the change.
	synced time.Time
}

// changes remembers, per object, the last spec change render applied, so
// that waiting does not take a status about an older spec as ready.
type changes struct {
	mu sync.Mutex
	m  map[object.ObjMetadata]change
}

// record notes what the apply whose response is after did, if it moved the
// generation of an ACK object; before is the object's generation as listed
// before the apply (0 if it did not exist).
func (c *changes) record(after *unstructured.Unstructured, before int64) {
	if !IsACK(after.GroupVersionKind().GroupKind()) || after.GetGeneration() == before {
		return
	}
	id := object.UnstructuredToObjMetadata(after)
	ch := change{generation: after.GetGeneration(), applied: appliedAt(after), synced: syncedAt(after)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[object.ObjMetadata]change{}
	}
	c.m[id] = ch
}

// status is ACKStatus, except that an object whose last change the
// controller has not reconciled yet is InProgress.
func (c *changes) status(u *unstructured.Unstructured) (*status.Result, error) {
	res, err := ACKStatus(u)
	if err != nil || res.Status == status.TerminatingStatus {
		return res, err
	}
	id := object.UnstructuredToObjMetadata(u)
	c.mu.Lock()
	ch, ok := c.m[id]
	c.mu.Unlock()
	// A later generation is the controller's own spec write (late
	// initialization), which the status write of the same reconcile
	// follows: until then the status is still the one from before the
	// change, so the same rule holds.
	if !ok || u.GetGeneration() < ch.generation || ch.reconciledBy(u) {
		return res, nil
	}
	return &status.Result{Status: status.InProgressStatus,
		Message: fmt.Sprintf("waiting for the ACK controller to reconcile generation %d (its status is from before the change)", ch.generation)}, nil
}

// reconciledBy reports whether u's status was written by a reconcile of the
// change (see the rule above).
func (ch change) reconciledBy(u *unstructured.Unstructured) bool {
	if ch.synced.IsZero() {
		// There was no verdict to mistake for a new one.
		return true
	}
	t := syncedAt(u)
	if t.IsZero() {
		return false
	}
	return t.After(ch.synced) || (!ch.applied.IsZero() && !t.Before(ch.applied))
}

// stampToAvoid is the time of live's ACK.ResourceSynced condition when
// applying desired may change live's spec (the fields desired sets differ),
// so that the apply is made in a later second; zero when it cannot, so that
// an unchanged apply never waits.
func stampToAvoid(live, desired *unstructured.Unstructured) time.Time {
	want, ok := desired.Object["spec"]
	if !ok {
		return time.Time{}
	}
	have, err1 := json.Marshal(project(live.Object["spec"], want))
	wantJSON, err2 := json.Marshal(want)
	if err1 == nil && err2 == nil && bytes.Equal(have, wantJSON) && !releasesSpec(live, want) {
		return time.Time{}
	}
	return syncedAt(live)
}

// releasesSpec reports whether render's last apply to live owns a spec
// field that want no longer sets: applying want removes it, a spec change
// (the empty Nodegroup releaseVersion of an upgrade, dropped after it).
func releasesSpec(live *unstructured.Unstructured, want any) bool {
	for _, f := range live.GetManagedFields() {
		if f.Manager != FieldManager || f.Operation != metav1.ManagedFieldsOperationApply || f.Subresource != "" || f.FieldsV1 == nil {
			continue
		}
		var fields map[string]any
		if json.Unmarshal(f.FieldsV1.GetRawBytes(), &fields) != nil {
			return false
		}
		spec, ok := fields["f:spec"].(map[string]any)
		return ok && !within(spec, want)
	}
	return false
}

// maxStampWait bounds afterSecondOf's wait, whatever the clocks say.
const maxStampWait = 2 * time.Second

// afterSecondOf waits until now is past the second of stamp (a condition
// time, whole seconds), so that an apply made next is stamped in a later
// second than the status it changes.
func afterSecondOf(ctx context.Context, stamp time.Time, now func() time.Time) error {
	if stamp.IsZero() {
		return nil
	}
	d := min(stamp.Add(time.Second).Sub(now()), maxStampWait)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// syncedAt is the lastTransitionTime of u's ACK.ResourceSynced condition,
// zero if it has none.
func syncedAt(u *unstructured.Unstructured) time.Time {
	list, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range list {
		m, _ := c.(map[string]any)
		if m["type"] != conditionSynced {
			continue
		}
		s, _ := m["lastTransitionTime"].(string)
		var t metav1.Time
		if err := t.UnmarshalQueryParameter(s); err == nil {
			return t.Time
		}
	}
	return time.Time{}
}

// appliedAt is the time of render's last apply in u's managedFields.
func appliedAt(u *unstructured.Unstructured) time.Time {
	for _, f := range u.GetManagedFields() {
		if f.Manager == FieldManager && f.Operation == metav1.ManagedFieldsOperationApply && f.Subresource == "" && f.Time != nil {
			return f.Time.Time
		}
	}
	return time.Time{}
}
