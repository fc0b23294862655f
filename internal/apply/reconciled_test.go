package apply

import (
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

// ackObject is a Cluster at generation gen, applied by render at applied,
// whose ACK.ResourceSynced is synced (True/False) since syncedAt ("" for no
// conditions at all).
func ackObject(t *testing.T, gen int, applied, syncedAt, synced string) *unstructured.Unstructured {
	t.Helper()
	doc := fmt.Sprintf(`{apiVersion: eks.services.k8s.aws/v1alpha1, kind: Cluster,
metadata: {name: demo, namespace: demo-prod,
  managedFields: [{manager: render, operation: Apply, apiVersion: eks.services.k8s.aws/v1alpha1, time: %q},
                  {manager: eks-controller, operation: Update, subresource: status, apiVersion: eks.services.k8s.aws/v1alpha1, time: "2030-01-01T00:00:00Z"}]}}`,
		applied)
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
		t.Fatal(err)
	}
	u.SetGeneration(int64(gen))
	if syncedAt != "" {
		conds := []any{map[string]any{"type": "ACK.ResourceSynced", "status": synced, "lastTransitionTime": syncedAt}}
		if err := unstructured.SetNestedSlice(u.Object, conds, "status", "conditions"); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

func TestChangesWaitForTheControllerToReconcile(t *testing.T) {
	const (
		before  = "2026-11-29T10:00:00Z" // the stale verdict
		applied = "2026-11-29T10:00:05Z" // render's apply
		after   = "2026-11-29T10:00:07Z"
	)
	for _, tc := range []struct {
		name string
		// response is the apply's response; live what a poll sees next.
		response, live *unstructured.Unstructured
		beforeGen      int64
		want           status.Status
	}{
		{"stale synced after a spec change is not ready",
			ackObject(t, 2, applied, before, "True"), ackObject(t, 2, applied, before, "True"), 1, status.InProgressStatus},
		{"synced written after the apply is ready",
			ackObject(t, 2, applied, before, "True"), ackObject(t, 2, applied, after, "True"), 1, status.CurrentStatus},
		{"the controller's update in progress is in progress",
			ackObject(t, 2, applied, before, "True"), ackObject(t, 2, applied, after, "False"), 1, status.InProgressStatus},
		{"a no-op reconcile in the second of the apply is ready",
			ackObject(t, 2, applied, before, "True"), ackObject(t, 2, applied, applied, "True"), 1, status.CurrentStatus},
		{"a reconcile in the second of the stale verdict, after the apply, is ready",
			ackObject(t, 2, applied, applied, "True"), ackObject(t, 2, applied, applied, "True"), 1, status.CurrentStatus},
		{"a metadata-only change is never reconciled, so not waited for",
			ackObject(t, 1, applied, before, "True"), ackObject(t, 1, applied, before, "True"), 1, status.CurrentStatus},
		{"a created object has no stale verdict",
			ackObject(t, 1, applied, "", ""), ackObject(t, 1, applied, after, "True"), 0, status.CurrentStatus},
		// The controller's own spec write (late initialization) comes before
		// the status write of the same reconcile: a later generation with
		// the status from before the change is still waited for, and
		// counts once a status written after the apply arrives.
		{"a later generation with the status from before the change waits",
			ackObject(t, 2, applied, before, "True"), ackObject(t, 3, applied, before, "True"), 1, status.InProgressStatus},
		{"a later generation with a status written after the apply counts",
			ackObject(t, 2, applied, before, "True"), ackObject(t, 3, applied, after, "True"), 1, status.CurrentStatus},
		{"stale terminal after a fix is not a failure",
			ackObject(t, 2, applied, before, "True"), withTerminal(t, ackObject(t, 2, applied, before, "False")), 1, status.InProgressStatus},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &changes{}
			c.record(tc.response, tc.beforeGen)
			res, err := c.status(tc.live)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.want {
				t.Errorf("status = %s (%s), want %s", res.Status, res.Message, tc.want)
			}
		})
	}
}

func withTerminal(t *testing.T, u *unstructured.Unstructured) *unstructured.Unstructured {
	t.Helper()
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	conds = append(conds, map[string]any{"type": "ACK.Terminal", "status": "True", "message": "InvalidParameterException"})
	if err := unstructured.SetNestedSlice(u.Object, conds, "status", "conditions"); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAppliedAtIsRendersApply(t *testing.T) {
	u := ackObject(t, 1, "2026-11-29T10:00:05Z", "", "")
	if got, want := appliedAt(u), time.Date(2026, 11, 29, 10, 0, 5, 0, time.UTC); !got.Equal(want) {
		t.Errorf("appliedAt = %s, want %s (not the controller's status write)", got, want)
	}
}

func TestStampToAvoidOnlyWhenTheSpecMayChange(t *testing.T) {
	live := ackObject(t, 3, "2026-11-29T10:00:05Z", "2026-11-29T10:00:05Z", "True")
	_ = unstructured.SetNestedMap(live.Object, map[string]any{"name": "demo", "version": "1.34", "lateInitialized": "x"}, "spec")
	same := ackObject(t, 0, "", "", "")
	_ = unstructured.SetNestedMap(same.Object, map[string]any{"name": "demo", "version": "1.34"}, "spec")
	changed := same.DeepCopy()
	_ = unstructured.SetNestedField(changed.Object, "1.35", "spec", "version")
	if got := stampToAvoid(live, same); !got.IsZero() {
		t.Errorf("an apply that sets what is live waits for the second of %s", got)
	}
	if got := stampToAvoid(live, changed); got.IsZero() {
		t.Errorf("an apply that changes the spec does not avoid the status's second")
	}
	// render's last apply also set spec.releaseVersion, which same drops:
	// the apply removes it, a spec change.
	live.SetManagedFields([]metav1.ManagedFieldsEntry{{Manager: FieldManager, Operation: metav1.ManagedFieldsOperationApply,
		APIVersion: live.GetAPIVersion(), FieldsType: "FieldsV1",
		FieldsV1: metav1.NewFieldsV1(`{"f:spec":{"f:name":{},"f:version":{},"f:releaseVersion":{}}}`)}})
	if got := stampToAvoid(live, same); got.IsZero() {
		t.Errorf("an apply that drops a spec field render set does not avoid the status's second")
	}
}
