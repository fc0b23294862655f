package eksversion

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// The managed add-ons render runs in every cluster.
const (
	VPCCNI    = "vpc-cni"
	KubeProxy = "kube-proxy"
	CoreDNS   = "coredns"
)

// Addons are the add-on names, in the order render reports them and
// addons.md lists them.
var Addons = []string{CoreDNS, KubeProxy, VPCCNI}

//go:embed addons.md
var addonsMD string

// AddonRow is the version render pins for each add-on on a cluster of one
// Kubernetes minor, and where the versions were read. EKS never upgrades
// an add-on by itself; pinning makes a cluster upgrade carry its add-ons
// along, and the version a cluster runs reviewable in the rendered tree.
type AddonRow struct {
	Kubernetes string
	// Versions maps an add-on name to its version.
	Versions map[string]string
	Source   string
}

// addonRows is addons.md parsed once, on first use (as calendar); a
// malformed file is a build defect the package's tests catch, so it panics.
var addonRows = sync.OnceValue(func() []AddonRow {
	rows, err := ParseAddonTable(addonsMD)
	if err != nil {
		panic(fmt.Sprintf("eksversion: addons.md: %v", err))
	}
	return rows
})

// ParseAddonTable reads the rows of an add-on table such as addons.md,
// newest minor first. Every row needs a source.
func ParseAddonTable(md string) ([]AddonRow, error) {
	// Compiled per call, not at package init: addons.md is parsed once.
	addonRowRE := regexp.MustCompile(`^\|\s*(1\.\d+)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|\s*([^|]*?)\s*\|$`)
	var rows []AddonRow
	for i, line := range strings.Split(md, "\n") {
		m := addonRowRE.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		row := AddonRow{Kubernetes: m[1], Versions: map[string]string{}, Source: m[5]}
		for j, name := range Addons {
			row.Versions[name] = m[2+j]
		}
		if row.Source == "" {
			return nil, fmt.Errorf("line %d: %s has no source", i+1, row.Kubernetes)
		}
		if slices.ContainsFunc(rows, func(r AddonRow) bool { return r.Kubernetes == row.Kubernetes }) {
			return nil, fmt.Errorf("line %d: %s is listed twice", i+1, row.Kubernetes)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no add-on rows")
	}
	slices.SortFunc(rows, func(a, b AddonRow) int { return Compare(b.Kubernetes, a.Kubernetes) })
	return rows, nil
}

// AddonTable returns addons.md's rows, newest minor first.
func AddonTable() []AddonRow { return slices.Clone(addonRows()) }

// AddonsReadOn is the day the add-on table was read. Every version EKS
// offers on that day or later, by the calendar, must have a row.
const AddonsReadOn = "2026-11-29"

// AddonVersion returns the version render pins for add-on name on a
// cluster of Kubernetes minor version.
func AddonVersion(name, version string) (string, error) {
	for _, row := range addonRows() {
		if row.Kubernetes == version && row.Versions[name] != "" {
			return row.Versions[name], nil
		}
	}
	return "", fmt.Errorf("no %s add-on version is known for Kubernetes %s (internal/eksversion/addons.md)", name, version)
}

// AddonSource returns where the versions pinned for Kubernetes minor
// version were read.
func AddonSource(version string) string {
	for _, row := range addonRows() {
		if row.Kubernetes == version {
			return row.Source
		}
	}
	return ""
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
	for _, row := range addonRows() {
		out = append(out, row.Kubernetes)
	}
	slices.Reverse(out)
	return out
}
