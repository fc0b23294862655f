package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eks-render/render/internal/eksversion"
)

// existingNet is a valid network.existing for dev, at lines 12 to 16.
const existingNet = `    network:
      existing:
        vpcID: vpc-0123456789abcdef0
        privateSubnetIDs: [subnet-0000000000000000a, subnet-0000000000000000b]
        publicSubnetIDs: [subnet-000000000000000aa, subnet-000000000000000bb]
`

// existingCases are an environment on network.existing with one mistake.
func existingCases(e edit) []rejectCase {
	dev := func(old, new string) string { return e.dev(e.on(existingNet, old, new)) }
	return []rejectCase{
		{
			name: "existing under spec",
			in:   e.spec("  network:\n    existing: {vpcID: vpc-01234567}\n"),
			line: 8, path: "spec.network.existing",
			want: `platform.yaml:8:5: spec.network.existing: is per environment (VPC and subnet IDs differ between environments); set it under environments.<name>.network.existing`,
		},
		{
			name: "vpcID malformed",
			in:   dev("vpc-0123456789abcdef0", "vpc-0123456789"),
			line: 14, path: "environments.dev.network.existing.vpcID",
			want: `platform.yaml:14:16: environments.dev.network.existing.vpcID: "vpc-0123456789" is not a VPC ID; want vpc- and 8 or 17 lowercase hex digits, e.g. vpc-0123456789abcdef0`,
		},
		{
			name: "vpcID missing",
			in:   dev("        vpcID: vpc-0123456789abcdef0\n", ""),
			line: 13, path: "environments.dev.network.existing.vpcID",
			want: `platform.yaml:13:7: environments.dev.network.existing.vpcID: is missing; want the VPC's ID, e.g. vpc-0123456789abcdef0 (built-in default)`,
		},
		{
			name: "subnet ID malformed",
			in:   dev("subnet-0000000000000000b]", "subnet-0000000B]"),
			line: 15, path: "environments.dev.network.existing.privateSubnetIDs[1]",
			want: `platform.yaml:15:54: environments.dev.network.existing.privateSubnetIDs[1]: "subnet-0000000B" is not a subnet ID; want subnet- and 8 or 17 lowercase hex digits, e.g. subnet-0123456789abcdef0`,
		},
		{
			name: "one public subnet",
			in:   dev("[subnet-000000000000000aa, subnet-000000000000000bb]", "[subnet-000000000000000aa]"),
			line: 16, path: "environments.dev.network.existing.publicSubnetIDs",
			want: `platform.yaml:16:9: environments.dev.network.existing.publicSubnetIDs: lists 1 subnets; want at least 2, in different availability zones (EKS and the load balancer need two zones)`,
		},
		{
			name: "no private subnets",
			in:   dev("        privateSubnetIDs: [subnet-0000000000000000a, subnet-0000000000000000b]\n", ""),
			line: 13, path: "environments.dev.network.existing.privateSubnetIDs",
			want: `platform.yaml:13:7: environments.dev.network.existing.privateSubnetIDs: lists 0 subnets; want at least 2, in different availability zones (EKS and the load balancer need two zones) (built-in default)`,
		},
		{
			name: "subnet listed twice",
			in:   dev("subnet-0000000000000000b]", "subnet-0000000000000000a]"),
			line: 15, path: "environments.dev.network.existing.privateSubnetIDs[1]",
			want: `platform.yaml:15:54: environments.dev.network.existing.privateSubnetIDs[1]: subnet-0000000000000000a is listed twice (first at network.existing.privateSubnetIDs[0])`,
		},
		{
			name: "subnet both private and public",
			in:   dev("subnet-000000000000000bb]", "subnet-0000000000000000b]"),
			line: 16, path: "environments.dev.network.existing.publicSubnetIDs[1]",
			want: `platform.yaml:16:53: environments.dev.network.existing.publicSubnetIDs[1]: subnet-0000000000000000b is listed as both private and public (at network.existing.privateSubnetIDs[1]); a subnet is one or the other: private ones route to a NAT gateway, public ones to an internet gateway`,
		},
		{
			name: "vpcCIDR in the same environment",
			in:   dev("      existing:\n", "      vpcCIDR: 10.1.0.0/16\n      existing:\n"),
			line: 13, path: "environments.dev.network.vpcCIDR",
			want: `platform.yaml:13:16: environments.dev.network.vpcCIDR: cannot be set with network.existing: render creates no VPC, subnets or NAT gateways on a network it does not own; remove it`,
		},
		{
			name: "natMode in the same environment",
			in:   dev("      existing:\n", "      natMode: single\n      existing:\n"),
			line: 13, path: "environments.dev.network.natMode",
			want: `platform.yaml:13:16: environments.dev.network.natMode: cannot be set with network.existing: render creates no VPC, subnets or NAT gateways on a network it does not own; remove it`,
		},
		{
			name: "azCount in the same environment",
			in:   dev("      existing:\n", "      azCount: 2\n      existing:\n"),
			line: 13, path: "environments.dev.network.azCount",
			want: `platform.yaml:13:16: environments.dev.network.azCount: cannot be set with network.existing: render creates no VPC, subnets or NAT gateways on a network it does not own; remove it`,
		},
		{
			name: "flow log retention without enabling it",
			in:   dev("      existing:\n", "      flowLogs: {retentionDays: 7}\n      existing:\n"),
			line: 13, path: "environments.dev.network.flowLogs.retentionDays",
			want: `platform.yaml:13:33: environments.dev.network.flowLogs.retentionDays: has no effect: on network.existing, flow logs are off unless this environment sets network.flowLogs.enabled: true`,
		},
	}
}

// TestExistingNetwork: spec's network settings, vpcCIDR and flow logs
// included, are inherited by a render-made VPC and ignored by an
// environment on network.existing, whose flow log is off unless it turns
// it on itself.
func TestExistingNetwork(t *testing.T) {
	e := edit{t}
	in := e.spec("  network: {vpcCIDR: 10.9.0.0/16, natMode: single, flowLogs: {enabled: true, retentionDays: 7}}\n")
	in = e.on(in, "  dev: {}\n", "  dev:\n"+existingNet+"  qa:\n"+existingNet+"      flowLogs: {enabled: true, trafficType: REJECT}\n  prod: {}\n")
	cfg, err := Parse("platform.yaml", []byte(in), eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	existing := &ExistingNetworkEnv{
		VPCID:            "vpc-0123456789abcdef0",
		PrivateSubnetIDs: []string{"subnet-0000000000000000a", "subnet-0000000000000000b"},
		PublicSubnetIDs:  []string{"subnet-000000000000000aa", "subnet-000000000000000bb"},
	}
	want := map[string]NetworkEnv{
		"dev": {Existing: existing, FlowLogs: FlowLogsEnv{Enabled: false, RetentionDays: 7, TrafficType: "ALL"}},
		"qa":  {Existing: existing, FlowLogs: FlowLogsEnv{Enabled: true, RetentionDays: 7, TrafficType: "REJECT"}},
	}
	for _, env := range cfg.Environments {
		w, ok := want[env.Name]
		if !ok {
			if env.Network.Existing != nil || env.Network.VPCCIDR != "10.9.0.0/16" || !env.Network.FlowLogs.Enabled {
				t.Errorf("%s: network %+v; want spec's own VPC 10.9.0.0/16 with flow logs", env.Name, env.Network)
			}
			continue
		}
		if diff := cmp.Diff(w, env.Network); diff != "" {
			t.Errorf("%s: network (-want +got):\n%s", env.Name, diff)
		}
	}
}
