package ack

// RefField is one reference field of an ACK kind: the object at Path (in
// the notation of schema.RefPaths: fields joined by '.', '[]' after a list)
// names, in from.name, an object of TargetKind in TargetGroup.
type RefField struct {
	Group, Kind string
	Path        string
	TargetGroup string
	TargetKind  string
}

// KMSGroup is the group of the KMS Key kind some refs point at; render
// emits no KMS objects.
const KMSGroup = "kms.services.k8s.aws"

// RefFields lists every reference field of every kind render emits, taken
// from FIELDS.md and checked against the CRD schemas in tests. It is the one
// table that the kustomize nameReference configuration, the reference
// checks and the dependency graph are all built from.
var RefFields = []RefField{
	{EC2Group, "FlowLog", "spec.deliverLogsPermissionRef", IAMGroup, "Role"},
	{EC2Group, "FlowLog", "spec.logGroupRef", CloudWatchLogsGroup, "LogGroup"},
	{EC2Group, "InternetGateway", "spec.routeTableRefs[]", EC2Group, "RouteTable"},
	{EC2Group, "InternetGateway", "spec.vpcRef", EC2Group, "VPC"},
	{EC2Group, "NATGateway", "spec.allocationRef", EC2Group, "ElasticIPAddress"},
	{EC2Group, "NATGateway", "spec.subnetRef", EC2Group, "Subnet"},
	{EC2Group, "NATGateway", "spec.vpcRef", EC2Group, "VPC"},
	{EC2Group, "RouteTable", "spec.routes[].gatewayRef", EC2Group, "InternetGateway"},
	{EC2Group, "RouteTable", "spec.routes[].natGatewayRef", EC2Group, "NATGateway"},
	{EC2Group, "RouteTable", "spec.routes[].transitGatewayRef", EC2Group, "TransitGateway"},
	{EC2Group, "RouteTable", "spec.routes[].vpcEndpointRef", EC2Group, "VPCEndpoint"},
	{EC2Group, "RouteTable", "spec.routes[].vpcPeeringConnectionRef", EC2Group, "VPCPeeringConnection"},
	{EC2Group, "RouteTable", "spec.vpcRef", EC2Group, "VPC"},
	{EC2Group, "Subnet", "spec.routeTableRefs[]", EC2Group, "RouteTable"},
	{EC2Group, "Subnet", "spec.vpcRef", EC2Group, "VPC"},
	{EKSGroup, "AccessEntry", "spec.clusterRef", EKSGroup, "Cluster"},
	{EKSGroup, "Addon", "spec.clusterRef", EKSGroup, "Cluster"},
	{EKSGroup, "Addon", "spec.podIdentityAssociations[].roleRef", IAMGroup, "Role"},
	{EKSGroup, "Addon", "spec.serviceAccountRoleRef", IAMGroup, "Role"},
	{EKSGroup, "Cluster", "spec.encryptionConfig[].provider.keyRef", KMSGroup, "Key"},
	{EKSGroup, "Cluster", "spec.resourcesVPCConfig.securityGroupRefs[]", EC2Group, "SecurityGroup"},
	{EKSGroup, "Cluster", "spec.resourcesVPCConfig.subnetRefs[]", EC2Group, "Subnet"},
	{EKSGroup, "Cluster", "spec.roleRef", IAMGroup, "Role"},
	{EKSGroup, "FargateProfile", "spec.clusterRef", EKSGroup, "Cluster"},
	{EKSGroup, "FargateProfile", "spec.podExecutionRoleRef", IAMGroup, "Role"},
	{EKSGroup, "FargateProfile", "spec.subnetRefs[]", EC2Group, "Subnet"},
	{EKSGroup, "Nodegroup", "spec.clusterRef", EKSGroup, "Cluster"},
	{EKSGroup, "Nodegroup", "spec.nodeRoleRef", IAMGroup, "Role"},
	{EKSGroup, "Nodegroup", "spec.remoteAccess.sourceSecurityGroupRefs[]", EC2Group, "SecurityGroup"},
	{EKSGroup, "Nodegroup", "spec.subnetRefs[]", EC2Group, "Subnet"},
	{IAMGroup, "Role", "spec.permissionsBoundaryRef", IAMGroup, "Policy"},
	{IAMGroup, "Role", "spec.policyRefs[]", IAMGroup, "Policy"},
	{CloudWatchLogsGroup, "LogGroup", "spec.kmsKeyRef", KMSGroup, "Key"},
}
