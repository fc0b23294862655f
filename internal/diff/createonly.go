package diff

import "k8s.io/apimachinery/pkg/runtime/schema"

const (
	ec2Group = "ec2.services.k8s.aws"
	eksGroup = "eks.services.k8s.aws"
	iamGroup = "iam.services.k8s.aws"
)

// createOnly lists, per kind, the spec fields FIELDS.md calls create-only:
// the CRD has no CEL rule for them, so the apiserver accepts a change, but the
// controller has no update path: the AWS resource keeps its old value and
// the object still reports Synced. Fields the CRD makes immutable with CEL
// belong to schema.Immutable, never here (TestCreateOnlyIsNotCEL).
//
// Cluster spec.bootstrapSelfManagedAddons is create-only too (EKS reads it
// only in CreateCluster; eks-controller generator.yaml marks it compare
// is_ignored) but is left out on purpose: render apply refuses, and
// --allow-replace recreates, what touches a field listed here, and on a
// cluster created before render set it false nothing needs recreating:
// the Addon objects take over the bootstrapped copies (resolveConflicts
// OVERWRITE).
var createOnly = map[schema.GroupKind][]string{
	{Group: ec2Group, Kind: "Subnet"}: {
		"spec.availabilityZone", "spec.availabilityZoneID", "spec.cidrBlock", "spec.vpcID", "spec.vpcRef",
	},
	{Group: ec2Group, Kind: "NATGateway"}: {
		"spec.allocationID", "spec.allocationRef", "spec.connectivityType", "spec.subnetID", "spec.subnetRef",
	},
	{Group: ec2Group, Kind: "RouteTable"}:    {"spec.vpcID", "spec.vpcRef"},
	{Group: ec2Group, Kind: "SecurityGroup"}: {"spec.description", "spec.name"},
	{Group: eksGroup, Kind: "Nodegroup"}:     {"spec.capacityType"},
	// EKS has no API to change a cluster's IAM role, and the controller's
	// update (eks-controller v1.20.0 pkg/resource/cluster/hook.go
	// customUpdate, lines 231-457) has no case for it.
	{Group: eksGroup, Kind: "Cluster"}: {"spec.roleARN", "spec.roleRef"},
	// "Changes to FargateProfile resources are not currently possible":
	// every spec field but tags (TestFargateProfileCreateOnlyCoversSpec).
	{Group: eksGroup, Kind: "FargateProfile"}: {
		"spec.clientRequestToken", "spec.clusterName", "spec.clusterRef", "spec.name", "spec.podExecutionRoleARN",
		"spec.podExecutionRoleRef", "spec.selectors", "spec.subnetRefs", "spec.subnets",
	},
	{Group: iamGroup, Kind: "Role"}: {"spec.name"},
}

// CreateOnly returns the create-only spec paths of gk, sorted, in the
// notation of schema.Set.Immutable; nil for a kind without any.
func CreateOnly(gk schema.GroupKind) []string {
	return append([]string(nil), createOnly[gk]...)
}
