package diff

import (
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/eks-render/render/internal/gen/gentest"
)

func TestBilledFargateSize(t *testing.T) {
	for _, tc := range []struct{ cpu, mem, want string }{
		{"0", "0", "0.25 vCPU 0.5 GB"},
		{"250m", "256Mi", "0.25 vCPU 0.5 GB"},
		// 512Mi and Fargate's 256Mi no longer fit in 0.5 GB.
		{"250m", "512Mi", "0.25 vCPU 1 GB"},
		{"251m", "256Mi", "0.5 vCPU 1 GB"},
		{"500m", "3Gi", "0.5 vCPU 4 GB"},
		// The User Guide's example: 1 vCPU and 8 GB become 2 vCPU and 9 GB.
		{"1", "8Gi", "2 vCPU 9 GB"},
		{"8", "17Gi", "8 vCPU 20 GB"},
		{"16", "120Gi", ""},
		{"17", "1Gi", ""},
	} {
		s, ok := billedSize(resource.MustParse(tc.cpu), resource.MustParse(tc.mem))
		got := ""
		if ok {
			got = s.String()
		}
		if got != tc.want {
			t.Errorf("%s/%s: %q, want %q", tc.cpu, tc.mem, got, tc.want)
		}
	}
}

// TestDefaultGameIsTheSmallestFargateSize: the game's default requests,
// with Fargate's 256Mi added, fit the smallest size AWS offers.
func TestDefaultGameIsTheSmallestFargateSize(t *testing.T) {
	pods, err := fargatePods(gentest.ExampleObjects(t, "dev", true), gentest.ExampleObjects(t, "dev", false))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range pods {
		if p.Deployment == "Deployment/2048-game/app-2048" {
			found = true
			if p.String() != "Deployment/2048-game/app-2048 250m/256Mi -> 0.25 vCPU 0.5 GB" {
				t.Errorf("game: %s", p)
			}
		}
	}
	if !found {
		t.Errorf("no Fargate pod for the game in %v", pods)
	}
}
