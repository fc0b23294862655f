package graph

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
)

// match selects objects by group and kind and, when name is set, by
// spec.name (the AWS name: an Addon's is the add-on's).
type match struct {
	group, kind, name string
}

func (m match) matches(u *unstructured.Unstructured) bool {
	if u.GroupVersionKind().Group != m.group || u.GetKind() != m.kind {
		return false
	}
	name, _, _ := unstructured.NestedString(u.Object, "spec", "name")
	return m.name == "" || name == m.name
}

// ordering is one order AWS needs that no reference expresses: objects
// matching what come after every object of the same namespace matching
// one of after.
type ordering struct {
	what  match
	after []match
	// why says where the order comes from.
	why string
}

// orderings is the table of orders beyond references, used by every
// consumer of the graph: render apply, render delete (reversed), the Argo
// CD sync waves and the Flux dependsOn. Keep it small: each row is an AWS
// fact, with its source.
var orderings = []ordering{
	{
		what: match{ack.EKSGroup, "Addon", "coredns"},
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
		after: []match{{ack.EKSGroup, "Addon", "vpc-cni"}},
		why: "nodes need the network plugin to become Ready (terraform-aws-eks main.tf: " +
			"aws_eks_addon before_compute, set for vpc-cni)",
	},
}

// ordered returns the objects of objs that the table says u comes after.
func ordered(u *unstructured.Unstructured, objs []*unstructured.Unstructured) []int {
	var out []int
	for _, o := range orderings {
		if !o.what.matches(u) {
			continue
		}
		for j, v := range objs {
			if v.GetNamespace() != u.GetNamespace() {
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
