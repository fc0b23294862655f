package orchestrate

import (
	"strings"
	"testing"

	"github.com/eks-render/render/internal/config"
)

// TestRecordedStepsOfAnAdoptedCluster: render gen refuses a cluster.version
// more than one minor ahead of the version render import recorded for an
// adopted cluster, until the outputs file records the live one.
func TestRecordedStepsOfAnAdoptedCluster(t *testing.T) {
	env := config.Environment{Name: "dev", Cluster: config.ClusterEnv{Version: "1.35"},
		Adopt: []config.Adoption{{Object: "Cluster/demo", Version: "1.33", Source: "imports/dev.yaml:4"}}}
	cfg := &config.Config{File: "platform.yaml", Environments: []config.Environment{env}}
	err := checkRecordedSteps(cfg, map[string]config.LateValues{})
	want := "platform.yaml: environment dev: cluster.version: 1.33 -> 1.35 skips 1.34; EKS upgrades one minor version at a time: set 1.34 first, apply it, then 1.35 (imports/dev.yaml:4 records the control plane on 1.33)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("checkRecordedSteps = %v, want %q", err, want)
	}
	if err := checkRecordedSteps(cfg, map[string]config.LateValues{"dev": {ClusterVersion: "1.34"}}); err != nil {
		t.Errorf("with the outputs file on 1.34: %v", err)
	}
	cfg.Environments[0].Adopt[0].Version = "1.34"
	if err := checkRecordedSteps(cfg, map[string]config.LateValues{}); err != nil {
		t.Errorf("adopted on 1.34: %v", err)
	}
}
