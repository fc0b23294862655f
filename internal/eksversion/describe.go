package eksversion

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// describeAddonVersions is the part of EKS's DescribeAddonVersions response
// (botocore data/eks/2017-11-01/service-2.json, DescribeAddonVersionsResponse
// -> addons[] AddonInfo -> addonVersions[] AddonVersionInfo ->
// compatibilities[] Compatibility) render reads, as `aws eks
// describe-addon-versions --output json` prints it: the CLI names the JSON
// members as the model does and follows nextToken itself.
type describeAddonVersions struct {
	Addons []struct {
		AddonName     string `json:"addonName"`
		AddonVersions []struct {
			AddonVersion    string `json:"addonVersion"`
			Compatibilities []struct {
				ClusterVersion string `json:"clusterVersion"`
				DefaultVersion bool   `json:"defaultVersion"`
			} `json:"compatibilities"`
		} `json:"addonVersions"`
	} `json:"addons"`
}

// DefaultAddonVersion returns the version of add-on name that EKS marks
// defaultVersion for a cluster of Kubernetes minor kubernetes, from the
// JSON of `aws eks describe-addon-versions --kubernetes-version
// KUBERNETES --addon-name NAME`. No default, or more than one, is an error:
// render pins only what EKS names.
func DefaultAddonVersion(data []byte, name, kubernetes string) (string, error) {
	var resp describeAddonVersions
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&resp); err != nil {
		return "", fmt.Errorf("not describe-addon-versions JSON: %w", err)
	}
	var defaults []string
	for _, a := range resp.Addons {
		if a.AddonName != name {
			continue
		}
		for _, v := range a.AddonVersions {
			for _, c := range v.Compatibilities {
				if c.ClusterVersion == kubernetes && c.DefaultVersion {
					defaults = append(defaults, v.AddonVersion)
				}
			}
		}
	}
	slices.Sort(defaults)
	defaults = slices.Compact(defaults)
	switch len(defaults) {
	case 0:
		return "", fmt.Errorf("no %s version is marked defaultVersion for Kubernetes %s", name, kubernetes)
	case 1:
		return defaults[0], nil
	}
	return "", fmt.Errorf("%s has several versions marked defaultVersion for Kubernetes %s: %s", name, kubernetes, strings.Join(defaults, ", "))
}

// FormatAddonTable writes rows as addons.md's table, newest minor first,
// after the text before the table in md (addons.md itself).
func FormatAddonTable(md string, rows []AddonRow) string {
	head, _, _ := strings.Cut(md, "| kubernetes |")
	var b strings.Builder
	b.WriteString(head)
	b.WriteString("| kubernetes | " + strings.Join(Addons, " | ") + " | source |\n|---|---|---|---|---|\n")
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b AddonRow) int { return Compare(b.Kubernetes, a.Kubernetes) })
	for _, r := range rows {
		b.WriteString("| " + r.Kubernetes)
		for _, name := range Addons {
			b.WriteString(" | " + r.Versions[name])
		}
		b.WriteString(" | " + r.Source + " |\n")
	}
	return b.String()
}

// AddonsMD is the embedded addons.md, which `make addon-versions` rewrites.
func AddonsMD() string { return addonsMD }

// savedNameRE is how a saved describe-addon-versions output is named:
// ADDON-KUBERNETES.json, e.g. coredns-1.35.json.
var savedNameRE = regexp.MustCompile(`^(.+)-(1\.\d+)\.json$`)

// RefreshAddonRows replaces the row of every Kubernetes minor that saved
// holds describe-addon-versions output for (file name -> JSON, files
// named ADDON-KUBERNETES.json, from directory dir) by the versions EKS
// marks defaultVersion, read on readOn; a minor not saved keeps its row.
// A minor needs all of Addons saved, so that a row has one source.
func RefreshAddonRows(rows []AddonRow, saved map[string][]byte, dir, readOn string) ([]AddonRow, error) {
	found := map[string]map[string]string{}
	var errs []error
	for _, file := range slices.Sorted(maps.Keys(saved)) {
		m := savedNameRE.FindStringSubmatch(file)
		if m == nil || !slices.Contains(Addons, m[1]) {
			errs = append(errs, fmt.Errorf("%s/%s: want a name such as %s-1.35.json, one of %s", dir, file, CoreDNS, strings.Join(Addons, ", ")))
			continue
		}
		v, err := DefaultAddonVersion(saved[file], m[1], m[2])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s/%s: %w", dir, file, err))
			continue
		}
		if found[m[2]] == nil {
			found[m[2]] = map[string]string{}
		}
		found[m[2]][m[1]] = v
	}
	out := slices.Clone(rows)
	for _, minor := range slices.Sorted(maps.Keys(found)) {
		var files []string
		for _, name := range Addons {
			if found[minor][name] == "" {
				errs = append(errs, fmt.Errorf("%s: Kubernetes %s has no %s-%s.json; save all of %s for it", dir, minor, name, minor, strings.Join(Addons, ", ")))
			}
			files = append(files, name+"-"+minor+".json")
		}
		row := AddonRow{Kubernetes: minor, Versions: found[minor],
			Source: fmt.Sprintf("aws eks describe-addon-versions, the defaultVersion; saved as %s/{%s} on %s", dir, strings.Join(files, ","), readOn)}
		if i := slices.IndexFunc(out, func(r AddonRow) bool { return r.Kubernetes == minor }); i >= 0 {
			out[i] = row
		} else {
			out = append(out, row)
		}
	}
	return out, errors.Join(errs...)
}
