package ack

// VPC is ec2.services.k8s.aws/v1alpha1 VPC.
type VPC struct {
	Object `json:",inline"`
	Spec   VPCSpec `json:"spec"`
}

// VPCSpec is the subset of the VPC spec render sets.
type VPCSpec struct {
	CIDRBlocks         []string `json:"cidrBlocks"`
	EnableDNSHostnames bool     `json:"enableDNSHostnames"`
	EnableDNSSupport   bool     `json:"enableDNSSupport"`
	Tags               []Tag    `json:"tags,omitempty"`
}

// Subnet is ec2.services.k8s.aws/v1alpha1 Subnet.
type Subnet struct {
	Object `json:",inline"`
	Spec   SubnetSpec `json:"spec"`
}

// SubnetSpec is the subset of the Subnet spec render sets.
type SubnetSpec struct {
	AvailabilityZone    string `json:"availabilityZone"`
	CIDRBlock           string `json:"cidrBlock"`
	MapPublicIPOnLaunch bool   `json:"mapPublicIPOnLaunch"`
	RouteTableRefs      []*Ref `json:"routeTableRefs,omitempty"`
	VPCRef              *Ref   `json:"vpcRef,omitempty"`
	Tags                []Tag  `json:"tags,omitempty"`
	// The ID forms below are set only by an imports entry's keep (the live
	// value of a create-only field, gen keepLive); render sets the reference.
	AvailabilityZoneID string `json:"availabilityZoneID,omitempty"`
	VPCID              string `json:"vpcID,omitempty"`
}

// InternetGateway is ec2.services.k8s.aws/v1alpha1 InternetGateway.
type InternetGateway struct {
	Object `json:",inline"`
	Spec   InternetGatewaySpec `json:"spec"`
}

// InternetGatewaySpec: the VPC field is "vpc", not "vpcID".
type InternetGatewaySpec struct {
	VPCRef *Ref  `json:"vpcRef,omitempty"`
	Tags   []Tag `json:"tags,omitempty"`
}

// ElasticIPAddress is ec2.services.k8s.aws/v1alpha1 ElasticIPAddress; an
// empty spec allocates a VPC address.
type ElasticIPAddress struct {
	Object `json:",inline"`
	Spec   ElasticIPAddressSpec `json:"spec"`
}

// ElasticIPAddressSpec is the subset render sets.
type ElasticIPAddressSpec struct {
	Tags []Tag `json:"tags,omitempty"`
}

// NATGateway is ec2.services.k8s.aws/v1alpha1 NATGateway.
type NATGateway struct {
	Object `json:",inline"`
	Spec   NATGatewaySpec `json:"spec"`
}

// NATGatewaySpec is the subset render sets (a classic zonal public NAT).
type NATGatewaySpec struct {
	AllocationRef    *Ref   `json:"allocationRef,omitempty"`
	ConnectivityType string `json:"connectivityType"`
	SubnetRef        *Ref   `json:"subnetRef,omitempty"`
	Tags             []Tag  `json:"tags,omitempty"`
	// The ID forms below are set only by an imports entry's keep (the live
	// value of a create-only field, gen keepLive); render sets the reference.
	AllocationID string `json:"allocationID,omitempty"`
	SubnetID     string `json:"subnetID,omitempty"`
}

// RouteTable is ec2.services.k8s.aws/v1alpha1 RouteTable.
type RouteTable struct {
	Object `json:",inline"`
	Spec   RouteTableSpec `json:"spec"`
}

// RouteTableSpec is the subset render sets.
type RouteTableSpec struct {
	Routes []Route `json:"routes,omitempty"`
	VPCRef *Ref    `json:"vpcRef,omitempty"`
	Tags   []Tag   `json:"tags,omitempty"`
	// The ID forms below are set only by an imports entry's keep (the live
	// value of a create-only field, gen keepLive); render sets the reference.
	VPCID string `json:"vpcID,omitempty"`
}

// Route is one route; exactly one target is set.
type Route struct {
	DestinationCIDRBlock string `json:"destinationCIDRBlock"`
	GatewayRef           *Ref   `json:"gatewayRef,omitempty"`
	NATGatewayRef        *Ref   `json:"natGatewayRef,omitempty"`
}

// FlowLog is ec2.services.k8s.aws/v1alpha1 FlowLog. Its resourceID has no
// reference alternative, so it needs the VPC ID, a value known only after
// the VPC exists.
type FlowLog struct {
	Object `json:",inline"`
	Spec   FlowLogSpec `json:"spec"`
}

// FlowLogSpec is the subset render sets.
type FlowLogSpec struct {
	DeliverLogsPermissionRef *Ref   `json:"deliverLogsPermissionRef,omitempty"`
	LogDestinationType       string `json:"logDestinationType"`
	LogGroupRef              *Ref   `json:"logGroupRef,omitempty"`
	ResourceID               string `json:"resourceID"`
	ResourceType             string `json:"resourceType"`
	TrafficType              string `json:"trafficType"`
	Tags                     []Tag  `json:"tags,omitempty"`
}
