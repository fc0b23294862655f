package diff

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/graph"
)

// Assumption is one thing about a network render does not own
// (network.existing) that only AWS can check, and what AWS said of it so
// far.
type Assumption struct {
	// What is assumed.
	What string `json:"what"`
	// State is AssumedState until ACK reports on it: then ConfirmedState
	// (EKS accepted the subnets) or RefusedState.
	State AssumptionState `json:"state"`
	// Evidence names the object and, when refused, AWS's message.
	Evidence string `json:"evidence,omitempty"`
}

// AssumptionState is how far an Assumption is checked.
type AssumptionState string

// Assumption states.
const (
	AssumedState   AssumptionState = "assumed, not checked"
	ConfirmedState AssumptionState = "checked by EKS"
	RefusedState   AssumptionState = "REFUSED by AWS"
)

func (s AssumptionState) String() string { return string(s) }

func (a Assumption) String() string {
	if a.Evidence == "" {
		return fmt.Sprintf("%s: %s", a.State, a.What)
	}
	return fmt.Sprintf("%s: %s (%s)", a.State, a.What, a.Evidence)
}

// Assumptions lists what env's network.existing takes on trust (none for a
// network render creates), each checked against live, the live objects of
// the environment with their status (those NamesSubnets selects suffice): EKS validates the cluster's subnets when it creates the
// Cluster (they exist, in at least two zones: EKS User Guide,
// network-reqs.adoc "Subnet requirements for clusters"), so a synced
// Cluster confirms them, and an EKS object whose ACK.Terminal or
// ACK.Recoverable message is about a subnet refutes them. The rest AWS
// never checks for render: routes, tags and the VPC the load balancer
// controller is told.
func Assumptions(env config.Environment, live []*unstructured.Unstructured) []Assumption {
	e := env.Network.Existing
	if e == nil {
		return nil
	}
	private, public := strings.Join(e.PrivateSubnetIDs, ", "), strings.Join(e.PublicSubnetIDs, ", ")
	cluster := Assumption{What: fmt.Sprintf("the private subnets %s exist and are in at least two availability zones", private), State: AssumedState}
	for _, u := range live {
		if u == nil || !NamesSubnets(u) {
			continue
		}
		if msg := subnetRefusal(u); msg != "" {
			cluster.State, cluster.Evidence = RefusedState, graph.NameOf(u)+": "+msg
			break
		}
		if u.GetKind() == "Cluster" && synced(u) {
			cluster.State, cluster.Evidence = ConfirmedState, graph.NameOf(u)+" is synced"
		}
	}
	return []Assumption{
		cluster,
		{What: fmt.Sprintf("every subnet is in %s, the VPC the load balancer controller is given", e.VPCID), State: AssumedState},
		{What: fmt.Sprintf("the public subnets %s are in at least two availability zones and route 0.0.0.0/0 to an internet gateway", public), State: AssumedState},
		{What: "the private subnets route 0.0.0.0/0 to a NAT gateway (or the VPC has endpoints for ECR, S3, STS and CloudWatch Logs)", State: AssumedState},
		{What: fmt.Sprintf("the subnets carry the tags the load balancer controller discovers them by (public kubernetes.io/role/elb=1, private kubernetes.io/role/internal-elb=1, kubernetes.io/cluster/%s=shared) for load balancers other than the game's, whose Ingress names its subnets", env.ClusterName), State: AssumedState},
	}
}

// NamesSubnets reports whether u is an EKS object that names the
// environment's subnets, whose live status Assumptions reads.
func NamesSubnets(u *unstructured.Unstructured) bool {
	if u.GroupVersionKind().Group != "eks.services.k8s.aws" {
		return false
	}
	switch u.GetKind() {
	case "Cluster", "Nodegroup", "FargateProfile":
		return true
	}
	return false
}

// subnetRefusal is the message of u's ACK.Terminal or ACK.Recoverable
// condition when it is about a subnet.
func subnetRefusal(u *unstructured.Unstructured) string {
	for _, c := range conditionsOf(u) {
		if (c["type"] == "ACK.Terminal" || c["type"] == "ACK.Recoverable") && c["status"] == "True" &&
			strings.Contains(strings.ToLower(c["message"]), "subnet") {
			return c["message"]
		}
	}
	return ""
}

func synced(u *unstructured.Unstructured) bool {
	for _, c := range conditionsOf(u) {
		if c["type"] == "ACK.ResourceSynced" && c["status"] == "True" {
			return true
		}
	}
	return false
}

func conditionsOf(u *unstructured.Unstructured) []map[string]string {
	list, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	out := make([]map[string]string, 0, len(list))
	for _, v := range list {
		m, _ := v.(map[string]any)
		c := map[string]string{}
		for _, k := range []string{"type", "status", "message"} {
			c[k], _ = m[k].(string)
		}
		out = append(out, c)
	}
	return out
}
