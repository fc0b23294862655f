package gen

import (
	"testing"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
)

// TestPrivateRouteTablesGetTheirNATRouteWithTheCluster checks that the
// private route tables are rendered without their route to the NAT
// gateway until the cluster's late values are known, so that the private
// subnets, and the Cluster after them, do not wait for the NAT gateway
// (a route's natGatewayRef holds the whole route table back); and with it
// from then on, for every NAT mode, in every zone.
func TestPrivateRouteTablesGetTheirNATRouteWithTheCluster(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	for _, e := range cfg.Environments {
		t.Run(e.Name, func(t *testing.T) {
			for _, tc := range []struct {
				name  string
				late  LateValues
				route bool
			}{
				{"first phase", LateValues{}, false},
				{"VPC known", LateValues{AccountID: "111122223333", VPCID: "vpc-1"}, false},
				{"cluster known", config.LateValues{AccountID: "111122223333", VPCID: "vpc-1", OIDCIssuer: "https://oidc.example/id/X",
					ClusterEndpoint: "https://example", ClusterCA: "Y2E="}, true},
			} {
				r, err := Render(e, tc.late)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, o := range r.Management {
					rt, ok := o.(*ack.RouteTable)
					if !ok || rt.Name == publicRouteName {
						continue
					}
					n++
					want := 0
					if tc.route && e.Network.NATMode != config.NATNone {
						want = 1
					}
					if len(rt.Spec.Routes) != want || want == 1 && rt.Spec.Routes[0].NATGatewayRef == nil {
						t.Errorf("%s: RouteTable %s has routes %+v, want %d to a NAT gateway", tc.name, rt.Name, rt.Spec.Routes, want)
					}
				}
				if n != len(e.Network.Zones) {
					t.Errorf("%s: %d private route tables, want %d", tc.name, n, len(e.Network.Zones))
				}
			}
		})
	}
}
