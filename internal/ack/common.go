package ack

import (
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// API groups of the ACK controllers render uses; every kind is v1alpha1.
const (
	EC2Group            = "ec2.services.k8s.aws"
	IAMGroup            = "iam.services.k8s.aws"
	EKSGroup            = "eks.services.k8s.aws"
	CloudWatchLogsGroup = "cloudwatchlogs.services.k8s.aws"
	Version             = "v1alpha1"
)

// GroupSuffix marks the API groups of all ACK controllers.
const GroupSuffix = ".services.k8s.aws"

// IsGroup reports whether group is an ACK controller's API group.
func IsGroup(group string) bool { return strings.HasSuffix(group, GroupSuffix) }

// Annotations ACK reads on every resource.
const (
	RegionAnnotation         = "services.k8s.aws/region"
	DeletionPolicyAnnotation = "services.k8s.aws/deletion-policy"
)

// What the ACK runtime reads for cross-account resource management (CARM),
// github.com/aws-controllers-k8s/runtime at 95428e7 (v0.61.0-1; the
// controllers pin v0.62.0): apis/core/v1alpha1/annotations.go and
// pkg/runtime/cache/{account,cache}.go.
const (
	// OwnerAccountAnnotation on a Namespace names the account that owns
	// the resources of the objects in it; the runtime then assumes the
	// role the account map gives for that account.
	OwnerAccountAnnotation = "services.k8s.aws/owner-account-id"
	// DefaultRegionAnnotation on a Namespace is the region of its objects
	// that carry no RegionAnnotation.
	DefaultRegionAnnotation = "services.k8s.aws/default-region"
	// AccountMapName is the ConfigMap mapping account IDs to role ARNs
	// (cache.ACKRoleAccountMap), read only in SystemNamespace.
	AccountMapName = "ack-role-account-map"
	// SystemNamespace is the runtime's default ACK system namespace
	// (cache.defaultACKSystemNamespace; ACK_SYSTEM_NAMESPACE overrides it).
	SystemNamespace = "ack-system"
)

// Ref points at another ACK object in the same namespace by metadata.name;
// the controller resolves it to that object's ID or ARN.
type Ref struct {
	From RefFrom `json:"from"`
}

// RefFrom is the body of a Ref.
type RefFrom struct {
	Name string `json:"name"`
}

// To returns a Ref to the object named name.
func To(name string) *Ref { return &Ref{From: RefFrom{Name: name}} }

// Tag is the list-shaped tag of EC2 and IAM kinds. EKS and CloudWatch Logs
// kinds take a map instead.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Object is what every ACK kind here embeds.
type Object struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
}

// Meta builds the common header for a kind of group.
func Meta(group, kind, name string) Object {
	return Object{
		TypeMeta:   metav1.TypeMeta{APIVersion: group + "/" + Version, Kind: kind},
		ObjectMeta: metav1.ObjectMeta{Name: name},
	}
}
