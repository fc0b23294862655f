package gen

import (
	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
)

// Object names. They do not depend on the environment so that base/ can
// hold every object that all environments have.
const (
	vpcName         = "vpc"
	igwName         = "igw"
	publicRouteName = "public"
)

func publicSubnet(z config.Zone) string  { return "public-" + z.Suffix }
func privateSubnet(z config.Zone) string { return "private-" + z.Suffix }
func natName(z config.Zone) string       { return "nat-" + z.Suffix }
func privateRoute(z config.Zone) string  { return "private-" + z.Suffix }

// network returns the VPC, its subnets, gateways and route tables; none
// on network.existing, a network render does not own.
func (r *renderer) network() []any {
	env := r.env
	if env.Network.Existing != nil {
		return nil
	}
	objs := []any{
		&ack.VPC{Object: r.meta(ack.EC2Group, "VPC", vpcName), Spec: ack.VPCSpec{
			CIDRBlocks: []string{env.Network.VPCCIDR}, EnableDNSHostnames: true, EnableDNSSupport: true,
			Tags: r.ec2Tags(vpcName, nil),
		}},
		&ack.InternetGateway{Object: r.meta(ack.EC2Group, "InternetGateway", igwName), Spec: ack.InternetGatewaySpec{
			VPCRef: ack.To(vpcName), Tags: r.ec2Tags(igwName, nil),
		}},
		&ack.RouteTable{Object: r.meta(ack.EC2Group, "RouteTable", publicRouteName), Spec: ack.RouteTableSpec{
			VPCRef: ack.To(vpcName), Tags: r.ec2Tags(publicRouteName, nil),
			Routes: []ack.Route{{DestinationCIDRBlock: "0.0.0.0/0", GatewayRef: ack.To(igwName)}},
		}},
	}
	for i, z := range env.Network.Zones {
		objs = append(objs, r.subnets(z)...)
		objs = append(objs, r.nat(i, z)...)
	}
	return objs
}

// subnets returns the zone's public and private subnets with the tags EKS
// and the AWS Load Balancer Controller discover them by.
func (r *renderer) subnets(z config.Zone) []any {
	cluster := "kubernetes.io/cluster/" + r.env.ClusterName
	subnet := func(name, cidr, route string, public bool, role string) *ack.Subnet {
		return &ack.Subnet{Object: r.meta(ack.EC2Group, "Subnet", name), Spec: ack.SubnetSpec{
			AvailabilityZone: z.Name, CIDRBlock: cidr, MapPublicIPOnLaunch: public,
			RouteTableRefs: []*ack.Ref{ack.To(route)}, VPCRef: ack.To(vpcName),
			Tags: r.ec2Tags(name, map[string]string{cluster: "shared", role: "1"}),
		}}
	}
	return []any{
		subnet(publicSubnet(z), z.PublicCIDR, publicRouteName, true, "kubernetes.io/role/elb"),
		subnet(privateSubnet(z), z.PrivateCIDR, privateRoute(z), false, "kubernetes.io/role/internal-elb"),
	}
}

// nat returns zone i's private route table and, where the NAT mode puts a
// NAT gateway in this zone, the gateway and its Elastic IP. With mode none
// the private subnets have no route to the internet.
//
// The route to the NAT gateway comes with the second phase, once the
// cluster is up (natRouteReady), not with the route table: a route whose
// natGatewayRef is not synced keeps the ACK runtime from creating the
// route table at all (Sync returns ResolveReferences' error before ReadOne
// and createResource: runtime 95428e7, v0.61.0-1, the controllers pin
// v0.62.0, pkg/runtime/reconciler.go:592-596), so the private subnets,
// which associate with it (routeTableRefs), and the Cluster, which needs
// only their IDs, would wait for the NAT gateway (one to two minutes). The
// ec2-controller adds the route to the existing table on update
// (ec2-controller v1.20.0 pkg/resource/route_table/hooks.go
// customUpdateRouteTable: Spec.Routes differs -> syncRoutes -> CreateRoute).
// Nothing in the private subnets needs the internet before then: EKS
// places the control plane's network interfaces there, and the first pods
// (which pull their images through the NAT gateway) come after the
// cluster (graph.Across holds them for the NAT gateways too).
func (r *renderer) nat(i int, z config.Zone) []any {
	rt := &ack.RouteTable{Object: r.meta(ack.EC2Group, "RouteTable", privateRoute(z)), Spec: ack.RouteTableSpec{
		VPCRef: ack.To(vpcName), Tags: r.ec2Tags(privateRoute(z), nil),
	}}
	objs := []any{rt}
	mode := r.env.Network.NATMode
	if mode == config.NATNone {
		return objs
	}
	target := z
	if mode == config.NATSingle {
		target = r.env.Network.Zones[0]
	}
	if r.natRouteReady() {
		rt.Spec.Routes = []ack.Route{{DestinationCIDRBlock: "0.0.0.0/0", NATGatewayRef: ack.To(natName(target))}}
	}
	if mode == config.NATPerAZ || i == 0 {
		objs = append(objs,
			&ack.ElasticIPAddress{Object: r.meta(ack.EC2Group, "ElasticIPAddress", natName(z)), Spec: ack.ElasticIPAddressSpec{
				Tags: r.ec2Tags(natName(z), nil),
			}},
			&ack.NATGateway{Object: r.meta(ack.EC2Group, "NATGateway", natName(z)), Spec: ack.NATGatewaySpec{
				AllocationRef: ack.To(natName(z)), ConnectivityType: "public", SubnetRef: ack.To(publicSubnet(z)),
				Tags: r.ec2Tags(natName(z), nil),
			}},
		)
	}
	return objs
}

// vpcID is the VPC's ID: network.existing's, else the late value ("" while
// AWS has not created render's VPC yet).
func (r *renderer) vpcID() string {
	if e := r.env.Network.Existing; e != nil {
		return e.VPCID
	}
	return r.late.VPCID
}

// natRouteReady reports whether the private route tables get their route
// to the NAT gateway: once the cluster's late values are known, which a
// live or recorded environment always has, so that its route tables never
// lose the route (see nat).
func (r *renderer) natRouteReady() bool { return r.late.OIDCIssuer != "" }
