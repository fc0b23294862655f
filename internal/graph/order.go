package graph

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
)

// match selects objects by group and kind and, when name is set, by
// spec.name (the AWS name: an Addon's is the add-on's), when object is
// set, by metadata.name.
type match struct {
	group, kind, name string
	object            string
}

func (m match) matches(u *unstructured.Unstructured) bool {
	if u.GroupVersionKind().Group != m.group || u.GetKind() != m.kind {
		return false
	}
	if m.object != "" && u.GetName() != m.object {
		return false
	}
	name, _, _ := unstructured.NestedString(u.Object, "spec", "name")
	return m.name == "" || name == m.name
}

// ordering is one order AWS needs that no reference expresses: objects
// matching what come after every object of the same namespace (of any,
// with anyNamespace) matching one of after.
type ordering struct {
	what         match
	after        []match
	anyNamespace bool
	// why says where the order comes from.
	why string
}

// orderings is the table of orders beyond references, used by every
// consumer of the graph: render apply, render delete (reversed), the Argo
// CD sync waves and the Flux dependsOn. Keep it small: each row is an AWS
// fact, with its source.
var orderings = []ordering{
	{
		what: match{group: ack.EKSGroup, kind: "Addon", name: "coredns"},
		after: []match{
			{group: ack.EKSGroup, kind: "FargateProfile"},
			{group: ack.EKSGroup, kind: "Nodegroup"},
		},
		why: "CoreDNS after the compute that runs it: a pod reaches Fargate only if a profile " +
			"selects it when it is created (terraform-aws-eks main.tf: aws_eks_addon depends_on " +
			"the Fargate profiles and node groups)",
	},
	{
		what:  match{group: ack.EKSGroup, kind: "Nodegroup"},
		after: []match{{group: ack.EKSGroup, kind: "Addon", name: "vpc-cni"}},
		why: "nodes need the network plugin to become Ready (terraform-aws-eks main.tf: " +
			"aws_eks_addon before_compute, set for vpc-cni)",
	},
	{
		what:         match{group: "networking.k8s.io", kind: "Ingress"},
		after:        []match{{group: "apps", kind: "Deployment", object: "aws-load-balancer-controller"}},
		anyNamespace: true,
		why: "the load balancer controller's validating webhook vingress.elbv2.k8s.aws (failurePolicy " +
			"Fail) rejects every Ingress until the controller serves it (kubernetes-sigs/" +
			"aws-load-balancer-controller#2768: \"the controller pods needs to be ready when you create the ingress\")",
	},
}

// ordered returns the objects of objs that the table says u comes after,
// and the Fargate profile u waits for (see serialized).
func ordered(u *unstructured.Unstructured, objs []*unstructured.Unstructured) []int {
	out := serialized(u, objs)
	for _, o := range orderings {
		if !o.what.matches(u) {
			continue
		}
		for j, v := range objs {
			if !o.anyNamespace && v.GetNamespace() != u.GetNamespace() {
				continue
			}
			for _, a := range o.after {
				if a.matches(v) {
					out = append(out, j)
					break
				}
			}
		}
	}
	return out
}

// serialized returns, for a Fargate profile, the profile of the same
// cluster created just before it. EKS creates one Fargate profile of a
// cluster at a time: a CreateFargateProfile while another is CREATING
// fails with ResourceInUseException ("Only one Fargate profile can be in a
// CREATING state at a time", aws/aws-cdk#6084; hashicorp/
// terraform-provider-aws#13372 and #16272), and the eks-controller
// (v1.20.0) does not count that error as terminal (generator.yaml lists
// "ResourceInUse", which is not the API's code), so the runtime retries it
// with controller-runtime's exponential back-off, up to about 17 minutes
// between tries. So profiles form a chain: the one selecting kube-system
// first (CoreDNS and the load balancer controller need it before anything
// else runs), then the others by name. Deleting goes the reverse way, one at
// a time too.
func serialized(u *unstructured.Unstructured, objs []*unstructured.Unstructured) []int {
	if !isFargateProfile(u) {
		return nil
	}
	var prev, prevKey = -1, ""
	own := profileKey(u)
	for j, v := range objs {
		if !isFargateProfile(v) || v.GetNamespace() != u.GetNamespace() || clusterOf(v) != clusterOf(u) {
			continue
		}
		if k := profileKey(v); k < own && k > prevKey {
			prev, prevKey = j, k
		}
	}
	if prev < 0 {
		return nil
	}
	return []int{prev}
}

func isFargateProfile(u *unstructured.Unstructured) bool {
	return u.GroupVersionKind().Group == ack.EKSGroup && u.GetKind() == "FargateProfile"
}

// profileKey orders the profiles of a cluster: kube-system's first.
func profileKey(u *unstructured.Unstructured) string {
	selectors, _, _ := unstructured.NestedSlice(u.Object, "spec", "selectors")
	for _, s := range selectors {
		if m, _ := s.(map[string]any); m["namespace"] == "kube-system" {
			return "0/" + u.GetName()
		}
	}
	return "1/" + u.GetName()
}

// clusterOf names the EKS cluster a profile belongs to: its clusterRef's
// object, else its clusterName.
func clusterOf(u *unstructured.Unstructured) string {
	if ref, _, _ := unstructured.NestedString(u.Object, "spec", "clusterRef", "from", "name"); ref != "" {
		return "ref/" + ref
	}
	name, _, _ := unstructured.NestedString(u.Object, "spec", "clusterName")
	return "name/" + name
}
