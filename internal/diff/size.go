package diff

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Size is what drives the cost of one side of an environment, read from the
// rendered management objects by kind and field, not from the configuration.
type Size struct {
	NATGateways     int `json:"natGateways"`
	ElasticIPs      int `json:"elasticIPs"`
	FargateProfiles int `json:"fargateProfiles"`
	// NodeGroups are the managed node groups, sorted by object name.
	NodeGroups []NodeGroup `json:"nodeGroups"`
	// ControlPlaneLogRetentionDays is the retention of the LogGroup named
	// /aws/eks/<cluster>/cluster; 0 if there is none or it never expires.
	ControlPlaneLogRetentionDays int64 `json:"controlPlaneLogRetentionDays"`
	// FlowLogRetentionDays is the retention of the LogGroup a FlowLog writes
	// to (or, while the FlowLog waits for the VPC ID, of the one named
	// *flow-logs*); 0 if there is none or it never expires.
	FlowLogRetentionDays int64 `json:"flowLogRetentionDays"`
	// GameReplicas is read from the workload: how many pods the game may
	// run (replicasOf). Zero where the workload is not compared (render
	// diff against the live management cluster).
	GameReplicas Replicas `json:"gameReplicas"`
	// FargatePods are the workload's Deployments a Fargate profile selects,
	// each with its pod's requests and the Fargate size they are billed as
	// (fargatePods). Empty where the workload is not compared.
	FargatePods []FargatePod `json:"fargatePods"`
}

// NodeGroup is the size of one Nodegroup object.
type NodeGroup struct {
	Name          string   `json:"name"`
	InstanceTypes []string `json:"instanceTypes"`
	DesiredSize   int64    `json:"desiredSize"`
}

// String returns e.g. "system 2 x m6i.large".
func (n NodeGroup) String() string {
	return fmt.Sprintf("%s %d x %s", n.Name, n.DesiredSize, strings.Join(n.InstanceTypes, "/"))
}

func sizeOf(objs []*unstructured.Unstructured) Size {
	s := Size{NodeGroups: []NodeGroup{}, FargatePods: []FargatePod{}}
	flowGroups := map[string]bool{}
	for _, u := range objs {
		if u.GetKind() == "FlowLog" {
			name, _, _ := unstructured.NestedString(u.Object, "spec", "logGroupRef", "from", "name")
			flowGroups[name] = true
		}
	}
	for _, u := range objs {
		switch u.GetKind() {
		case "NATGateway":
			s.NATGateways++
		case "ElasticIPAddress":
			s.ElasticIPs++
		case "FargateProfile":
			s.FargateProfiles++
		case "Nodegroup":
			s.NodeGroups = append(s.NodeGroups, nodeGroup(u))
		case "LogGroup":
			s.logGroup(u, flowGroups)
		}
	}
	slices.SortFunc(s.NodeGroups, func(a, b NodeGroup) int { return strings.Compare(a.Name, b.Name) })
	return s
}

func nodeGroup(u *unstructured.Unstructured) NodeGroup {
	types, _, _ := unstructured.NestedStringSlice(u.Object, "spec", "instanceTypes")
	return NodeGroup{Name: u.GetName(), InstanceTypes: types, DesiredSize: number(u.Object, "spec", "scalingConfig", "desiredSize")}
}

func (s *Size) logGroup(u *unstructured.Unstructured, flowGroups map[string]bool) {
	name, _, _ := unstructured.NestedString(u.Object, "spec", "name")
	days := number(u.Object, "spec", "retentionDays")
	switch {
	case strings.HasPrefix(name, "/aws/eks/") && strings.HasSuffix(name, "/cluster"):
		s.ControlPlaneLogRetentionDays = days
	case flowGroups[u.GetName()] || (len(flowGroups) == 0 && strings.Contains(name, "flow-logs")):
		s.FlowLogRetentionDays = days
	}
}

// number reads an integer field whatever its decoded Go type.
func number(obj map[string]any, fields ...string) int64 {
	v, _, _ := unstructured.NestedFieldNoCopy(obj, fields...)
	switch n := v.(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

// changes lists what differs between two sizes, e.g. "NAT gateways +2".
func (s Size) changes(to Size) []string {
	var out []string
	counts := []struct {
		what     string
		from, to int64
	}{
		{"NAT gateways", int64(s.NATGateways), int64(to.NATGateways)},
		{"Elastic IPs", int64(s.ElasticIPs), int64(to.ElasticIPs)},
		{"Fargate profiles", int64(s.FargateProfiles), int64(to.FargateProfiles)},
	}
	for _, c := range counts {
		if c.from != c.to {
			out = append(out, fmt.Sprintf("%s %+d", c.what, c.to-c.from))
		}
	}
	retention := []struct {
		what     string
		from, to int64
	}{
		{"control-plane log retention", s.ControlPlaneLogRetentionDays, to.ControlPlaneLogRetentionDays},
		{"flow-log retention", s.FlowLogRetentionDays, to.FlowLogRetentionDays},
	}
	for _, r := range retention {
		if r.from != r.to {
			out = append(out, fmt.Sprintf("%s %s -> %s", r.what, days(r.from), days(r.to)))
		}
	}
	if a, b := s.nodes(), to.nodes(); a != b {
		out = append(out, fmt.Sprintf("node groups %s -> %s", a, b))
	}
	if s.GameReplicas != to.GameReplicas {
		out = append(out, fmt.Sprintf("game replicas %s -> %s", s.GameReplicas, to.GameReplicas))
	}
	if a, b := s.fargate(), to.fargate(); a != b {
		out = append(out, fmt.Sprintf("Fargate pods %s -> %s", a, b))
	}
	return out
}

// nodes describes the node groups, "none" if there are none.
func (s Size) nodes() string { return list(s.NodeGroups) }

// fargate describes the Fargate pods, "none" if there are none.
func (s Size) fargate() string { return list(s.FargatePods) }

// list joins items' descriptions, "none" if there are none.
func list[T fmt.Stringer](items []T) string {
	if len(items) == 0 {
		return "none"
	}
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.String()
	}
	return strings.Join(parts, ", ")
}

// String is the one-line description of a side.
func (s Size) String() string {
	out := fmt.Sprintf("NAT gateways %d, Elastic IPs %d, node groups %s, Fargate profiles %d, control-plane log retention %s, flow-log retention %s",
		s.NATGateways, s.ElasticIPs, s.nodes(), s.FargateProfiles, days(s.ControlPlaneLogRetentionDays), days(s.FlowLogRetentionDays))
	if s.GameReplicas != (Replicas{}) {
		out += ", game replicas " + s.GameReplicas.String()
	}
	if len(s.FargatePods) > 0 {
		out += ", Fargate pods " + s.fargate()
	}
	return out
}

func days(n int64) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%dd", n)
}
