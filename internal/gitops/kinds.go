package gitops

import (
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/ack"
)

// Kinds returns every ACK kind render can emit, sorted by group and kind:
// those of the first phase and those that wait for late values (FlowLog,
// OpenIDConnectProvider, Policy) or for a setting (Nodegroup). Health
// checks are written for each; TestKindsAreWhatGenEmits keeps the list
// equal to what gen renders across the test configurations.
func Kinds() []schema.GroupVersionKind {
	kinds := []struct{ group, kind string }{
		{ack.CloudWatchLogsGroup, "LogGroup"},
		{ack.EC2Group, "ElasticIPAddress"},
		{ack.EC2Group, "FlowLog"},
		{ack.EC2Group, "InternetGateway"},
		{ack.EC2Group, "NATGateway"},
		{ack.EC2Group, "RouteTable"},
		{ack.EC2Group, "Subnet"},
		{ack.EC2Group, "VPC"},
		{ack.EKSGroup, "AccessEntry"},
		{ack.EKSGroup, "Addon"},
		{ack.EKSGroup, "Cluster"},
		{ack.EKSGroup, "FargateProfile"},
		{ack.EKSGroup, "Nodegroup"},
		{ack.IAMGroup, "OpenIDConnectProvider"},
		{ack.IAMGroup, "Policy"},
		{ack.IAMGroup, "Role"},
	}
	out := make([]schema.GroupVersionKind, len(kinds))
	for i, k := range kinds {
		out[i] = schema.GroupVersionKind{Group: k.group, Version: ack.Version, Kind: k.kind}
	}
	return out
}
