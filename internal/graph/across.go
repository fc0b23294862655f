package graph

import (
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
)

// IRSAAnnotation on a ServiceAccount names the IAM role its pods assume
// (EKS IAM roles for service accounts).
const IRSAAnnotation = "eks.amazonaws.com/role-arn"

// Across returns, for each object of work (what goes to the new cluster),
// the objects of mgmt (the ACK objects that make that cluster) it needs
// ready before it is applied: render apply holds it back until they are,
// so that the workload starts while unrelated management objects still
// converge. The rules, each an AWS fact:
//
//   - everything needs the EKS Cluster: its endpoint is where it goes;
//   - a workload's pods (a Deployment's, StatefulSet's, DaemonSet's or
//     Job's template) need the compute that runs them: the Fargate
//     profiles that select them, since a pod reaches Fargate only if a
//     profile selects it when it is created (EKS's admission gives it the
//     fargate-scheduler then, or never; terraform-provider-aws#39156; AWS's
//     own advice is to "delete and re-create any existing Pods so that
//     they're scheduled on Fargate", fargate-getting-started.adoc), or
//     with none, the node groups;
//   - they need the NAT gateways: a pod on Fargate or on a node in a
//     private subnet pulls its image through them (render's private route
//     tables get their NAT route with the second phase, gen network.go);
//   - pods whose ServiceAccount carries IRSAAnnotation need that IAM role:
//     until it exists, AssumeRoleWithWebIdentity fails and the pod
//     crash-loops with a back-off of up to five minutes;
//   - an Ingress needs DNS, the coredns add-on: its controller reaches
//     the AWS APIs (Elastic Load Balancing, EC2, STS) by name, through
//     CoreDNS (dnsPolicy ClusterFirst), and an Ingress it cannot
//     provision is retried with a back-off.
//
// Pods do not wait for CoreDNS: a pod created before it starts and gets
// its resolv.conf with the cluster DNS address all the same, and names
// resolve from the moment CoreDNS answers there. None of render's pods
// needs a name to become ready: the game serves its files; the load
// balancer controller, given --aws-region and --aws-vpc-id, makes no AWS
// call before its manager starts (aws-load-balancer-controller v3.5.0
// main.go:147 aws.NewCloud, pkg/aws/cloud.go getVpcID returns the flag's
// value) and is ready once its webhook server is (main.go:445,
// StartedChecker); metrics-server reaches the kubelets by address.
//
// Indexes are those of work and mgmt.
func Across(work, mgmt []*unstructured.Unstructured) [][]int {
	accounts := map[string]string{} // namespace/name of a ServiceAccount -> role name
	for _, u := range work {
		if u.GetKind() == "ServiceAccount" && u.GroupVersionKind().Group == "" {
			if arn := u.GetAnnotations()[IRSAAnnotation]; arn != "" {
				accounts[u.GetNamespace()+"/"+u.GetName()] = roleName(arn)
			}
		}
	}
	out := make([][]int, len(work))
	for w, u := range work {
		var needs []int
		add := func(match func(m *unstructured.Unstructured) bool) bool {
			found := false
			for i, m := range mgmt {
				if match(m) {
					needs, found = append(needs, i), true
				}
			}
			return found
		}
		add(func(m *unstructured.Unstructured) bool { return isEKS(m, "Cluster") })
		if tmpl, ok := podTemplate(u); ok {
			labels, _, _ := unstructured.NestedStringMap(tmpl, "metadata", "labels")
			pods := Pods{Namespace: u.GetNamespace(), Labels: labels}
			if !add(func(m *unstructured.Unstructured) bool { return isFargateProfile(m) && Selects(m, pods) }) {
				add(func(m *unstructured.Unstructured) bool { return isEKS(m, "Nodegroup") })
			}
			add(func(m *unstructured.Unstructured) bool {
				return m.GroupVersionKind().Group == ack.EC2Group && m.GetKind() == "NATGateway"
			})
			sa, _, _ := unstructured.NestedString(tmpl, "spec", "serviceAccountName")
			if role := accounts[u.GetNamespace()+"/"+sa]; sa != "" && role != "" {
				add(func(m *unstructured.Unstructured) bool {
					name, _, _ := unstructured.NestedString(m.Object, "spec", "name")
					return m.GroupVersionKind().Group == ack.IAMGroup && m.GetKind() == "Role" && name == role
				})
			}
		}
		if u.GroupVersionKind().Group == "networking.k8s.io" && u.GetKind() == "Ingress" {
			add(func(m *unstructured.Unstructured) bool {
				name, _, _ := unstructured.NestedString(m.Object, "spec", "name")
				return isEKS(m, "Addon") && name == "coredns"
			})
		}
		out[w] = needs
	}
	return out
}

// podTemplate returns the pod template of a workload kind.
func podTemplate(u *unstructured.Unstructured) (map[string]any, bool) {
	gvk := u.GroupVersionKind()
	switch {
	case gvk.Group == "apps" && (gvk.Kind == "Deployment" || gvk.Kind == "StatefulSet" || gvk.Kind == "DaemonSet"),
		gvk.Group == "batch" && gvk.Kind == "Job":
		tmpl, found, _ := unstructured.NestedMap(u.Object, "spec", "template")
		return tmpl, found
	}
	return nil, false
}

func isEKS(u *unstructured.Unstructured, kind string) bool {
	return u.GroupVersionKind().Group == ack.EKSGroup && u.GetKind() == kind
}

// roleName is the name of the IAM role an ARN names, its path dropped:
// arn:aws:iam::111122223333:role/some/path/name is "name".
func roleName(arn string) string {
	_, rest, ok := strings.Cut(arn, ":role/")
	if !ok {
		return ""
	}
	return rest[strings.LastIndex(rest, "/")+1:]
}
