package gen

import (
	"fmt"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/graph"
)

const (
	clusterLogsName = "cluster"
	flowLogsName    = "flow-logs"
	flowLogName     = "vpc"
)

// ClusterLogGroup is the log group EKS writes control-plane logs to; owning
// it lets render set its retention (EKS would create it with none). The
// graph orders the Cluster after it by the same name.
func ClusterLogGroup(cluster string) string { return graph.ControlPlaneLogGroup(cluster) }

func flowLogGroup(cluster string) string { return fmt.Sprintf("/aws/vpc-flow-logs/%s", cluster) }

func (r *renderer) logGroups() []any {
	env := r.env
	objs := []any{&ack.LogGroup{Object: r.meta(ack.CloudWatchLogsGroup, "LogGroup", clusterLogsName), Spec: ack.LogGroupSpec{
		Name: ClusterLogGroup(env.ClusterName), RetentionDays: env.Cluster.LogRetentionDays, Tags: r.mapTags(),
	}}}
	if env.Network.FlowLogs.Enabled {
		objs = append(objs, &ack.LogGroup{Object: r.meta(ack.CloudWatchLogsGroup, "LogGroup", flowLogsName), Spec: ack.LogGroupSpec{
			Name: flowLogGroup(env.ClusterName), RetentionDays: env.Network.FlowLogs.RetentionDays, Tags: r.mapTags(),
		}})
	}
	return objs
}

// flowLog returns the VPC's FlowLog, or, while the VPC ID is unknown, a
// line saying why it is not rendered yet. On network.existing the ID is
// known from the file, and the flow log is there only when the
// environment turns it on (config).
func (r *renderer) flowLog() (*ack.FlowLog, string) {
	if !r.env.Network.FlowLogs.Enabled {
		return nil, ""
	}
	if r.vpcID() == "" {
		return nil, r.name("FlowLog", flowLogName) + ": waits for the VPC ID (FlowLog.spec.resourceID has no reference form)"
	}
	return &ack.FlowLog{Object: r.meta(ack.EC2Group, "FlowLog", flowLogName), Spec: ack.FlowLogSpec{
		DeliverLogsPermissionRef: ack.To(flowLogsRoleName), LogDestinationType: "cloud-watch-logs",
		LogGroupRef: ack.To(flowLogsName), ResourceID: r.vpcID(), ResourceType: "VPC",
		TrafficType: r.env.Network.FlowLogs.TrafficType, Tags: r.ec2Tags(flowLogName, nil),
	}}, ""
}
