package config

// Environment is one environment with every default applied and every
// derived value computed. It is what the generator consumes.
type Environment struct {
	// Name is the environment name, e.g. dev.
	Name string
	// Platform is spec.name; ClusterName is "<platform>-<environment>" and
	// is also the management-cluster namespace of the environment's objects.
	Platform    string
	ClusterName string
	Region      string
	// Partition is aws, aws-cn or aws-us-gov, from the region.
	Partition string
	// AccountID is empty when the file does not give it.
	AccountID string
	// Management is where the ACK controllers run; an AccountID other
	// than Management.AccountID makes the environment CrossAccount.
	Management     ManagementEnv
	Tags           map[string]string
	DeletionPolicy string
	Network        NetworkEnv
	Cluster        ClusterEnv
	// NodeGroup is nil in Fargate-only mode.
	NodeGroup       *NodeGroupEnv
	FargateProfiles []FargateProfile
	App             AppEnv
	// FargateLogs is nil when Fargate pod logging is off.
	FargateLogs *FargateLogsEnv
	// Adopt lists the objects that take over existing AWS resources, from
	// the environment's imports file (render import); none without one.
	Adopt []Adoption
}

// NetworkEnv is the resolved network of an environment. With Existing,
// VPCCIDR, Zones and NATMode are empty: render creates no network.
type NetworkEnv struct {
	VPCCIDR  string
	Zones    []Zone
	NATMode  string
	FlowLogs FlowLogsEnv
	// Existing is the network the environment uses instead of its own,
	// nil when render creates the VPC.
	Existing *ExistingNetworkEnv
}

// ExistingNetworkEnv is a VPC and subnets render does not own.
type ExistingNetworkEnv struct {
	VPCID            string
	PrivateSubnetIDs []string
	PublicSubnetIDs  []string
}

// Zone is one availability zone with its two subnets.
type Zone struct {
	// Name is the AZ name, e.g. us-west-2a; Suffix is the part after the
	// region ("a"), used in object names so they stay stable across regions.
	Name        string
	Suffix      string
	PublicCIDR  string
	PrivateCIDR string
}

// FlowLogsEnv is the resolved flow-log setting.
type FlowLogsEnv struct {
	Enabled       bool
	RetentionDays int
	TrafficType   string
}

// FargateLogsEnv is the resolved Fargate pod logging.
type FargateLogsEnv struct {
	RetentionDays int
}

// ClusterEnv is the resolved EKS control plane.
type ClusterEnv struct {
	Version            string
	SupportType        string
	LogTypes           []string
	LogRetentionDays   int
	PublicAccess       bool
	PrivateAccess      bool
	PublicAccessCIDRs  []string
	DeletionProtection bool
	Admins             []string
}

// NodeGroupEnv is the resolved managed node group.
type NodeGroupEnv struct {
	InstanceTypes                 []string
	MinSize, DesiredSize, MaxSize int
	AMIType, CapacityType         string
	DiskSize                      int
}

// AppEnv is the resolved 2048 game.
type AppEnv struct {
	// Replicas is unused when Autoscaling is set.
	Replicas    int
	Image       string
	CPU, Memory string
	// Autoscaling is nil when the autoscaler is off.
	Autoscaling *AutoscalingEnv
	// TLS is nil when the game is served over HTTP only.
	TLS *TLSEnv
}

// TLSEnv is the resolved HTTPS listener of the game.
type TLSEnv struct {
	CertificateARN, SSLPolicy string
}

// AutoscalingEnv is the resolved HorizontalPodAutoscaler.
type AutoscalingEnv struct {
	MinReplicas, MaxReplicas int
	TargetCPUUtilization     int
}

// MaxReplicas is the most replicas the game can run: the autoscaler's
// maximum, else the fixed count.
func (a AppEnv) MaxReplicas() int {
	if a.Autoscaling != nil {
		return a.Autoscaling.MaxReplicas
	}
	return a.Replicas
}

// NAT modes.
const (
	NATPerAZ  = "perAZ"
	NATSingle = "single"
	NATNone   = "none"
)

// Deletion policies, as ACK's services.k8s.aws/deletion-policy annotation spells them.
const (
	DeletionDelete = "delete"
	DeletionRetain = "retain"
)
