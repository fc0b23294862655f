package graph

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/eks-render/render/internal/ack"
)

// match selects objects by group and kind and, when name is set, by
// spec.name (the AWS name: an Addon's is the add-on's), when object is
// set, by metadata.name, when selects is set, Fargate profiles by the
// pods they select, and when nameFor is set, by the spec.name it derives
// from the object that waits.
//
// With pods set, it selects every kind with a pod template (podTemplate)
// instead of one group and kind; with namespace set, only objects of that
// namespace.
type match struct {
	group, kind, name string
	object            string
	selects           *Pods
	nameFor           func(waiting *unstructured.Unstructured) string
	pods              bool
	namespace         string
}

// ControlPlaneLogGroup is the log group EKS writes a cluster's
// control-plane logs to, by the cluster's AWS name (AWS EKS User Guide,
// control-plane-logs.adoc: "The log group name format is
// /aws/eks/my-cluster/cluster").
func ControlPlaneLogGroup(cluster string) string { return "/aws/eks/" + cluster + "/cluster" }

func controlPlaneLogGroupOf(cluster *unstructured.Unstructured) string {
	name, _, _ := unstructured.NestedString(cluster.Object, "spec", "name")
	return ControlPlaneLogGroup(name)
}

func (m match) matches(u *unstructured.Unstructured) bool {
	if m.pods {
		if _, ok := podTemplate(u); !ok {
			return false
		}
	} else if u.GroupVersionKind().Group != m.group || u.GetKind() != m.kind {
		return false
	}
	if m.object != "" && u.GetName() != m.object {
		return false
	}
	if m.namespace != "" && u.GetNamespace() != m.namespace {
		return false
	}
	if m.selects != nil && !Selects(u, *m.selects) {
		return false
	}
	return m.name == "" || specName(u) == m.name
}

func specName(u *unstructured.Unstructured) string {
	name, _, _ := unstructured.NestedString(u.Object, "spec", "name")
	return name
}

// Pods describes the pods of one workload: their namespace and labels.
type Pods struct {
	Namespace string
	Labels    map[string]string
}

// CoreDNSPods are the pods of the coredns add-on, in kube-system and
// labelled k8s-app: kube-dns, the label AWS's own CoreDNS profile selects
// (AWS EKS User Guide, fargate-getting-started.adoc, "Step 4: Update
// CoreDNS": --selectors namespace=kube-system,labels={k8s-app=kube-dns}),
// and eks.amazonaws.com/component: coredns.
var CoreDNSPods = Pods{Namespace: "kube-system", Labels: map[string]string{"k8s-app": "kube-dns", "eks.amazonaws.com/component": "coredns"}}

// PlayablePods are, in the order the game needs them, the pods the
// workload needs running before the 2048 game answers: CoreDNS, the load
// balancer controller (its webhook admits the Ingress, it provisions the
// load balancer), the game. Only the labels that identify each are listed
// (gen's tests check that its workload's pods carry them).
var PlayablePods = []Pods{
	CoreDNSPods,
	{Namespace: "kube-system", Labels: map[string]string{"app.kubernetes.io/name": "aws-load-balancer-controller"}},
	{Namespace: "2048-game", Labels: map[string]string{"app.kubernetes.io/name": "app-2048"}},
}

// Selects reports whether the Fargate profile u selects pods: one of its
// selectors names their namespace and only labels they carry ("The
// selector only matches Pods that are created in this namespace ... that
// have all of the labels that are specified in the selector", AWS EKS User
// Guide, fargate-profile.adoc, Fargate profile components). EKS also
// accepts * and ? wildcards there; render's configuration does not (its
// namespaces and labels are checked as Kubernetes names), so they are not
// expanded here.
func Selects(u *unstructured.Unstructured, pods Pods) bool {
	selectors, _, _ := unstructured.NestedSlice(u.Object, "spec", "selectors")
	for _, s := range selectors {
		sel, _ := s.(map[string]any)
		want, _, _ := unstructured.NestedStringMap(sel, "labels")
		if sel["namespace"] == pods.Namespace && labels.SelectorFromSet(want).Matches(labels.Set(pods.Labels)) {
			return true
		}
	}
	return false
}

// FargateLogging is where EKS reads the Fargate pods' log router
// configuration: the ConfigMap aws-logging in the namespace
// aws-observability (EKS User Guide, latest/ug/nodes/fargate-logging.adoc,
// awsdocs/amazon-eks-user-guide @4d52b4d05e34).
var FargateLogging = struct{ Namespace, ConfigMap string }{"aws-observability", "aws-logging"}

