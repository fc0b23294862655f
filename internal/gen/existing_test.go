package gen

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/config"
)

// TestExistingNetworkOwnsNoNetwork: on network.existing no environment
// renders an EC2 object but the flow log it asked for, no object refers to
// one render does not make, and the Cluster, node group and Fargate
// profiles name the private subnets the file gives.
func TestExistingNetworkOwnsNoNetwork(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/existing.yaml")
	tree := generate(t, cfg).Files
	for _, env := range cfg.Environments {
		ids := strings.Join(env.Network.Existing.PrivateSubnetIDs, ",")
		for _, m := range buildEnv(t, tree, env.Name, false) {
			apiVersion, _ := m["apiVersion"].(string)
			if strings.HasPrefix(apiVersion, "ec2.") && !(m["kind"] == "FlowLog" && env.Network.FlowLogs.Enabled) {
				t.Errorf("%s: %s renders an EC2 object on network.existing", env.Name, key(m))
			}
			b, _ := json.Marshal(m["spec"])
			if s := string(b); strings.Contains(s, `"vpcRef"`) || strings.Contains(s, `"subnetRefs"`) {
				t.Errorf("%s: %s refers to a VPC or subnet object: %s", env.Name, key(m), s)
			}
			if got := subnetsOf(m); got != "" && got != ids {
				t.Errorf("%s: %s subnets %s, want %s", env.Name, key(m), got, ids)
			}
		}
	}
	dev, _ := cfg.Environment("dev")
	if dev.Network.FlowLogs.Enabled {
		t.Errorf("dev: flow log on by default on network.existing")
	}
	wantSubnets(t, cfg, "Cluster", "Nodegroup", "FargateProfile")
}

// subnetsOf returns the subnet IDs an EKS object names, comma-separated.
func subnetsOf(m map[string]any) string {
	spec, _ := m["spec"].(map[string]any)
	list, ok := spec["subnets"].([]any)
	if vpc, isCluster := spec["resourcesVPCConfig"].(map[string]any); isCluster {
		list, ok = vpc["subnetIDs"].([]any)
	}
	if !ok {
		return ""
	}
	out := make([]string, len(list))
	for i, v := range list {
		out[i], _ = v.(string)
	}
	return strings.Join(out, ",")
}

// wantSubnets checks that prod's objects of each kind name subnets.
func wantSubnets(t *testing.T, cfg *config.Config, kinds ...string) {
	t.Helper()
	prod := buildEnv(t, generate(t, cfg).Files, "prod", false)
	for _, kind := range kinds {
		found := false
		for _, m := range prod {
			found = found || m["kind"] == kind && subnetsOf(m) != ""
		}
		if !found {
			t.Errorf("prod: no %s with subnet IDs", kind)
		}
	}
}
