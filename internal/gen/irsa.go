package gen

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/eks-render/render/internal/ack"
)

// albPolicy is the AWS Load Balancer Controller v3.5.0 IAM policy
// (alb/README.md: derived by make derive, Apache-2.0).
//
//go:embed alb/iam_policy.json
var albPolicy string

// Second-phase object names.
const (
	oidcName   = "oidc"
	albName    = "alb-controller"
	albELBName = "alb-controller-elb"
	cniName    = "vpc-cni"
	cniSubject = "system:serviceaccount:kube-system:aws-node"
)

// ALBServiceAccount is the subject the controller's IRSA role trusts.
const ALBServiceAccount = "system:serviceaccount:kube-system:aws-load-balancer-controller"

// stsAudience is the audience of IRSA tokens.
const stsAudience = "sts.amazonaws.com"

// irsa returns the cluster's IAM OIDC provider and the AWS Load Balancer
// Controller's IRSA role and policy, once the issuer (and the account) are
// known; otherwise lines saying what waits.
func (r *renderer) irsa() (objs []any, pending []string, err error) {
	issuer := r.late.OIDCIssuer
	if issuer == "" {
		roles := r.name("Role", albName)
		if r.env.NodeGroup != nil {
			roles += ", " + r.name("Role", cniName)
		}
		return nil, []string{r.name("OpenIDConnectProvider", oidcName) + ", " + r.name("Policy", albName) + ", " + r.name("Policy", albELBName) + ", " +
			roles + ": wait for the cluster's OIDC issuer"}, nil
	}
	objs = append(objs, &ack.OpenIDConnectProvider{Object: r.meta(ack.IAMGroup, "OpenIDConnectProvider", oidcName),
		Spec: ack.OpenIDConnectProviderSpec{ClientIDs: []string{stsAudience}, Tags: r.ec2Tags(oidcName, nil), URL: issuer}})
	account := r.irsaAccount()
	if account == "" {
		return objs, []string{r.name("Policy", albName) + ", " + r.name("Policy", albELBName) + ", " + r.name("Role", albName) +
			": wait for the account ID (the role's trust policy names the OIDC provider's ARN; its policies go with it)"}, nil
	}
	if r.env.NodeGroup != nil {
		objs = append(objs, r.cniRole(issuer, account))
	}
	if r.vpcID() == "" {
		return objs, []string{r.name("Policy", albName) + ", " + r.name("Policy", albELBName) + ", " + r.name("Role", albName) +
			": wait for the VPC ID (the policy's ec2:Vpc condition names the VPC's ARN)"}, nil
	}
	// Any account: a VPC ID is unique, and a shared VPC's ARN names the
	// account that owns it, not this one.
	other, elb, err := scopedALBPolicy(albScope{Cluster: r.env.ClusterName,
		VPCARN: fmt.Sprintf("arn:%s:ec2:%s:*:vpc/%s", r.env.Partition, r.env.Region, r.vpcID())})
	if err != nil {
		return objs, nil, err
	}
	objs = append(objs,
		r.albPolicy(albName, "AWS Load Balancer Controller v3.5.0 of "+r.env.ClusterName+", scoped to its cluster tag", other),
		r.albPolicy(albELBName, "AWS Load Balancer Controller v3.5.0 of "+r.env.ClusterName+", Elastic Load Balancing, scoped to its cluster tag", elb),
		r.albRole(issuer, account))
	return objs, nil, nil
}

// irsaAccount is the account the OIDC provider's ARN names: the file's,
// else the live one; "" while unknown.
func (r *renderer) irsaAccount() string {
	if r.env.AccountID != "" {
		return r.env.AccountID
	}
	return r.late.AccountID
}

// cniReady reports whether the VPC CNI's IRSA role can be rendered (the
// issuer and the account are known). Until then a node-group environment
// renders neither the vpc-cni add-on nor what needs it running.
func (r *renderer) cniReady() bool {
	return r.late.OIDCIssuer != "" && r.irsaAccount() != ""
}

// cniWaits is the pending line of what waits for the VPC CNI's role.
func (r *renderer) cniWaits(what string) string {
	return what + ": wait for the second phase (" + r.name("Role", cniName) +
		", the VPC CNI's IRSA role, needs the cluster's OIDC issuer and the account ID)"
}

func (r *renderer) albRole(issuer, account string) *ack.Role {
	role := r.irsaRole(issuer, account, albName, "AWS Load Balancer Controller of "+r.env.ClusterName, ALBServiceAccount, nil)
	role.Spec.PolicyRefs = []*ack.Ref{ack.To(albName), ack.To(albELBName)}
	return role
}

// albPolicy is one of the two managed policies of the controller's role.
func (r *renderer) albPolicy(name, description, doc string) *ack.Policy {
	return &ack.Policy{Object: r.meta(ack.IAMGroup, "Policy", name), Spec: ack.PolicySpec{
		Description:    description,
		Name:           r.env.ClusterName + "-" + name,
		PolicyDocument: doc,
		Tags:           r.ec2Tags(name, nil),
	}}
}

// cniRole is the IRSA role of the VPC CNI's aws-node service account, with
// AmazonEKS_CNI_Policy (IPv4 clusters), which the node role then does
// without (AWS EKS User Guide, eks-networking-add-ons.adoc "Configure
// Amazon VPC CNI plugin to use IRSA", and create-node-role.adoc, at
// 4d52b4d0). The vpc-cni Addon names it in serviceAccountRoleRef.
func (r *renderer) cniRole(issuer, account string) *ack.Role {
	return r.irsaRole(issuer, account, cniName, "VPC CNI (aws-node) of "+r.env.ClusterName, cniSubject,
		[]string{r.managedPolicy("AmazonEKS_CNI_Policy")})
}

// irsaRole is a role the service account subject assumes with its web
// identity token from the cluster's OIDC provider.
func (r *renderer) irsaRole(issuer, account, name, description, subject string, policies []string) *ack.Role {
	host := strings.TrimPrefix(issuer, "https://")
	doc := policyDocument{Version: "2012-10-17", Statement: []statement{{
		Effect:    "Allow",
		Principal: map[string]string{"Federated": fmt.Sprintf("arn:%s:iam::%s:oidc-provider/%s", r.env.Partition, account, host)},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: conditions{"StringEquals": {
			host + ":aud": stsAudience,
			host + ":sub": subject,
		}},
	}}}
	return r.role(name, description, doc, policies)
}

// name is Kind/namespace/name of an object of this environment.
func (r *renderer) name(kind, name string) string {
	return fmt.Sprintf("%s/%s/%s", kind, r.env.ClusterName, name)
}