// ordering is one order AWS needs that no reference expresses: objects
// matching what come after every object of the same namespace (of any,
// with anyNamespace) matching one of after or, when none does, one of
// orElse.
type ordering struct {
	what         match
	after        []match
	orElse       []match
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
			{group: ack.EKSGroup, kind: "FargateProfile", selects: &CoreDNSPods},
			{group: ack.EKSGroup, kind: "Nodegroup"},
		},
		orElse: []match{{group: ack.EKSGroup, kind: "FargateProfile"}},
		why: "CoreDNS after the compute that runs it: a pod reaches Fargate only if a profile " +
			"selects it when it is created (terraform-aws-eks main.tf: aws_eks_addon depends_on " +
			"the Fargate profiles and node groups). Only the profiles that select its pods, and " +
			"the node groups: it needs no other; with neither, every profile, as there is " +
			"nothing better to wait for",
	},
	{
		what:  match{group: ack.EKSGroup, kind: "Nodegroup"},
		after: []match{{group: ack.EKSGroup, kind: "Addon", name: "vpc-cni"}},
		why: "nodes need the network plugin to become Ready (terraform-aws-eks main.tf: " +
			"aws_eks_addon before_compute, set for vpc-cni)",
	},
	{
		what:  match{group: ack.EKSGroup, kind: "Cluster"},
		after: []match{{group: ack.CloudWatchLogsGroup, kind: "LogGroup", nameFor: controlPlaneLogGroupOf}},
		why: "the control-plane log group before its cluster, and deleted after it: EKS creates " +
			"the group itself (without retention) when it first writes logs, and writes until the " +
			"cluster is gone, re-creating a group deleted earlier (terraform-aws-eks main.tf: " +
			"aws_eks_cluster depends_on aws_cloudwatch_log_group; commit 98e137fa, #1974: the log " +
			"group \"being re-created even after Terraform destroys it\")",
	},
	{
		what:         match{pods: true},
		after:        []match{{kind: "ConfigMap", object: FargateLogging.ConfigMap, namespace: FargateLogging.Namespace}},
		anyNamespace: true,
		why: "pods after the Fargate log router's configuration: \"Any changes to a ConfigMap are " +
			"applied to new Pods only\", so a Fargate pod created before it is never logged (EKS User " +
			"Guide, fargate-logging.adoc)",
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
		found := matching(u, objs, o.after, o.anyNamespace)
		if len(found) == 0 {
			found = matching(u, objs, o.orElse, o.anyNamespace)
		}
		out = append(out, found...)
	}
	return out
}

// matching returns the objects of objs in u's namespace (any, with
// anyNamespace) that match one of ms.
func matching(u *unstructured.Unstructured, objs []*unstructured.Unstructured, ms []match, anyNamespace bool) []int {
	var out []int
	for j, v := range objs {
		if !anyNamespace && v.GetNamespace() != u.GetNamespace() {
			continue
		}
		for _, m := range ms {
			if m.matches(v) && (m.nameFor == nil || specName(v) == m.nameFor(u)) {
				out = append(out, j)
				break
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
// between tries. So profiles form a chain, those the game needs first
// (profileKey). Deleting goes the reverse way, one at a time too.
func serialized(u *unstructured.Unstructured, objs []*unstructured.Unstructured) []int {
	if !isFargateProfile(u) {
		return nil
	}
	var prev, prevKey = -1, ""
	own := profileKey(u)
	for j, v := range objs {
		if !isFargateProfile(v) || v.GetNamespace() != u.GetNamespace() || ClusterOf(v) != ClusterOf(u) {
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

// profileKey orders the profiles of a cluster: first the one selecting
// CoreDNS, then those selecting the other pods the game needs, in
// PlayablePods' order, then the rest; by name within each. Since EKS
// creates them one at a time, a profile no pod of the game needs (for
// metrics-server, or the default namespace) must not delay one it does.
func profileKey(u *unstructured.Unstructured) string {
	for n, pods := range PlayablePods {
		if Selects(u, pods) {
			return fmt.Sprintf("%d/%s", n, u.GetName())
		}
	}
	return fmt.Sprintf("%d/%s", len(PlayablePods), u.GetName())
}

// ClusterOf names the EKS cluster a profile belongs to: its clusterRef's
// object, else its clusterName.
func ClusterOf(u *unstructured.Unstructured) string {
	if ref, _, _ := unstructured.NestedString(u.Object, "spec", "clusterRef", "from", "name"); ref != "" {
		return "ref/" + ref
	}
	name, _, _ := unstructured.NestedString(u.Object, "spec", "clusterName")
	return "name/" + name
}
