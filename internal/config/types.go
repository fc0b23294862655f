package config

// APIVersion and Kind identify a platform configuration document.
const (
	APIVersion = "platform.eks-render.dev/v1alpha1"
	Kind       = "Platform"
)

// Document is the whole configuration file as written: a versioned header,
// the values every environment shares, and one section per environment in
// which any of those values may be overridden.
type Document struct {
	// APIVersion is the version of this file's format.
	APIVersion string `yaml:"apiVersion"`
	// Kind is always Platform.
	Kind string `yaml:"kind"`
	// Spec holds the values shared by every environment.
	Spec Spec `yaml:"spec"`
	// Environments maps an environment name (a DNS label such as "dev") to
	// the values that differ there. Maps and scalars merge over Spec; a list
	// given here replaces Spec's list whole.
	Environments map[string]Spec `yaml:"environments"`
}

// Spec is the set of platform values. Every field is optional in the file:
// pointers and nil slices mean "not set here", so the merge can tell an
// explicit false or zero from an absent field.
type Spec struct {
	// Name is the platform name (required): lowercase letters, digits and
	// "-". Each environment's EKS cluster is "<name>-<environment>", at most
	// 40 characters (it names IAM roles), and so is its management-cluster
	// namespace.
	Name *string `yaml:"name"`
	// Region is the AWS region, e.g. us-west-2: a region of the aws, aws-cn
	// or aws-us-gov partition as botocore's endpoints.json lists them
	// (internal/config/regions.txt). Default us-west-2. cn-* and us-gov-*
	// regions switch the ARN partition. An environment may set its own, in
	// the partition of management.region; every ARN, condition and the
	// kubeconfig follow it.
	Region *string `yaml:"region"`
	// AccountID is the 12-digit AWS account ID, quoted. Optional: when
	// absent, ARNs that need it are written with a "*" account. An
	// environment may set its own: when it differs from
	// management.accountID, the ACK controllers manage the environment's
	// resources through a role in that account (cross-account resource
	// management; docs/how-it-works.md, "Accounts and regions"), which
	// render bootstrap ENV writes the CloudFormation template for.
	AccountID *string `yaml:"accountID"`
	// Management is where the management cluster's ACK controllers run.
	// Set under spec only.
	Management *Management `yaml:"management"`
	// Tags are added to every AWS resource. Keys merge across sections. At
	// most 40; not Name, kubernetes.io/*, aws:* or services.k8s.aws/*.
	Tags map[string]string `yaml:"tags"`
	// DeletionPolicy is what ACK does to the AWS resource when its object
	// is deleted: delete or retain. Default: retain in an environment named
	// prod, delete elsewhere.
	DeletionPolicy *string `yaml:"deletionPolicy"`

	Network         *Network         `yaml:"network"`
	Cluster         *Cluster         `yaml:"cluster"`
	NodeGroup       *NodeGroup       `yaml:"nodeGroup"`
	FargateProfiles []FargateProfile `yaml:"fargateProfiles"`
	// FargateSystemSelectors is where a Fargate-only environment selects
	// CoreDNS and the load balancer controller: withGameProfile, in the
	// first Fargate profile that selects the whole 2048-game namespace and
	// has room, so that the game needs one profile; or ownProfile, in a
	// kube-system profile of their own, the layout before issue 30: keep
	// it for an environment created so, whose profiles would otherwise be
	// replaced. Default withGameProfile.
	FargateSystemSelectors *string  `yaml:"fargateSystemSelectors"`
	App                    *App     `yaml:"app"`
	Logging                *Logging `yaml:"logging"`
}

// Management is the account and region of the management cluster's ACK
// controllers: their own IAM role's account, and their --aws-region.
type Management struct {
	// AccountID is the 12-digit account of the controllers' IAM role,
	// quoted. Default: spec.accountID. An environment in another account
	// is managed cross-account, and needs this set (directly or through
	// spec.accountID).
	AccountID *string `yaml:"accountID"`
	// Region is the controllers' --aws-region. Default: spec.region. An
	// environment in another region gets the namespace annotation
	// services.k8s.aws/default-region (its objects carry
	// services.k8s.aws/region in any case).
	Region *string `yaml:"region"`
	// Controllers are the ARNs of the management cluster's ACK controller
	// IAM roles, which the role in another account trusts (render
	// bootstrap). Default: arn:<partition>:iam::<management.accountID>:role/ack-<service>-controller
	// for ec2, iam, eks and cloudwatchlogs, the role names ACK's install
	// guide uses.
	Controllers []string `yaml:"controllers"`
}

