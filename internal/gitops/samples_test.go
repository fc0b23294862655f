package gitops

import (
	"testing"

	"sigs.k8s.io/yaml"
)

// sample is an ACK object in one of the states the health checks tell
// apart, and what each tool should make of it.
type sample struct {
	name string
	obj  string
	// argo is the Argo CD health status; argoMessage a part of its message.
	argo, argoMessage string
	// flux is the Flux status: Current, Failed, InProgress, or Unknown when
	// the expressions cannot be evaluated (Flux keeps waiting).
	flux string
}

const objHead = "apiVersion: ec2.services.k8s.aws/v1alpha1\nkind: VPC\nmetadata: {name: vpc, namespace: demo-dev, generation: 1}\nspec: {cidrBlocks: [10.0.0.0/16]}\n"

var samples = []sample{
	{"not yet reconciled: no status", objHead,
		"Progressing", "waiting for the ACK controller", "Unknown"},
	{"a status without conditions", objHead + "status: {ackResourceMetadata: {region: us-west-2}}\n",
		"Progressing", "waiting for the ACK controller", "InProgress"},
	{"creating", objHead + `status:
  conditions:
  - {type: ACK.ResourceSynced, status: "False", message: "vpc created, requeue for updates"}
`, "Progressing", "ACK.ResourceSynced: vpc created, requeue for updates", "InProgress"},
	{"synced", objHead + `status:
  vpcID: vpc-0123456789abcdef0
  conditions:
  - {type: ACK.ResourceSynced, status: "True", message: Resource synced successfully}
  - {type: Ready, status: "True"}
`, "Healthy", "ACK.ResourceSynced: Resource synced successfully", "Current"},
	{"terminal", objHead + `status:
  conditions:
  - {type: ACK.Terminal, status: "True", message: "InvalidParameterValue: bad CIDR"}
  - {type: ACK.ResourceSynced, status: "False"}
`, "Degraded", "ACK.Terminal: InvalidParameterValue: bad CIDR", "Failed"},
	{"terminal beats a stale synced", objHead + `status:
  conditions:
  - {type: ACK.ResourceSynced, status: "True"}
  - {type: ACK.Terminal, status: "True", reason: InvalidSpec}
`, "Degraded", "ACK.Terminal: InvalidSpec", "Failed"},
	{"recoverable", objHead + `status:
  conditions:
  - {type: ACK.Recoverable, status: "True", message: "NoSuchEntity: Policy arn:aws:iam::aws:policy/X does not exist"}
  - {type: ACK.ResourceSynced, status: "False"}
`, "Progressing", "ACK.Recoverable: NoSuchEntity", "InProgress"},
	{"references not resolved", objHead + `status:
  conditions:
  - {type: ACK.ReferencesResolved, status: Unknown, message: "the referenced resource is not synced yet. resource:VPC"}
`, "Progressing", "ACK.ReferencesResolved: the referenced resource is not synced yet", "InProgress"},
	{"terminal false is not terminal", objHead + `status:
  conditions:
  - {type: ACK.Terminal, status: "False"}
  - {type: ACK.ResourceSynced, status: "True"}
`, "Healthy", "ACK.ResourceSynced=True", "Current"},
}

// decode parses a sample as the API server would hand it out.
func decode(t *testing.T, s sample) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(s.obj), &m); err != nil {
		t.Fatalf("%s: %v", s.name, err)
	}
	return m
}
