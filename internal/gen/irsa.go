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
	oidcName = "oidc"
	albName  = "alb-controller"
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
		return nil, []string{r.name("OpenIDConnectProvider", oidcName) + ", " + r.name("Policy", albName) + ", " +
			r.name("Role", albName) + ": wait for the cluster's OIDC issuer"}, nil
	}
	objs = append(objs, &ack.OpenIDConnectProvider{Object: r.meta(ack.IAMGroup, "OpenIDConnectProvider", oidcName),
		Spec: ack.OpenIDConnectProviderSpec{ClientIDs: []string{stsAudience}, Tags: r.ec2Tags(oidcName, nil), URL: issuer}})
	account := r.env.AccountID
	if account == "" {
		account = r.late.AccountID
	}
	if account == "" {
		return objs, []string{r.name("Role", albName) + ": waits for the account ID (the trust policy names the OIDC provider's ARN)"}, nil
	}
	doc, err := scopedALBPolicy(r.env.ClusterName)
	if err != nil {
		return objs, nil, err
	}
	objs = append(objs,
		&ack.Policy{Object: r.meta(ack.IAMGroup, "Policy", albName), Spec: ack.PolicySpec{
			Description:    "AWS Load Balancer Controller v3.5.0 of " + r.env.ClusterName + ", scoped to its cluster tag",
			Name:           r.env.ClusterName + "-alb-controller",
			PolicyDocument: doc,
			Tags:           r.ec2Tags(albName, nil),
		}},
		r.irsaRole(issuer, account))
	return objs, nil, nil
}

func (r *renderer) irsaRole(issuer, account string) *ack.Role {
	host := strings.TrimPrefix(issuer, "https://")
	doc := policyDocument{Version: "2012-10-17", Statement: []statement{{
		Effect:    "Allow",
		Principal: map[string]string{"Federated": fmt.Sprintf("arn:%s:iam::%s:oidc-provider/%s", r.env.Partition, account, host)},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: map[string]map[string]string{"StringEquals": {
			host + ":aud": stsAudience,
			host + ":sub": ALBServiceAccount,
		}},
	}}}
	role := r.role(albName, "AWS Load Balancer Controller of "+r.env.ClusterName, doc, nil)
	role.Spec.PolicyRefs = []*ack.Ref{ack.To(albName)}
	return role
}

// name is Kind/namespace/name of an object of this environment.
func (r *renderer) name(kind, name string) string {
	return fmt.Sprintf("%s/%s/%s", kind, r.env.ClusterName, name)
}