// Network describes the VPC and its subnets: one render creates, or, with
// Existing, one it does not own.
type Network struct {
	// VPCCIDR is the VPC's IPv4 CIDR, /16 to /28. Default 10.0.0.0/16.
	VPCCIDR *string `yaml:"vpcCIDR"`
	// AZCount is how many availability zones to use (2 to 6, default 3),
	// taken in order <region>a, <region>b, ... unless AvailabilityZones
	// names them.
	AZCount *int `yaml:"azCount"`
	// AvailabilityZones names the zones explicitly, e.g. [us-west-2a, us-west-2c].
	AvailabilityZones []string `yaml:"availabilityZones"`
	// Subnets gives the public and private CIDR of each zone, in zone order.
	// Default: carved out of VPCCIDR in zone order (for a /16, private /19s
	// from x.x.0.0 and public /22s from x.x.224.0).
	Subnets []SubnetPair `yaml:"subnets"`
	// NATMode is perAZ (one NAT gateway per zone), single or none. Default perAZ.
	NATMode *string `yaml:"natMode"`
	// FlowLogs configures VPC flow logs to CloudWatch Logs.
	FlowLogs *FlowLogs `yaml:"flowLogs"`
	// Existing puts the environment on a VPC and subnets it does not own,
	// e.g. a network team's: render then creates no VPC, subnets, gateways,
	// Elastic IPs or route tables, and the Cluster, Fargate profiles and
	// node group take the private subnet IDs. Per environment only (IDs
	// differ between environments); vpcCIDR, azCount, availabilityZones,
	// subnets and natMode may not be set in the same environment, and a
	// flow log on the VPC is rendered only when this environment sets
	// network.flowLogs.enabled: true. What only AWS can check (zones,
	// routes, discovery tags) render diff lists as assumed
	// (docs/how-it-works.md, "An existing network").
	Existing *ExistingNetwork `yaml:"existing"`
}

// ExistingNetwork names a VPC and subnets that exist already.
type ExistingNetwork struct {
	// VPCID is the VPC's ID: vpc- and 8 or 17 hex digits.
	VPCID string `yaml:"vpcID"`
	// PrivateSubnetIDs are the subnets of the cluster, its Fargate pods and
	// nodes (subnet- and 8 or 17 hex digits), at least two, in at least two
	// zones, with a route to a NAT gateway (or VPC endpoints).
	PrivateSubnetIDs []string `yaml:"privateSubnetIDs"`
	// PublicSubnetIDs are the subnets of the game's internet-facing load
	// balancer, at least two, in at least two zones, with a route to an
	// internet gateway. None may also be private.
	PublicSubnetIDs []string `yaml:"publicSubnetIDs"`
}

// SubnetPair is one zone's public and private subnet CIDRs.
type SubnetPair struct {
	// Public is the CIDR of the zone's public subnet (load balancers, NAT).
	Public string `yaml:"public"`
	// Private is the CIDR of the zone's private subnet (pods, nodes).
	Private string `yaml:"private"`
}

// FlowLogs configures VPC flow logs.
type FlowLogs struct {
	// Enabled turns flow logs on. Default true on a VPC render creates,
	// false on an existing one (network.existing), where only true written
	// in the environment's own section turns them on.
	Enabled *bool `yaml:"enabled"`
	// RetentionDays is the log group retention. Default 30.
	RetentionDays *int `yaml:"retentionDays"`
	// TrafficType is ALL, ACCEPT or REJECT. Default ALL.
	TrafficType *string `yaml:"trafficType"`
}

// Logging configures where the logs of the new cluster's pods go.
type Logging struct {
	// Fargate configures the log router EKS runs for every Fargate pod.
	Fargate *FargateLogging `yaml:"fargate"`
}

