package ack

// Cluster is eks.services.k8s.aws/v1alpha1 Cluster.
type Cluster struct {
	Object `json:",inline"`
	Spec   ClusterSpec `json:"spec"`
}

// ClusterSpec is the subset render sets. Fields the controller would
// late-initialize (deletionProtection, accessConfig, endpoint access) are
// always set explicitly so that nothing is fought over.
type ClusterSpec struct {
	AccessConfig *AccessConfig `json:"accessConfig"`
	// BootstrapSelfManagedAddons is always written, false: the add-ons
	// are Addon objects (see gen). EKS reads it only at creation; ACK
	// ignores it in comparisons (eks-controller generator.yaml), and render
	// does not flag a change of it (ack.CreateOnly says why).
	BootstrapSelfManagedAddons bool               `json:"bootstrapSelfManagedAddons"`
	DeletionProtection         bool               `json:"deletionProtection"`
	Logging                    *Logging           `json:"logging"`
	Name                       string             `json:"name"`
	ResourcesVPCConfig         ResourcesVPCConfig `json:"resourcesVPCConfig"`
	RoleRef                    *Ref               `json:"roleRef,omitempty"`
	// RoleARN is set only by an imports entry's keep (the live value of a
	// create-only field, gen keepLive); render sets RoleRef.
	RoleARN string            `json:"roleARN,omitempty"`
	Tags    map[string]string `json:"tags,omitempty"`
	// UpgradePolicy is always written, so that no cluster slides into
	// extended support (EKS's default) unnoticed.
	UpgradePolicy *UpgradePolicy `json:"upgradePolicy"`
	Version       string         `json:"version"`
}

// UpgradePolicy says what happens at the end of standard support: STANDARD
// (AWS upgrades the cluster) or EXTENDED (12 more months, billed).
type UpgradePolicy struct {
	SupportType string `json:"supportType"`
}

// AccessConfig selects the cluster authentication mode.
type AccessConfig struct {
	AuthenticationMode                      string `json:"authenticationMode"`
	BootstrapClusterCreatorAdminPermissions bool   `json:"bootstrapClusterCreatorAdminPermissions"`
}

// Logging is the control-plane logging configuration.
type Logging struct {
	ClusterLogging []LogSetup `json:"clusterLogging"`
}

// LogSetup enables or disables a set of log types.
type LogSetup struct {
	Enabled bool     `json:"enabled"`
	Types   []string `json:"types"`
}

// ResourcesVPCConfig places the control plane's network interfaces and sets
// endpoint access.
type ResourcesVPCConfig struct {
	EndpointPrivateAccess bool     `json:"endpointPrivateAccess"`
	EndpointPublicAccess  bool     `json:"endpointPublicAccess"`
	PublicAccessCIDRs     []string `json:"publicAccessCIDRs,omitempty"`
	SubnetIDs             []string `json:"subnetIDs,omitempty"`
	SubnetRefs            []*Ref   `json:"subnetRefs,omitempty"`
}

// Nodegroup is eks.services.k8s.aws/v1alpha1 Nodegroup.
type Nodegroup struct {
	Object `json:",inline"`
	Spec   NodegroupSpec `json:"spec"`
}

