package gen

// kindActions are the AWS API calls the ACK controller of each kind render
// emits makes, read from the controllers' code at the versions the CRDs
// come from: every rm.sdkapi.<Call> in pkg/resource/<kind>/ (sdk.go, the
// hooks and the custom update code) and the tag helpers they call.
//
//   - ec2-controller v1.20.0: pkg/resource/{vpc,subnet,route_table,
//     nat_gateway,internet_gateway,elastic_ip_address,flow_log,
//     security_group}/*.go; tags through pkg/tags/sync.go (CreateTags,
//     DeleteTags).
//   - iam-controller v1.8.1: pkg/resource/{role,policy,
//     open_id_connect_provider}/*.go (tags by TagRole, TagPolicy, ...).
//   - eks-controller v1.20.0: pkg/resource/{cluster,fargate_profile,
//     nodegroup,addon,access_entry}/*.go; tags through pkg/tags/sync.go
//     (TagResource, UntagResource).
//   - cloudwatchlogs-controller v1.4.1: pkg/resource/log_group/*.go; tags
//     through pkg/sync/tags.go (ListTagsForResource, TagResource,
//     UntagResource).
//
// An IAM action is named as the API call (Service Authorization
// Reference), so each entry is "<service>:<Call>". The test
// TestBootstrapPolicyFollowsKinds holds the policy to this table.
var kindActions = map[string][]string{
	"VPC": {"ec2:AssociateVpcCidrBlock", "ec2:CreateVpc", "ec2:DeleteVpc", "ec2:DescribeSecurityGroupRules",
		"ec2:DescribeSecurityGroups", "ec2:DescribeVpcAttribute", "ec2:DescribeVpcs", "ec2:DisassociateVpcCidrBlock",
		"ec2:ModifyVpcAttribute", "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:CreateTags", "ec2:DeleteTags"},
	"Subnet": {"ec2:AssociateRouteTable", "ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:DescribeRouteTables",
		"ec2:DescribeSubnets", "ec2:DisassociateRouteTable", "ec2:ModifySubnetAttribute", "ec2:CreateTags", "ec2:DeleteTags"},
	"RouteTable": {"ec2:CreateRoute", "ec2:CreateRouteTable", "ec2:DeleteRoute", "ec2:DeleteRouteTable",
		"ec2:DescribeManagedPrefixLists", "ec2:DescribeRouteTables", "ec2:CreateTags", "ec2:DeleteTags"},
	"NATGateway": {"ec2:CreateNatGateway", "ec2:DeleteNatGateway", "ec2:DescribeNatGateways", "ec2:CreateTags", "ec2:DeleteTags"},
	"InternetGateway": {"ec2:AssociateRouteTable", "ec2:AttachInternetGateway", "ec2:CreateInternetGateway",
		"ec2:DeleteInternetGateway", "ec2:DescribeInternetGateways", "ec2:DescribeRouteTables", "ec2:DetachInternetGateway",
		"ec2:DisassociateRouteTable", "ec2:CreateTags", "ec2:DeleteTags"},
	"ElasticIPAddress": {"ec2:AllocateAddress", "ec2:DescribeAddresses", "ec2:ReleaseAddress", "ec2:CreateTags", "ec2:DeleteTags"},
	"FlowLog":          {"ec2:CreateFlowLogs", "ec2:DeleteFlowLogs", "ec2:DescribeFlowLogs", "ec2:CreateTags", "ec2:DeleteTags"},
	"SecurityGroup": {"ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateSecurityGroup",
		"ec2:DeleteSecurityGroup", "ec2:DescribeSecurityGroupRules", "ec2:DescribeSecurityGroups",
		"ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:CreateTags", "ec2:DeleteTags"},
	"Role": {"iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary",
		"iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:GetRole", "iam:GetRolePolicy", "iam:ListRoleTags",
		"iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole"},
	"Policy": {"iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:GetPolicy",
		"iam:GetPolicyVersion", "iam:ListPolicyTags", "iam:ListPolicyVersions", "iam:TagPolicy", "iam:UntagPolicy"},
	"OpenIDConnectProvider": {"iam:AddClientIDToOpenIDConnectProvider", "iam:CreateOpenIDConnectProvider",
		"iam:DeleteOpenIDConnectProvider", "iam:GetOpenIDConnectProvider", "iam:ListOpenIDConnectProviderTags",
		"iam:RemoveClientIDFromOpenIDConnectProvider", "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider",
		"iam:UpdateOpenIDConnectProviderThumbprint"},
	"Cluster": {"eks:AssociateEncryptionConfig", "eks:CreateCluster", "eks:DeleteCluster", "eks:DescribeCluster",
		"eks:ListNodegroups", "eks:UpdateClusterConfig", "eks:UpdateClusterVersion", "eks:TagResource", "eks:UntagResource"},
	"FargateProfile": {"eks:CreateFargateProfile", "eks:DeleteFargateProfile", "eks:DescribeFargateProfile", "eks:TagResource", "eks:UntagResource"},
	"Nodegroup": {"eks:CreateNodegroup", "eks:DeleteNodegroup", "eks:DescribeNodegroup", "eks:UpdateNodegroupConfig",
		"eks:UpdateNodegroupVersion", "eks:TagResource", "eks:UntagResource"},
	"Addon": {"eks:CreateAddon", "eks:DeleteAddon", "eks:DescribeAddon", "eks:DescribePodIdentityAssociation",
		"eks:UpdateAddon", "eks:TagResource", "eks:UntagResource"},
	"AccessEntry": {"eks:AssociateAccessPolicy", "eks:CreateAccessEntry", "eks:DeleteAccessEntry", "eks:DescribeAccessEntry",
		"eks:DisassociateAccessPolicy", "eks:ListAssociatedAccessPolicies", "eks:UpdateAccessEntry", "eks:TagResource", "eks:UntagResource"},
	"LogGroup": {"logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy", "logs:DeleteSubscriptionFilter",
		"logs:DescribeLogGroups", "logs:DescribeSubscriptionFilters", "logs:PutRetentionPolicy", "logs:PutSubscriptionFilter",
		"logs:ListTagsForResource", "logs:TagResource", "logs:UntagResource"},
}

// passRoleKinds are the kinds whose create call hands one of render's IAM
// roles to an AWS service, so that the caller needs iam:PassRole on it
// (EKS User Guide, cluster-iam-role, pod-execution-role,
// create-node-role; VPC User Guide, flow-logs-iam-role): the cluster's
// role, the Fargate pod execution role, the node role, an add-on's IRSA
// role, the flow logs' delivery role.
var passRoleKinds = []string{"Addon", "Cluster", "FargateProfile", "FlowLog", "Nodegroup"}

// serviceLinkedRoles are the service-linked roles EKS creates in the
// account on the first use of a kind, with the caller's
// iam:CreateServiceLinkedRole (EKS User Guide, using-service-linked-roles-eks,
// -eks-nodegroups, -eks-fargate): kind, service name, role path and name.
var serviceLinkedRoles = []struct{ kind, service, role string }{
	{"Cluster", "eks.amazonaws.com", "AWSServiceRoleForAmazonEKS"},
	{"FargateProfile", "eks-fargate.amazonaws.com", "AWSServiceRoleForAmazonEKSForFargate"},
	{"Nodegroup", "eks-nodegroup.amazonaws.com", "AWSServiceRoleForAmazonEKSNodegroup"},
}