// FargateLogging sends what every Fargate pod prints to the CloudWatch
// Logs group /aws/eks/<cluster>/fargate, one log stream per container
// (EKS User Guide, fargate-logging). Rendered in environments with Fargate
// profiles: the aws-observability namespace and its aws-logging ConfigMap
// in the workload, the log group, and write access to it for the Fargate
// pod execution role. Pods started before the ConfigMap exists are not
// logged, so render applies it before any workload.
type FargateLogging struct {
	// Enabled turns Fargate pod logging on. Default true.
	Enabled *bool `yaml:"enabled"`
	// RetentionDays is the retention of /aws/eks/<cluster>/fargate.
	// Default: cluster.logRetentionDays.
	RetentionDays *int `yaml:"retentionDays"`
}

// Cluster describes the EKS control plane.
type Cluster struct {
	// Version is the Kubernetes minor version, as a string: "1.35". It must
	// be one EKS offers on the day render runs (released, and before its
	// end-of-extended-support day, by internal/eksversion/releases.md).
	// Default: the newest version in EKS standard support that day. Set it:
	// a default that moves would upgrade the cluster. Changing it upgrades
	// the cluster, its node group and its add-ons, one minor at a time
	// (docs/operations.md, "Upgrading"). The allowed values listed here are
	// those EKS offers on the day the calendar was last checked; on the day
	// render runs, the calendar decides.
	Version *string `yaml:"version"`
	// SupportType is the cluster's upgradePolicy.supportType: STANDARD
	// (default) lets AWS upgrade the cluster when its version leaves
	// standard support; EXTENDED keeps the version for 12 more months of
	// extended support, billed per cluster hour.
	SupportType *string `yaml:"supportType"`
	// LogTypes are the control-plane log types to send to CloudWatch; an
	// explicit empty list turns control-plane logging off. Default: all five.
	LogTypes []string `yaml:"logTypes"`
	// LogRetentionDays is the retention of /aws/eks/<cluster>/cluster. Default 90.
	LogRetentionDays *int `yaml:"logRetentionDays"`
	// Endpoint sets API server endpoint access.
	Endpoint *Endpoint `yaml:"endpoint"`
	// DeletionProtection blocks deleting the cluster in AWS. Default: true
	// in an environment named prod, false elsewhere.
	DeletionProtection *bool `yaml:"deletionProtection"`
	// Admins are IAM role or user ARNs of the region's partition, given
	// cluster-admin through EKS access entries. At least one is required.
	Admins []string `yaml:"admins"`
}

// Endpoint is the EKS API server endpoint access.
type Endpoint struct {
	// PublicAccess exposes the endpoint on the internet. Default true.
	PublicAccess *bool `yaml:"publicAccess"`
	// PrivateAccess exposes it inside the VPC. Default true.
	PrivateAccess *bool `yaml:"privateAccess"`
	// PublicAccessCIDRs limits public access. Default [0.0.0.0/0].
	PublicAccessCIDRs []string `yaml:"publicAccessCIDRs"`
}

// NodeGroup is the managed node group that runs kube-system. With Enabled
// false the cluster is Fargate-only and CoreDNS runs on Fargate.
type NodeGroup struct {
	// Enabled renders the node group. Default true.
	Enabled *bool `yaml:"enabled"`
	// InstanceTypes default [t3.medium].
	InstanceTypes []string `yaml:"instanceTypes"`
	// MinSize, DesiredSize, MaxSize: 0 <= min <= desired <= max, max >= 1.
	// Defaults 1, 2, 3.
	MinSize     *int `yaml:"minSize"`
	DesiredSize *int `yaml:"desiredSize"`
	MaxSize     *int `yaml:"maxSize"`
	// AMIType default AL2023_x86_64_STANDARD.
	AMIType *string `yaml:"amiType"`
	// CapacityType is ON_DEMAND or SPOT. Default ON_DEMAND.
	CapacityType *string `yaml:"capacityType"`
	// DiskSize in GiB, 20 to 16384. Default 20.
	DiskSize *int `yaml:"diskSize"`
}

