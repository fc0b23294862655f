package eksversion

import (
	"fmt"
	"slices"
)

// The managed add-ons render runs in every cluster.
const (
	VPCCNI    = "vpc-cni"
	KubeProxy = "kube-proxy"
	CoreDNS   = "coredns"
)

// Addons are the add-on names, in the order render reports them.
var Addons = []string{CoreDNS, KubeProxy, VPCCNI}

// AddonSource is where an add-on's versions were read: the AWS EKS User
// Guide's table "the latest version of the Amazon EKS add-on type for each
// Kubernetes version", one page snapshot per add-on so that its rows agree.
var AddonSource = map[string]string{
	CoreDNS:   "https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-coredns.md (the table lists 1.30 to 1.36)",
	KubeProxy: "https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md (the table lists 1.31 to 1.36)",
	VPCCNI:    "https://docs.amazonaws.cn/eks/latest/userguide/managing-vpc-cni.md (the table lists 1.29 to 1.35, one version for all)",
}

// addonVersions maps a Kubernetes minor to the version render pins for each
// add-on on a cluster of that minor. EKS never upgrades an add-on by
// itself; pinning makes a cluster upgrade carry its add-ons along, and the
// version a cluster runs reviewable in the rendered tree. A test checks
// that every version the calendar lists has a row.
var addonVersions = map[string]map[string]string{
	"1.31": {CoreDNS: "v1.11.4-eksbuild.40", KubeProxy: "v1.31.14-eksbuild.20", VPCCNI: "v1.21.1-eksbuild.7"},
	"1.32": {CoreDNS: "v1.11.4-eksbuild.40", KubeProxy: "v1.32.13-eksbuild.16", VPCCNI: "v1.21.1-eksbuild.7"},
	"1.33": {CoreDNS: "v1.12.4-eksbuild.18", KubeProxy: "v1.33.10-eksbuild.13", VPCCNI: "v1.21.1-eksbuild.7"},
	"1.34": {CoreDNS: "v1.13.2-eksbuild.11", KubeProxy: "v1.34.6-eksbuild.13", VPCCNI: "v1.21.1-eksbuild.7"},
	"1.35": {CoreDNS: "v1.14.3-eksbuild.3", KubeProxy: "v1.35.3-eksbuild.13", VPCCNI: "v1.21.1-eksbuild.7"},
}

// AddonsReadOn is the day the add-on table was read. Every version EKS
// offers on that day or later, by the calendar, must have a row.
const AddonsReadOn = "2026-11-29"

// AddonVersion returns the version render pins for add-on name on a
// cluster of Kubernetes minor version.
func AddonVersion(name, version string) (string, error) {
	row, ok := addonVersions[version]
	if !ok || row[name] == "" {
		return "", fmt.Errorf("no %s add-on version is known for Kubernetes %s (internal/eksversion/addons.go)", name, version)
	}
	return row[name], nil
}

// AddonCompatible reports whether EKS accepts addonVersion of name on a
// cluster of Kubernetes minor version, as far as the table knows: the
// version pinned for that minor. acksim uses it to refuse what EKS would
// (DescribeAddonVersions lists the compatible cluster versions of each
// add-on version).
func AddonCompatible(name, addonVersion, version string) bool {
	v, err := AddonVersion(name, version)
	return err == nil && v == addonVersion
}

// AddonMinors returns the Kubernetes versions the add-on table covers,
// oldest first.
func AddonMinors() []string {
	var out []string
	for v := range addonVersions {
		out = append(out, v)
	}
	slices.SortFunc(out, Compare)
	return out
}
