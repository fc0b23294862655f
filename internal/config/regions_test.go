package config

import (
	"testing"

	"github.com/eks-render/render/internal/eksversion"
)

func TestRegions(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Regions() {
		if seen[r.Name] {
			t.Errorf("%s is listed twice", r.Name)
		}
		seen[r.Name] = true
		if got := Partition(r.Name); got != r.Partition {
			t.Errorf("Partition(%s) = %s; regions.txt says %s", r.Name, got, r.Partition)
		}
	}
	for _, name := range []string{"us-east-1", "us-west-2", "eu-central-1", "ap-southeast-7", "mx-central-1", "cn-north-1", "us-gov-west-1"} {
		if !seen[name] {
			t.Errorf("%s is missing", name)
		}
	}
	if seen["us-iso-east-1"] {
		t.Error("lists an isolated partition's region; render writes no ARNs there")
	}
}

func TestEveryListedRegionParses(t *testing.T) {
	for _, r := range Regions() {
		b, err := Skeleton(SkeletonOptions{Name: "x", Region: r.Name, AccountID: "444455556666", Environments: []string{"dev"}, Day: eksversion.ReferenceDay})
		if err != nil {
			t.Errorf("%s: %v", r.Name, err)
			continue
		}
		if _, err := Parse("platform.yaml", b, eksversion.ReferenceDay); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
	}
}
