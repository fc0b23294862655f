package config

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// regionsFile is the list of regions spec.region may name, with its source
// (regions.txt: botocore's endpoints.json at a named commit).
//
//go:embed regions.txt
var regionsFile string

// Region is an AWS region spec.region may name.
type Region struct {
	// Name is the region's code, e.g. us-west-2.
	Name string
	// Partition is its ARN partition: aws, aws-cn or aws-us-gov.
	Partition string
	// Description is AWS's name for it, e.g. US West (Oregon).
	Description string
}

// Regions are the regions spec.region may name, sorted by name.
var Regions = sync.OnceValue(func() []Region {
	var out []Region
	for line := range strings.Lines(regionsFile) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		out = append(out, Region{Name: f[0], Partition: f[1], Description: f[2]})
	}
	slices.SortFunc(out, func(a, b Region) int { return strings.Compare(a.Name, b.Name) })
	return out
})

// isRegion reports whether name is one of Regions.
func isRegion(name string) bool {
	_, ok := slices.BinarySearchFunc(Regions(), name, func(r Region, n string) int { return strings.Compare(r.Name, n) })
	return ok
}

// checkRegion fails rel unless region is one of Regions, suggesting the
// nearest names (at most two edits away).
func (c *checker) checkRegion(rel, region string) {
	if isRegion(region) {
		return
	}
	msg := fmt.Sprintf("%q is not an AWS region name; want e.g. us-west-2 or eu-central-1", region)
	if near := nearestRegions(region); len(near) > 0 {
		msg = fmt.Sprintf("%q is not an AWS region; did you mean %s?", region, strings.Join(near, " or "))
	}
	c.fail(rel, "%s", msg)
}

// nearestRegions are the region names closest to name by edit distance,
// if any is at most two edits away.
func nearestRegions(name string) []string {
	var near []string
	best := 3
	for _, r := range Regions() {
		switch d := editDistance(name, r.Name); {
		case d < best:
			best, near = d, []string{r.Name}
		case d == best:
			near = append(near, r.Name)
		}
	}
	return near
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
