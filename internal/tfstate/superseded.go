package tfstate

import (
	"slices"
	"strings"

	"github.com/eks-render/render/internal/graph"
)

// Superseded is a Terraform resource whose job an object render renders
// does in another shape, so that it is neither adopted nor left to run
// beside it: the template's ALB ingress controller role and policy
// (finleap/tf-eks-fargate-tmpl@b2e39be ingress/main.tf, for the v1
// aws-alb-ingress-controller) against render's AWS Load Balancer
// Controller role and policies. render does not adopt it (its trust names
// another service account, its policy another controller's actions);
// Terraform destroys it once render's controller runs (Report.Retire).
type Superseded struct {
	Terraform string `json:"terraform"`
	// By is the object that does its job, Kind/namespace/name.
	By  string `json:"by"`
	Why string `json:"why"`
}

// Twin is an object render would create next to a Terraform resource of
// the same kind under the same AWS name, which AWS refuses or which would
// be a second copy: what render import must never leave unsaid.
type Twin struct {
	Object    string `json:"object"`
	Terraform string `json:"terraform"`
	Name      string `json:"name"`
}

// Subjects of the two controllers' IRSA trust policies: the template's v1
// ALB ingress controller runs as kube-system/alb-ingress-controller
// (ingress/main.tf kubernetes_service_account.ingress), render's AWS Load
// Balancer Controller as kube-system/aws-load-balancer-controller
// (gen.ALBServiceAccount).
const (
	albIngressSubject = "system:serviceaccount:kube-system:alb-ingress-controller"
	lbcSubject        = "system:serviceaccount:kube-system:aws-load-balancer-controller"
)

// superseded returns the resources the load balancer controller's role
// supersedes: roles trusting the v1 controller's service account, their
// policy attachments, and the policies attached to nothing else.
func (m *matcher) superseded() []Superseded {
	by := ""
	for _, obj := range m.kindObjs("Role") {
		if strings.Contains(m.spec(obj, "assumeRolePolicyDocument"), lbcSubject) {
			by = graph.NameOf(m.objs[obj])
		}
	}
	if by == "" {
		return nil
	}
	const why = "the v1 ALB ingress controller's; render's AWS Load Balancer Controller does its job"
	var out []Superseded
	roles := map[string]bool{}
	for _, r := range m.free("aws_iam_role", func(r *Resource) bool { return strings.Contains(r.str("assume_role_policy"), albIngressSubject) }) {
		roles[r.str("name")] = true
		out = append(out, Superseded{Terraform: r.Address, By: by, Why: why})
	}
	policies := map[string]bool{} // policy ARN -> attached only to superseded roles
	for _, r := range m.byType["aws_iam_role_policy_attachment"] {
		arn := r.str("policy_arn")
		only, seen := policies[arn]
		policies[arn] = roles[r.str("role")] && (only || !seen)
		if roles[r.str("role")] {
			out = append(out, Superseded{Terraform: r.Address, By: by, Why: why})
		}
	}
	for _, r := range m.free("aws_iam_policy", func(r *Resource) bool { return policies[r.str("arn")] }) {
		out = append(out, Superseded{Terraform: r.Address, By: by, Why: why})
	}
	slices.SortFunc(out, func(a, b Superseded) int { return strings.Compare(a.Terraform, b.Terraform) })
	return out
}

// twinTypes is the Terraform type of each kind whose AWS name is its
// spec.name, and the attribute holding that name.
var twinTypes = map[string]struct{ typ, attr string }{
	"Role":           {"aws_iam_role", "name"},
	"Policy":         {"aws_iam_policy", "name"},
	"LogGroup":       {"aws_cloudwatch_log_group", "name"},
	"FargateProfile": {"aws_eks_fargate_profile", "fargate_profile_name"},
	"Nodegroup":      {"aws_eks_node_group", "node_group_name"},
}

// twins returns the objects render would create (not adopt) under the AWS
// name of a Terraform resource of their kind that nothing adopts.
func (m *matcher) twins() []Twin {
	var out []Twin
	for _, kind := range []string{"FargateProfile", "LogGroup", "Nodegroup", "Policy", "Role"} {
		tt := twinTypes[kind]
		for _, obj := range m.kindObjs(kind) {
			name := m.spec(obj, "name")
			if m.match[obj] != nil || name == "" {
				continue
			}
			for _, r := range m.free(tt.typ, func(r *Resource) bool {
				return r.str(tt.attr) == name && (kind != "FargateProfile" && kind != "Nodegroup" || r.str("cluster_name") == m.clusterOf(obj))
			}) {
				out = append(out, Twin{Object: graph.NameOf(m.objs[obj]), Terraform: r.Address, Name: name})
			}
		}
	}
	return out
}
