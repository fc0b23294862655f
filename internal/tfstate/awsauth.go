package tfstate

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// AWSAuthEntry is one IAM principal the state's aws-auth ConfigMap maps
// into the cluster (mapRoles, mapUsers). Under the CONFIG_MAP and
// API_AND_CONFIG_MAP authentication modes it can reach the cluster through
// the ConfigMap; API drops that path ("API: access entries only",
// awsdocs/amazon-eks-user-guide
// latest/ug/manage-access/k8s-access/grant-k8s-access.adoc, commit
// 4d52b4d), so an admin render does not list as an access entry loses
// access once render steps the mode to API.
type AWSAuthEntry struct {
	// Terraform is the address of the ConfigMap resource.
	Terraform string `json:"terraform"`
	// ARN is the role's or user's ARN; Username and Groups what it maps to.
	ARN      string   `json:"arn"`
	Username string   `json:"username,omitempty"`
	Groups   []string `json:"groups,omitempty"`
	// Node is true for a node's or Fargate pod's role (group
	// system:nodes): EKS adds those for managed node groups and Fargate
	// profiles itself, and they need no access entry ("It's unnecessary
	// to create an access entry for an IAM role that's used for a managed
	// node group or a Fargate profile", same page).
	Node bool `json:"node,omitempty"`
	// Listed is true when the environment's rendering has an access entry
	// for the principal (platform.yaml cluster.admins).
	Listed bool `json:"listed"`
}

// configMapTypes are the Terraform kubernetes provider's resource types
// that hold a ConfigMap's data.
var configMapTypes = []string{"kubernetes_config_map", "kubernetes_config_map_v1", "kubernetes_config_map_v1_data"}

// awsAuth returns the entries of every kube-system/aws-auth ConfigMap in
// the state, marked Listed when objs have an AccessEntry for them.
func awsAuth(st *State, objs []*unstructured.Unstructured) ([]AWSAuthEntry, error) {
	listed := map[string]bool{}
	for _, u := range objs {
		if u.GetKind() == "AccessEntry" {
			arn, _, _ := unstructured.NestedString(u.Object, "spec", "principalARN")
			listed[arn] = true
		}
	}
	out := []AWSAuthEntry{}
	for i := range st.Resources {
		r := &st.Resources[i]
		if !slices.Contains(configMapTypes, r.Type) || r.str("metadata", 0, "name") != "aws-auth" || r.str("metadata", 0, "namespace") != "kube-system" {
			continue
		}
		for _, key := range []string{"mapRoles", "mapUsers"} {
			es, err := mapEntries(r, key)
			if err != nil {
				return nil, err
			}
			for _, e := range es {
				e.Listed = listed[e.ARN]
				out = append(out, e)
			}
		}
	}
	slices.SortFunc(out, func(a, b AWSAuthEntry) int { return strings.Compare(a.ARN, b.ARN) })
	return out, nil
}

// mapEntries decodes the mapRoles or mapUsers YAML of the ConfigMap r.
func mapEntries(r *Resource, key string) ([]AWSAuthEntry, error) {
	data := r.str("data", key)
	if data == "" {
		return nil, nil
	}
	var raw []struct {
		RoleARN  string   `json:"rolearn"`
		UserARN  string   `json:"userarn"`
		Username string   `json:"username"`
		Groups   []string `json:"groups"`
	}
	if err := yaml.Unmarshal([]byte(data), &raw); err != nil {
		return nil, fmt.Errorf("%s: data.%s: %w", r.Address, key, err)
	}
	var out []AWSAuthEntry
	for _, e := range raw {
		out = append(out, AWSAuthEntry{Terraform: r.Address, ARN: e.RoleARN + e.UserARN, Username: e.Username,
			Groups: e.Groups, Node: slices.Contains(e.Groups, "system:nodes")})
	}
	return out, nil
}

// line is the entry as the report's text shows it.
func (e AWSAuthEntry) line() string {
	s := fmt.Sprintf("%s as %q %v (%s): ", e.ARN, e.Username, e.Groups, e.Terraform)
	switch {
	case e.Node:
		return s + "a node's or Fargate pod's role, which EKS maps itself; no access entry needed"
	case e.Listed:
		return s + "listed in cluster.admins (an access entry)"
	}
	return s + "NOT in cluster.admins: add it (or an access entry of its own) before the mode reaches API, which drops aws-auth"
}
