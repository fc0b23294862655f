package ack

import (
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// CreateOnly lists, per kind, the spec fields FIELDS.md calls create-only:
// the CRD has no CEL rule for them, so the apiserver accepts a change, but the
// controller has no update path: the AWS resource keeps its old value and
// the object still reports Synced. Fields the CRD makes immutable with CEL
// belong to schema.Immutable, never here (internal/diff TestCreateOnlyIsNotCEL).
// internal/diff warns of a change to them; gen renders the live value of
// one an imports entry keeps (config.Adoption.Keep).
//
// Cluster spec.bootstrapSelfManagedAddons is create-only too (EKS reads it
// only in CreateCluster; eks-controller generator.yaml marks it compare
// is_ignored) but is left out on purpose: render apply refuses, and
// --allow-replace recreates, what touches a field listed here, and on a
// cluster created before render set it false nothing needs recreating:
// the Addon objects take over the bootstrapped copies (resolveConflicts
// OVERWRITE).
var CreateOnly = map[schema.GroupKind][]string{
	{Group: EC2Group, Kind: "Subnet"}: {
		"spec.availabilityZone", "spec.availabilityZoneID", "spec.cidrBlock", "spec.vpcID", "spec.vpcRef",
	},
	{Group: EC2Group, Kind: "NATGateway"}: {
		"spec.allocationID", "spec.allocationRef", "spec.connectivityType", "spec.subnetID", "spec.subnetRef",
	},
	{Group: EC2Group, Kind: "RouteTable"}:    {"spec.vpcID", "spec.vpcRef"},
	{Group: EC2Group, Kind: "SecurityGroup"}: {"spec.description", "spec.name"},
	{Group: EKSGroup, Kind: "Nodegroup"}:     {"spec.capacityType"},
	// EKS has no API to change a cluster's IAM role, and the controller's
	// update (eks-controller v1.20.0 pkg/resource/cluster/hook.go
	// customUpdate, lines 231-457) has no case for it.
	{Group: EKSGroup, Kind: "Cluster"}: {"spec.roleARN", "spec.roleRef"},
	// "Changes to FargateProfile resources are not currently possible":
	// every spec field but tags (internal/diff TestFargateProfileCreateOnlyCoversSpec).
	{Group: EKSGroup, Kind: "FargateProfile"}: {
		"spec.clientRequestToken", "spec.clusterName", "spec.clusterRef", "spec.name", "spec.podExecutionRoleARN",
		"spec.podExecutionRoleRef", "spec.selectors", "spec.subnetRefs", "spec.subnets",
	},
	{Group: IAMGroup, Kind: "Role"}: {"spec.name"},
}

// FieldStem is a field path without its ID or reference suffix:
// spec.roleARN and spec.roleRef are both spec.role, spec.subnets and
// spec.subnetRefs both spec.subnet. Two create-only paths with one stem
// are one field given as IDs or as references.
func FieldStem(path string) string {
	for _, suffix := range []string{"Refs", "Ref", "IDs", "ID", "ARN", "s"} {
		if t, ok := strings.CutSuffix(path, suffix); ok {
			return t
		}
	}
	return path
}

// IsRef reports whether path is a field's reference form (spec.roleRef,
// spec.subnetRefs), which ACK resolves to the ID form.
func IsRef(path string) bool {
	return strings.HasSuffix(path, "Ref") || strings.HasSuffix(path, "Refs")
}
