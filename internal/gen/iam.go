package gen

import (
	"encoding/json"
	"fmt"

	"github.com/eks-render/render/internal/ack"
)

// Role object names.
const (
	clusterRoleName  = "cluster"
	nodeRoleName     = "node"
	fargateRoleName  = "fargate-pods"
	flowLogsRoleName = "flow-logs"
)

// policyDocument is an IAM policy. Every policy render writes is built from
// it and names its actions one by one: no wildcard actions.
type policyDocument struct {
	Version   string      `json:"Version"`
	Statement []statement `json:"Statement"`
}

// conditions is a statement's Condition: operator, key, then a value or a
// list of values.
type conditions map[string]map[string]any

type statement struct {
	Sid       string            `json:"Sid,omitempty"`
	Effect    string            `json:"Effect"`
	Principal map[string]string `json:"Principal,omitempty"`
	Action    []string          `json:"Action"`
	Resource  []string          `json:"Resource,omitempty"`
	Condition conditions        `json:"Condition,omitempty"`
}

func (d policyDocument) String() string {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		panic(err) // impossible: the type holds only strings, maps and slices
	}
	return string(b) + "\n"
}

// trust is a trust policy letting service assume the role.
func trust(service string, actions []string, condition conditions) policyDocument {
	return policyDocument{Version: "2012-10-17", Statement: []statement{{
		Effect: "Allow", Principal: map[string]string{"Service": service}, Action: actions, Condition: condition,
	}}}
}

// account is the account ID for ARNs, or "*" when the file does not give it
// (the ARN conditions below are ArnLike, which accepts the wildcard).
func (r *renderer) account() string {
	if r.env.AccountID == "" {
		return "*"
	}
	return r.env.AccountID
}

func (r *renderer) managedPolicy(name string) string {
	return fmt.Sprintf("arn:%s:iam::aws:policy/%s", r.env.Partition, name)
}

func (r *renderer) role(name, description string, doc policyDocument, policies []string) *ack.Role {
	return &ack.Role{Object: r.meta(ack.IAMGroup, "Role", name), Spec: ack.RoleSpec{
		AssumeRolePolicyDocument: doc.String(),
		Description:              description,
		Name:                     r.env.ClusterName + "-" + name,
		Policies:                 policies,
		Tags:                     r.ec2Tags(name, nil),
	}}
}

// roles returns the cluster role, the node role (unless Fargate-only), the
// Fargate pod execution role and the flow-log role (when flow logs are on).
func (r *renderer) roles() []any {
	env := r.env
	objs := []any{
		r.role(clusterRoleName, "EKS control plane of "+env.ClusterName,
			trust("eks.amazonaws.com", []string{"sts:AssumeRole"}, r.clusterTrustCondition()),
			[]string{r.managedPolicy("AmazonEKSClusterPolicy")}),
	}
	if env.NodeGroup != nil {
		// No AmazonEKS_CNI_Policy: the VPC CNI gets it through its own IRSA
		// role (cniRole), as AWS recommends ("we recommend removing it and
		// attaching it to an IAM role that is mapped to the aws-node
		// Kubernetes service account instead", AWS EKS User Guide,
		// create-node-role.adoc at 4d52b4d0).
		objs = append(objs, r.role(nodeRoleName, "kube-system nodes of "+env.ClusterName,
			trust("ec2.amazonaws.com", []string{"sts:AssumeRole"}, nil),
			[]string{
				r.managedPolicy("AmazonEC2ContainerRegistryReadOnly"),
				r.managedPolicy("AmazonEKSWorkerNodePolicy"),
			}))
	}
	profiles := fmt.Sprintf("arn:%s:eks:%s:%s:fargateprofile/%s/*", env.Partition, env.Region, r.account(), env.ClusterName)
	fargate := r.role(fargateRoleName, "Fargate pods of "+env.ClusterName,
		trust("eks-fargate-pods.amazonaws.com", []string{"sts:AssumeRole"},
			conditions{"ArnLike": {"aws:SourceArn": profiles}}),
		[]string{r.managedPolicy("AmazonEKSFargatePodExecutionRolePolicy")})
	fargate.Spec.InlinePolicies = r.fargatePodLogsPolicy()
	objs = append(objs, fargate)
	if env.Network.FlowLogs.Enabled {
		objs = append(objs, r.flowLogsRole())
	}
	return objs
}

// clusterTrustCondition lets EKS assume the cluster role only for this
// environment's cluster, as AWS recommends against the confused deputy
// (docs.aws.amazon.com/eks/latest/userguide/cross-service-confused-deputy-prevention.html:
// aws:SourceArn the cluster's ARN, aws:SourceAccount its account). The
// ARN is known before the cluster exists: EKS names it after spec.name.
// sts:TagSession is not granted: the standard cluster role's trust has
// sts:AssumeRole alone (docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html);
// only EKS Auto Mode's adds it (.../auto-cluster-iam-role.html).
func (r *renderer) clusterTrustCondition() conditions {
	env := r.env
	cond := conditions{"ArnLike": {
		"aws:SourceArn": fmt.Sprintf("arn:%s:eks:%s:%s:cluster/%s", env.Partition, env.Region, r.account(), env.ClusterName),
	}}
	if env.AccountID != "" {
		cond["StringEquals"] = map[string]any{"aws:SourceAccount": env.AccountID}
	}
	return cond
}

// flowLogsRole lets VPC flow logs write to their own log group only.
func (r *renderer) flowLogsRole() *ack.Role {
	env := r.env
	cond := conditions{"ArnLike": {
		"aws:SourceArn": fmt.Sprintf("arn:%s:ec2:%s:%s:vpc-flow-log/*", env.Partition, env.Region, r.account()),
	}}
	if env.AccountID != "" {
		cond["StringEquals"] = map[string]any{"aws:SourceAccount": env.AccountID}
	}
	groups := r.logGroupARN("")
	group := r.logGroupARN(r.adoptedName("LogGroup/"+flowLogsName, flowLogGroup(env.ClusterName)))
	write := policyDocument{Version: "2012-10-17", Statement: []statement{
		{Sid: "WriteFlowLogs", Effect: "Allow",
			Action:   []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
			Resource: []string{group, group + ":*"}},
		{Sid: "FindLogGroup", Effect: "Allow", Action: []string{"logs:DescribeLogGroups"}, Resource: []string{groups + "*"}},
	}}
	role := r.role(flowLogsRoleName, "VPC flow logs of "+env.ClusterName,
		trust("vpc-flow-logs.amazonaws.com", []string{"sts:AssumeRole"}, cond), nil)
	role.Spec.InlinePolicies = map[string]string{"write-flow-logs": write.String()}
	return role
}

// logGroupARN is the ARN of the environment's CloudWatch Logs group name;
// its log streams are that followed by ":*".
func (r *renderer) logGroupARN(name string) string {
	return fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", r.env.Partition, r.env.Region, r.account(), name)
}