// NodegroupSpec is the subset render sets. version is always written:
// left unset, the controller would late-initialize it once and the node
// group would stay on that version through every cluster upgrade.
type NodegroupSpec struct {
	AMIType       string   `json:"amiType"`
	CapacityType  string   `json:"capacityType"`
	ClusterRef    *Ref     `json:"clusterRef,omitempty"`
	DiskSize      int      `json:"diskSize"`
	InstanceTypes []string `json:"instanceTypes"`
	Name          string   `json:"name"`
	NodeRoleRef   *Ref     `json:"nodeRoleRef,omitempty"`
	// ReleaseVersion is written, empty, only while the node group's
	// version changes: the controller fills releaseVersion in after
	// creation, and refuses a version that does not match it as terminal
	// ("version and release version do not match", eks-controller
	// pkg/resource/nodegroup/hook.go:330-351) unless it is empty, which it
	// does not compare (customPreCompare, hook.go:114).
	ReleaseVersion *string           `json:"releaseVersion,omitempty"`
	ScalingConfig  ScalingConfig     `json:"scalingConfig"`
	Subnets        []string          `json:"subnets,omitempty"`
	SubnetRefs     []*Ref            `json:"subnetRefs,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
	Version        string            `json:"version"`
}

// ScalingConfig sizes a node group.
type ScalingConfig struct {
	DesiredSize int `json:"desiredSize"`
	MaxSize     int `json:"maxSize"`
	MinSize     int `json:"minSize"`
}

// FargateProfile is eks.services.k8s.aws/v1alpha1 FargateProfile. Only its
// tags can change after creation.
type FargateProfile struct {
	Object `json:",inline"`
	Spec   FargateProfileSpec `json:"spec"`
}

// FargateProfileSpec is the subset render sets.
type FargateProfileSpec struct {
	ClusterRef          *Ref              `json:"clusterRef,omitempty"`
	Name                string            `json:"name"`
	PodExecutionRoleRef *Ref              `json:"podExecutionRoleRef,omitempty"`
	Selectors           []FargateSelector `json:"selectors"`
	Subnets             []string          `json:"subnets,omitempty"`
	SubnetRefs          []*Ref            `json:"subnetRefs,omitempty"`
	Tags                map[string]string `json:"tags,omitempty"`
	// The ID forms below are set only by an imports entry's keep (the live
	// value of a create-only field, gen keepLive); render sets the reference.
	ClientRequestToken  string `json:"clientRequestToken,omitempty"`
	ClusterName         string `json:"clusterName,omitempty"`
	PodExecutionRoleARN string `json:"podExecutionRoleARN,omitempty"`
}

// FargateSelector matches pods by namespace and labels.
type FargateSelector struct {
	Labels    map[string]string `json:"labels,omitempty"`
	Namespace string            `json:"namespace"`
}

// AccessEntry is eks.services.k8s.aws/v1alpha1 AccessEntry.
type AccessEntry struct {
	Object `json:",inline"`
	Spec   AccessEntrySpec `json:"spec"`
}

// AccessEntrySpec is the subset render sets.
type AccessEntrySpec struct {
	AccessPolicies []AccessPolicy    `json:"accessPolicies"`
	ClusterRef     *Ref              `json:"clusterRef,omitempty"`
	PrincipalARN   string            `json:"principalARN"`
	Tags           map[string]string `json:"tags,omitempty"`
	Type           string            `json:"type"`
}

// AccessPolicy associates an EKS access policy with an access entry.
type AccessPolicy struct {
	AccessScope AccessScope `json:"accessScope"`
	PolicyARN   string      `json:"policyARN"`
}

// AccessScope is cluster-wide or a list of namespaces.
type AccessScope struct {
	Type string `json:"type"`
}

// Addon is eks.services.k8s.aws/v1alpha1 Addon: an EKS managed add-on.
type Addon struct {
	Object `json:",inline"`
	Spec   AddonSpec `json:"spec"`
}

// AddonSpec is the subset render sets. addonVersion is pinned per
// Kubernetes minor (internal/eksversion): EKS never upgrades an add-on by
// itself.
type AddonSpec struct {
	AddonVersion string `json:"addonVersion"`
	ClusterRef   *Ref   `json:"clusterRef,omitempty"`
	// ConfigurationValues is a JSON document validated by EKS against the
	// add-on's configuration schema.
	ConfigurationValues string `json:"configurationValues,omitempty"`
	Name                string `json:"name"`
	ResolveConflicts    string `json:"resolveConflicts,omitempty"`
	// ServiceAccountRoleRef is the IAM role of the add-on's service
	// account (IRSA), by reference.
	ServiceAccountRoleRef *Ref              `json:"serviceAccountRoleRef,omitempty"`
	Tags                  map[string]string `json:"tags,omitempty"`
}
