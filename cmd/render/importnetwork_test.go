package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/tfstate"
)

// devNetwork is dev.tfstate's network as network.existing names it.
const devNetwork = `      existing:
        vpcID: vpc-c7a169f875b269f14
        privateSubnetIDs: [subnet-80f2f9703eab90605, subnet-8e255f0a0b621d13d]
        publicSubnetIDs: [subnet-d223187fd147f657e, subnet-32ec08efda17a9afc]
`

// TestImportOntoAnExistingNetwork: with --network existing the state's
// VPC, subnets, gateways, route tables and flow log are not adopted but
// reported as network.existing and left Terraform's; nothing is written
// until platform.yaml says so, and then the cluster and everything else
// are adopted on that network.
func TestImportOntoAnExistingNetwork(t *testing.T) {
	dir := project(t)
	args := []string{"import", "dev", "--tfstate", tfFixture(t, "dev.tfstate"), "--network", "existing"}
	code, _, errOut := run(t, dir, args...)
	if code != 1 || !strings.Contains(errOut, "network.existing (the state's VPC is not adopted; its 21 resources stay Terraform's, listed under not managed):\n"+
		"  environments.dev.network.existing:\n    vpcID: vpc-c7a169f875b269f14\n    privateSubnetIDs: [subnet-80f2f9703eab90605, subnet-8e255f0a0b621d13d]\n") ||
		!strings.Contains(errOut, "error: the configuration does not put the environment on the state's network: set environments.dev.network.existing in platform.yaml") {
		t.Fatalf("import --network existing without it in platform.yaml = %d:\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "imports", "dev.yaml")); !os.IsNotExist(err) {
		t.Fatalf("imports/dev.yaml written before platform.yaml names the network: %v", err)
	}
	edit(t, filepath.Join(dir, "platform.yaml"), "      azCount: 2\n      natMode: single\n      flowLogs:\n        retentionDays: 7\n", devNetwork)
	code, out, errOut := run(t, dir, append(args, "-o", "json")...)
	if code != 0 {
		t.Fatalf("import = %d:\n%s", code, errOut)
	}
	var rep tfstate.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--output json: %v\n%s", err, out)
	}
	for _, a := range rep.Adopted {
		if k, _, _ := strings.Cut(a.Object, "/"); slices.Contains([]string{"VPC", "Subnet", "InternetGateway", "NATGateway", "ElasticIPAddress", "RouteTable", "FlowLog"}, k) {
			t.Errorf("%s adopted on --network existing", a.Object)
		}
	}
	if rep.Network == nil || !slices.Contains(rep.Unmanaged, "module.vpc.aws_vpc.main") || !slices.Contains(rep.Unmanaged, "module.vpc.aws_subnet.public[1]") ||
		!slices.Contains(rep.Network.NotManaged, "module.vpc.aws_flow_log.main") {
		t.Errorf("the network is not reported as not managed: %+v, unmanaged %v", rep.Network, rep.Unmanaged)
	}
	if !slices.ContainsFunc(rep.Adopted, func(a tfstate.Adopted) bool { return strings.HasPrefix(a.Object, "Cluster/") }) || len(rep.Conflicts) != 0 {
		t.Errorf("the cluster is not adopted as it is: adopted %v, conflicts %v", rep.Adopted, rep.Conflicts)
	}
	for _, rm := range rep.StateRm {
		if strings.Contains(rm, "module.vpc.") {
			t.Errorf("%s: the network stays Terraform's", rm)
		}
	}
	if code, _, errOut := run(t, dir, "gen"); code != 0 {
		t.Fatalf("gen = %d:\n%s", code, errOut)
	}
	if code, built, _ := run(t, dir, "build", "dev"); code != 0 || strings.Contains(built, "kind: VPC\n") || !strings.Contains(built, "- subnet-80f2f9703eab90605\n") {
		t.Errorf("built dev = %d: a VPC, or the cluster not on the state's subnets", code)
	}
}
