package gen

// albStatementScope names an upstream statement of the controller's policy
// by its exact Action list (and Resource list, where two statements share
// their actions) and gives the conditions render adds to it.
type albStatementScope struct {
	Actions    []string
	Resources  []string
	Conditions func(albScope) []condition
}

// Keys of the conditions render adds.
const (
	resourceClusterTag = "aws:ResourceTag/" + albClusterTag
	requestClusterTag  = "aws:RequestTag/" + albClusterTag
	ec2VPC             = "ec2:Vpc"
)

// albStatementScopes scopes the statements upstream's v3.5.0 policy leaves
// without a condition. Which condition keys each action supports is the
// Service Authorization Reference's (docs.aws.amazon.com/service-authorization/
// latest/reference/list_amazonec2.html and list_awselasticloadbalancingv2.html,
// as generated into udondan/iam-floyd lib/generated/policy-statements/ec2.ts
// (ifVpc) and elasticloadbalancingv2.ts). What the controller does is
// kubernetes-sigs/aws-load-balancer-controller v3.5.0's code, cited per
// entry. docs/how-it-works.md ("One account: what the controller's policy
// isolates") lists what stays open and why.
var albStatementScopes = []albStatementScope{
	{
		// The controller opens the pods' security groups to its load
		// balancers' backend group. It finds those groups among the ENIs'
		// groups in its own VPC (pkg/networking/networking_manager.go
		// resolveEndpointSGForENI, fetchEndpointSGsFromAWS: filter vpc-id =
		// --aws-vpc-id); for Fargate pods that is the EKS cluster security
		// group, which carries no elbv2.k8s.aws/cluster tag, so only the VPC
		// can scope it. ec2:Vpc is supported on the security-group resource
		// of both actions.
		Actions:    []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"},
		Conditions: vpcCondition,
	},
	{
		// The controller's own security groups (tagged at creation) are in
		// its VPC as well: the tag test already scopes the statement, the
		// VPC narrows it again at no cost.
		Actions:    []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"},
		Conditions: vpcCondition,
	},
	{
		// Listeners and rules are created with the cluster tag: the
		// ListenerRulesTagging feature gate is on by default
		// (pkg/config/feature_gates.go:77) and render does not turn it off;
		// pkg/deploy/elbv2/listener_manager.go:81-84 and
		// listener_rule_manager.go:68-70 put the tracking tags
		// (pkg/deploy/tracking/provider.go ResourceTags) on CreateListener
		// and CreateRule. A delete carries no request tags and acts on a
		// listener or rule tagged at creation. IfExists: AWS sets only the
		// keys the request has, and one statement holds both.
		Actions: []string{"elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
			"elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule"},
		Conditions: ownTagsIfPresent,
	},
	{
		// Tagging listeners and rules: at creation (the dependent AddTags of
		// CreateListener and CreateRule, with the cluster tag in the request)
		// and when the controller reconciles their tags
		// (listener_manager.go updateSDKListenerWithTags: tagging_manager.go
		// ReconcileTags on a listener that already has them).
		Actions: []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"},
		Resources: []string{"arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*", "arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*",
			"arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*", "arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*"},
		Conditions: ownTagsIfPresent,
	},
	{
		// Targets are registered only in the target groups of the
		// controller's TargetGroupBindings, which it creates with the
		// tracking tags (pkg/deploy/elbv2/target_group_manager.go Create:
		// req.Tags = ResourceTags). RegisterTargets and DeregisterTargets
		// support aws:ResourceTag on the target group.
		Actions:    []string{"elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"},
		Conditions: ownResource,
	},
	{
		// ModifyListener, the listener certificates and ModifyRule act on
		// the controller's tagged listeners and rules. SetWebAcl and
		// SetRulePriorities support no condition key (the reference lists
		// none): IfExists lets them through, as upstream does.
		Actions: []string{"elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener",
			"elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
			"elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities"},
		Conditions: func(s albScope) []condition {
			return []condition{{"StringEqualsIfExists", resourceClusterTag, s.Cluster}}
		},
	},
}

func vpcCondition(s albScope) []condition {
	return []condition{{"ArnLike", ec2VPC, s.VPCARN}}
}

func ownTagsIfPresent(s albScope) []condition {
	return []condition{
		{"StringEqualsIfExists", resourceClusterTag, s.Cluster},
		{"StringEqualsIfExists", requestClusterTag, s.Cluster},
	}
}

func ownResource(s albScope) []condition {
	return []condition{{"StringEquals", resourceClusterTag, s.Cluster}}
}
