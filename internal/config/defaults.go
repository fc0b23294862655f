package config

import (
	"slices"
	"sync"

	"github.com/eks-render/render/internal/eksversion"
)

// Allowed values. They are the documented AWS rules the file is checked
// against, listed once here and quoted in error messages.
var (
	// KubernetesVersions are the versions the EKS calendar lists (package
	// eksversion), oldest first. A cluster may use those EKS offers on the
	// day render runs: released and before their end-of-extended-support day.
	// Computed on first use, so that commands that read no configuration
	// do not parse the calendar.
	KubernetesVersions = sync.OnceValue(calendarVersions)
	// SupportTypes are the values of the Cluster's upgradePolicy.supportType.
	SupportTypes = []string{SupportStandard, SupportExtended}
	// LogTypes are the EKS control-plane log types.
	LogTypes = []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}
	// RetentionDays are the values CloudWatch Logs accepts for retention.
	RetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
	// AMITypes are the managed node group AMI types for a Linux kube-system group.
	AMITypes = []string{
		"AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD",
		"BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64",
	}
	CapacityTypes    = []string{"ON_DEMAND", "SPOT"}
	NATModes         = []string{NATPerAZ, NATSingle, NATNone}
	TrafficTypes     = []string{"ALL", "ACCEPT", "REJECT"}
	DeletionPolicies = []string{DeletionDelete, DeletionRetain}
	// FargateSystemSelectorModes are the values of fargateSystemSelectors.
	FargateSystemSelectorModes = []string{SystemWithGame, SystemOwnProfile}
)

// The values of fargateSystemSelectors.
const (
	SystemWithGame   = "withGameProfile"
	SystemOwnProfile = "ownProfile"
)

// Limits from AWS and Kubernetes naming rules.
const (
	// MaxClusterName keeps every derived name within AWS limits: IAM role
	// names ("<cluster>-fargate-pods", 64 max) and the namespace (63 max).
	MaxClusterName      = 40
	MinZones            = 2
	MaxZones            = 6
	MaxFargateSelectors = 5
	MaxSelectorLabels   = 5
	MaxUserTags         = 40
	// DefaultImage is the 2048 image of the AWS Load Balancer Controller
	// walkthrough (its docs/examples/2048/2048_full.yaml); upstream
	// publishes no other tag, and no digest of it could be read here, so
	// it is the one latest app.image accepts (docs/how-it-works.md).
	DefaultImage = "public.ecr.aws/l6m2t8p7/docker-2048:latest"
)

// Support types (EKS UpgradePolicyRequest.supportType).
const (
	SupportStandard = "STANDARD"
	SupportExtended = "EXTENDED"
)

func calendarVersions() []string {
	var vs []string
	for _, r := range eksversion.Calendar() {
		vs = append(vs, r.Version)
	}
	slices.Reverse(vs)
	return vs
}

func ptr[T any](v T) *T { return &v }

// builtinDefaults are the values an empty spec gets: the 2020 Terraform
// template's platform (a /16 VPC over three zones with a NAT gateway each,
// a small managed node group for kube-system, Fargate for default and
// 2048-game). Defaults that depend on other fields (zone count, the
// environment's deletion policy, public access CIDRs) are applied in resolve.
func builtinDefaults() Spec {
	return Spec{
		Region: ptr("us-west-2"),
		Network: &Network{
			VPCCIDR:  ptr("10.0.0.0/16"),
			NATMode:  ptr(NATPerAZ),
			FlowLogs: &FlowLogs{Enabled: ptr(true), RetentionDays: ptr(30), TrafficType: ptr("ALL")},
		},
		Cluster: &Cluster{
			SupportType:      ptr(SupportStandard),
			LogTypes:         append([]string(nil), LogTypes...),
			LogRetentionDays: ptr(90),
			Endpoint:         &Endpoint{PublicAccess: ptr(true), PrivateAccess: ptr(true)},
		},
		NodeGroup: &NodeGroup{
			Enabled: ptr(true), InstanceTypes: []string{"t3.medium"},
			MinSize: ptr(1), DesiredSize: ptr(2), MaxSize: ptr(3),
			AMIType: ptr("AL2023_x86_64_STANDARD"), CapacityType: ptr("ON_DEMAND"), DiskSize: ptr(20),
		},
		FargateSystemSelectors: ptr(SystemWithGame),
		FargateProfiles: []FargateProfile{
			{Name: "default", Selectors: []Selector{{Namespace: "default"}}},
			{Name: "game-2048", Selectors: []Selector{{Namespace: "2048-game"}}},
		},
		App: &App{
			Replicas: ptr(2), Image: ptr(DefaultImage), CPU: ptr("250m"), Memory: ptr("256Mi"),
			Autoscaling: &Autoscaling{Enabled: ptr(false), MinReplicas: ptr(2), MaxReplicas: ptr(10), TargetCPUUtilization: ptr(70)},
		},
		Logging: &Logging{Fargate: &FargateLogging{Enabled: ptr(true)}},
	}
}

// Defaults returns the values an empty spec gets, for the configuration
// reference and the JSON Schema (render's docs generator); defaults that
// depend on other fields are documented on the fields themselves.
func Defaults() Spec { return builtinDefaults() }

// Enums maps the path (below spec, or an environment) of every field with a
// fixed set of values to that set, as validation checks it; for a list the
// set applies to its items. The configuration reference and the JSON Schema
// are generated from it. cluster.version's set is what EKS offers on the
// day the calendar was last checked (eksversion.ReferenceDay), the set
// render accepts that day; on the day render runs, the calendar decides.
// Built on first use, as KubernetesVersions.
var Enums = sync.OnceValue(func() map[string][]any {
	return map[string][]any{
		"deletionPolicy":                 anys(DeletionPolicies),
		"network.natMode":                anys(NATModes),
		"network.flowLogs.retentionDays": anys(RetentionDays),
		"network.flowLogs.trafficType":   anys(TrafficTypes),
		"cluster.version":                anys(eksversion.Offered(eksversion.ReferenceDay)),
		"cluster.supportType":            anys(SupportTypes),
		"cluster.logTypes":               anys(LogTypes),
		"cluster.logRetentionDays":       anys(RetentionDays),
		"nodeGroup.amiType":              anys(AMITypes),
		"logging.fargate.retentionDays":  anys(RetentionDays),
		"nodeGroup.capacityType":         anys(CapacityTypes),
		"fargateSystemSelectors":         anys(FargateSystemSelectorModes),
	}
})

func anys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}
