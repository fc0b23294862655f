package apply

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

func TestACKStatus(t *testing.T) {
	for _, tc := range []struct {
		name, obj   string
		want        status.Status
		wantMessage string
	}{
		{"no status yet", `{}`, status.InProgressStatus, "waiting for the ACK controller"},
		{"synced", `{status: {conditions: [{type: ACK.ResourceSynced, status: "True"}, {type: Ready, status: "True"}]}}`,
			status.CurrentStatus, "synced"},
		{"terminal wins over synced", `{status: {conditions: [{type: ACK.ResourceSynced, status: "True"}, {type: ACK.Terminal, status: "True", message: "InvalidParameter: bad"}]}}`,
			status.FailedStatus, "terminal: InvalidParameter: bad"},
		{"recoverable", `{status: {conditions: [{type: ACK.ResourceSynced, status: Unknown}, {type: ACK.Recoverable, status: "True", message: "NoSuchEntity: x"}]}}`,
			status.InProgressStatus, "recoverable error: NoSuchEntity: x"},
		{"references unresolved, detail in the reason", `{status: {conditions: [{type: ACK.ReferencesResolved, status: Unknown, message: "Reference resolution failed", reason: "the referenced resource is not synced yet. resource:VPC, namespace:d, name:vpc"}]}}`,
			status.InProgressStatus, "references: Reference resolution failed: the referenced resource is not synced yet. resource:VPC, namespace:d, name:vpc"},
		{"creating cluster", `{status: {status: CREATING, conditions: [{type: ACK.ResourceSynced, status: "False", message: "resource created, requeue for updates"}]}}`,
			status.InProgressStatus, "CREATING: resource created, requeue for updates"},
		{"adopted cluster, adoption pass", `{apiVersion: eks.services.k8s.aws/v1alpha1, kind: Cluster, metadata: {annotations: {services.k8s.aws/adopted: "true"}}, status: {status: ACTIVE, conditions: [{type: ACK.ResourceSynced, status: "True"}, {type: Ready, status: "True"}]}}`,
			status.InProgressStatus, "ACTIVE: adopted: the controller's adoption pass reports the cluster as it is in AWS; its update comes next"},
		{"adopted cluster, synced by a full pass", `{apiVersion: eks.services.k8s.aws/v1alpha1, kind: Cluster, metadata: {annotations: {services.k8s.aws/adopted: "true"}}, status: {status: ACTIVE, conditions: [{type: ACK.ResourceSynced, status: "True"}, {type: ACK.LateInitialized, status: "True"}]}}`,
			status.CurrentStatus, "synced"},
		{"adopted VPC, synced", `{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: VPC, metadata: {annotations: {services.k8s.aws/adopted: "true"}}, status: {conditions: [{type: ACK.ResourceSynced, status: "True"}]}}`,
			status.CurrentStatus, "synced"},
		{"being deleted", `{metadata: {deletionTimestamp: "2026-01-01T00:00:00Z"}}`, status.TerminatingStatus, "being deleted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := &unstructured.Unstructured{}
			if err := yaml.Unmarshal([]byte(tc.obj), &u.Object); err != nil {
				t.Fatal(err)
			}
			res, err := ACKStatus(u)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.want || res.Message != tc.wantMessage {
				t.Errorf("ACKStatus = %s %q, want %s %q", res.Status, res.Message, tc.want, tc.wantMessage)
			}
		})
	}
}
