package diff

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/eksversion"
)

// Upgrade is a Kubernetes version upgrade between the two sides of an
// environment: the control plane's minor version, and the versions of what
// follows it (add-ons, node groups). A review shows it as its own section,
// because applying it is a sequence (render apply runs it in order:
// docs/operations.md, "Upgrading"), not a field change.
type Upgrade struct {
	ControlPlane *VersionChange  `json:"controlPlane,omitempty"`
	Addons       []VersionChange `json:"addons,omitempty"`
	NodeGroups   []VersionChange `json:"nodeGroups,omitempty"`
	// RestartFargatePods is true with a control plane upgrade: pods on
	// Fargate keep the kubelet they started with until replaced.
	RestartFargatePods bool `json:"restartFargatePods,omitempty"`
}

// VersionChange is one object's version on each side.
type VersionChange struct {
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// String is the section's line: "control plane 1.34 -> 1.35; add-ons
// coredns v… -> v…; node group system 1.34 -> 1.35; Fargate pods restart
// to pick up the new kubelet".
func (u *Upgrade) String() string {
	var parts []string
	if c := u.ControlPlane; c != nil {
		parts = append(parts, fmt.Sprintf("control plane %s -> %s", c.From, c.To))
	}
	if len(u.Addons) > 0 {
		var as []string
		for _, c := range u.Addons {
			as = append(as, fmt.Sprintf("%s %s -> %s", c.Name, c.From, c.To))
		}
		parts = append(parts, "add-ons "+strings.Join(as, ", "))
	}
	for _, c := range u.NodeGroups {
		parts = append(parts, fmt.Sprintf("node group %s %s -> %s", c.Name, c.From, c.To))
	}
	if u.RestartFargatePods {
		parts = append(parts, "Fargate pods restart to pick up the new kubelet")
	}
	return strings.Join(parts, "; ")
}

// upgradeOf finds the upgrade between two renderings of an environment's
// management objects, or nil. A control plane step of more than one minor
// version, or back, is an error that names the environment.
func upgradeOf(env string, a, b []*unstructured.Unstructured) (*Upgrade, error) {
	from, to := versionsOf(a), versionsOf(b)
	u := &Upgrade{}
	for _, key := range slices.Sorted(maps.Keys(to)) {
		f, ok := from[key]
		t := to[key]
		if !ok || f == t || f == "" {
			continue
		}
		kind, name, _ := strings.Cut(key, "/")
		c := VersionChange{Name: name, From: f, To: t}
		switch kind {
		case "Cluster":
			if err := eksversion.CheckStep(f, t); err != nil {
				return nil, fmt.Errorf("environment %s: Cluster %s: cluster.version: %w", env, name, err)
			}
			u.ControlPlane, u.RestartFargatePods = &c, true
		case "Addon":
			u.Addons = append(u.Addons, c)
		case "Nodegroup":
			u.NodeGroups = append(u.NodeGroups, c)
		}
	}
	if u.ControlPlane == nil && len(u.Addons) == 0 && len(u.NodeGroups) == 0 {
		return nil, nil
	}
	return u, nil
}

// VersionPath is where an object of a versioned EKS kind keeps its
// version: a Cluster's or Nodegroup's spec.version, an Addon's
// spec.addonVersion.
func VersionPath(u *unstructured.Unstructured) ([]string, bool) {
	if u.GroupVersionKind().Group != "eks.services.k8s.aws" {
		return nil, false
	}
	switch u.GetKind() {
	case "Cluster", "Nodegroup":
		return []string{"spec", "version"}, true
	case "Addon":
		return []string{"spec", "addonVersion"}, true
	}
	return nil, false
}

// versionsOf maps "Kind/name" of each versioned EKS object to its version.
func versionsOf(objs []*unstructured.Unstructured) map[string]string {
	out := map[string]string{}
	for _, o := range objs {
		if o == nil {
			continue
		}
		if path, ok := VersionPath(o); ok {
			v, _, _ := unstructured.NestedString(o.Object, path...)
			out[o.GetKind()+"/"+o.GetName()] = v
		}
	}
	return out
}