// FargateProfile selects the pods that run on Fargate. In a Fargate-only
// environment render adds the selectors of CoreDNS and the load balancer
// controller to the first profile that selects the whole 2048-game
// namespace and has room for two more, so that the game needs one profile
// (EKS creates them one at a time), else a kube-system profile of their
// own; and a metrics-server profile.
type FargateProfile struct {
	// Name is the AWS profile name, unique in the cluster.
	Name string `yaml:"name"`
	// Selectors: 1 to 5.
	Selectors []Selector `yaml:"selectors"`
}

// Selector matches pods by namespace and, optionally, labels.
type Selector struct {
	// Namespace is the namespace of the pods the profile runs.
	Namespace string `yaml:"namespace"`
	// Labels, if any, the pods must also carry (1 to 5).
	Labels map[string]string `yaml:"labels"`
}

// App is the 2048 game deployed to the new cluster.
type App struct {
	// Replicas, 1 to 100. Default 2.
	Replicas *int `yaml:"replicas"`
	// Image, pinned by a version tag or a digest; latest is refused. The
	// default, AWS's 2048 example, is the one exception: AWS publishes it
	// only as latest, so pin it by digest (or mirror it) for anything you
	// rely on.
	Image *string `yaml:"image"`
	// CPU and Memory are the container's requests (and memory limit).
	// Defaults 250m and 256Mi: Fargate adds 256Mi to a pod's memory request
	// and rounds up to the next size it offers, so these land on the
	// smallest, 0.25 vCPU and 0.5 GB; 512Mi would be billed as 1 GB (AWS EKS
	// User Guide, fargate-pod-configuration). render diff shows each
	// Deployment's Fargate size.
	CPU    *string `yaml:"cpu"`
	Memory *string `yaml:"memory"`
	// Autoscaling hands the replica count to a HorizontalPodAutoscaler.
	Autoscaling *Autoscaling `yaml:"autoscaling"`
	// TLS serves the game over HTTPS with an existing ACM certificate; HTTP
	// then redirects to HTTPS. Off when absent.
	TLS *TLS `yaml:"tls"`
}

// TLS is the game's HTTPS listener on the load balancer (port 443, and a
// redirect from port 80).
type TLS struct {
	// CertificateARN is an issued ACM certificate,
	// arn:<partition>:acm:<region>:<account>:certificate/<id>, in the
	// environment's region (ACM certificates are regional and a load
	// balancer uses one of its own region) and, where accountID is set, its
	// account. Required.
	CertificateARN *string `yaml:"certificateARN"`
	// SSLPolicy is the listener's predefined ELB security policy. Default
	// ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09, the policy AWS recommends
	// and the console's default (TLS 1.3 and 1.2, hybrid post-quantum key
	// exchange); the load balancer controller's own default,
	// ELBSecurityPolicy-2016-08, still accepts TLS 1.0. A region that does
	// not offer the default yet needs another here, e.g.
	// ELBSecurityPolicy-TLS13-1-2-2021-06.
	SSLPolicy *string `yaml:"sslPolicy"`
	// Domain and HostedZoneID, to have render request the certificate and
	// the DNS records, are not supported yet: ACK's ACM and Route 53 CRDs
	// are not part of this project. Setting either is an error.
	Domain       *string `yaml:"domain"`
	HostedZoneID *string `yaml:"hostedZoneID"`
}

// Autoscaling scales the game on CPU between MinReplicas and MaxReplicas.
// With Enabled, app.replicas is not rendered: the autoscaler owns it.
type Autoscaling struct {
	// Enabled renders the HorizontalPodAutoscaler. Default false.
	Enabled *bool `yaml:"enabled"`
	// MinReplicas and MaxReplicas: 1 <= min <= max <= 100. Defaults 2 and 10.
	MinReplicas *int `yaml:"minReplicas"`
	MaxReplicas *int `yaml:"maxReplicas"`
	// TargetCPUUtilization is the average CPU use, in percent of the
	// container's request, the autoscaler keeps the pods at: 1 to 100.
	// Default 70.
	TargetCPUUtilization *int `yaml:"targetCPUUtilization"`
}
