package awsauth

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// Namespace and Name are the ConfigMap's: EKS reads only this one
// (awsdocs/amazon-eks-user-guide
// latest/ug/manage-access/k8s-access/auth-configmap.adoc, commit 4d52b4d).
const (
	Namespace = "kube-system"
	Name      = "aws-auth"
)

// Entry is one IAM principal an aws-auth ConfigMap maps into the cluster
// (mapRoles, mapUsers). Under the CONFIG_MAP and API_AND_CONFIG_MAP
// authentication modes it reaches the cluster through the ConfigMap; API
// drops that path ("EKS API only (API): access entries",
// awsdocs/amazon-eks-user-guide
// latest/ug/manage-access/k8s-access/grant-k8s-access.adoc, commit
// 4d52b4d, "Set Cluster Authentication Mode"), so a principal without an
// access entry loses access once the mode is API.
type Entry struct {
	// Source is where the entry was read: the Terraform address of the
	// ConfigMap resource, or the live cluster's ConfigMap.
	Source string `json:"source"`
	// ARN is the role's or user's ARN; Username and Groups what it maps to.
	ARN      string   `json:"arn"`
	Username string   `json:"username,omitempty"`
	Groups   []string `json:"groups,omitempty"`
	// Node is true for a node's or Fargate pod's role (group
	// system:nodes): EKS adds those for managed node groups and Fargate
	// profiles itself, and they need no access entry ("It's unnecessary
	// to create an access entry for an IAM role that's used for a managed
	// node group or a Fargate profile", same page, "Create access
	// entries"). A self-managed node group's role is in that group too
	// and would need an access entry of type EC2_LINUX (same page,
	// "Migrating existing aws-auth ConfigMap entries"); render runs none.
	Node bool `json:"node,omitempty"`
	// Listed is true when the environment's rendering has an access entry
	// for the principal (platform.yaml cluster.admins).
	Listed bool `json:"listed"`
}

// LosesAccess reports whether the principal can no longer reach the
// cluster once its mode is API: neither listed nor a node's role.
func (e Entry) LosesAccess() bool { return !e.Node && !e.Listed }

// Parse returns the entries of an aws-auth ConfigMap's data (its mapRoles
// and mapUsers keys, each a YAML list), each with source; sorted by ARN.
// The error names source and the key.
func Parse(source string, data map[string]string) ([]Entry, error) {
	var out []Entry
	for _, key := range []string{"mapRoles", "mapUsers"} {
		if data[key] == "" {
			continue
		}
		var raw []struct {
			RoleARN  string   `json:"rolearn"`
			UserARN  string   `json:"userarn"`
			Username string   `json:"username"`
			Groups   []string `json:"groups"`
		}
		if err := yaml.Unmarshal([]byte(data[key]), &raw); err != nil {
			return nil, fmt.Errorf("%s: data.%s: %w", source, key, err)
		}
		for _, e := range raw {
			out = append(out, Entry{Source: source, ARN: e.RoleARN + e.UserARN, Username: e.Username,
				Groups: e.Groups, Node: slices.Contains(e.Groups, "system:nodes")})
		}
	}
	slices.SortStableFunc(out, func(a, b Entry) int { return strings.Compare(a.ARN, b.ARN) })
	return out, nil
}

// Mark sets each entry's Listed: whether objs, an environment's rendering,
// have an AccessEntry for its principal.
func Mark(entries []Entry, objs []*unstructured.Unstructured) {
	listed := map[string]bool{}
	for _, u := range objs {
		if u.GetKind() == "AccessEntry" {
			arn, _, _ := unstructured.NestedString(u.Object, "spec", "principalARN")
			listed[arn] = true
		}
	}
	for i := range entries {
		entries[i].Listed = listed[entries[i].ARN]
	}
}

// Losing returns the entries that lose access at API (LosesAccess).
func Losing(entries []Entry) []Entry {
	var out []Entry
	for _, e := range entries {
		if e.LosesAccess() {
			out = append(out, e)
		}
	}
	return out
}

// String is the entry as reports show it: the principal, what it maps to,
// where it was read, and what becomes of it at API.
func (e Entry) String() string {
	s := fmt.Sprintf("%s as %q %v (%s): ", e.ARN, e.Username, e.Groups, e.Source)
	switch {
	case e.Node:
		return s + "a node's or Fargate pod's role, which EKS maps itself; no access entry needed"
	case e.Listed:
		return s + "listed in cluster.admins (an access entry)"
	}
	return s + "LOSING ACCESS at API: NOT in cluster.admins; add it (or an access entry of its own) before the mode reaches API, which drops aws-auth"
}

// Where the entries of a report come from (Source.Read).
const (
	// FromState: the Terraform state's aws-auth ConfigMap resource.
	FromState = "state"
	// FromCluster: the live cluster's kube-system/aws-auth.
	FromCluster = "live cluster"
	// FromNeither: no aws-auth was read; Source.Why says why.
	FromNeither = "neither"
)

// Source says where a report's aws-auth entries were read.
type Source struct {
	// Read is FromState, FromCluster or FromNeither.
	Read string `json:"read"`
	// Where names what was read: the Terraform address, or the live
	// cluster (its endpoint, or the kubeconfig's context).
	Where string `json:"where,omitempty"`
	// Why says, when the live cluster was not read, or read without an
	// aws-auth ConfigMap, why.
	Why string `json:"why,omitempty"`
}

// String is the source as a report's line shows it.
func (s Source) String() string {
	out := "read from the " + s.Read
	if s.Read == FromNeither {
		out = "read from neither the state nor the live cluster"
	}
	if s.Where != "" {
		out += " (" + s.Where + ")"
	}
	if s.Why != "" {
		out += ": " + s.Why
	}
	return out
}
