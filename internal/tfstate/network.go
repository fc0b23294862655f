package tfstate

// Matching the network: VPC, subnets, gateways, route tables.
import (
	"net/netip"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// vpc matches the VPC by its CIDR block, else by the tag EKS puts on the
// VPC of cluster <name> (the seed tags it so): then the CIDR is a
// conflict the report shows.
func (m *matcher) vpc() {
	for _, obj := range m.kindObjs("VPC") {
		blocks, _, _ := unstructured.NestedStringSlice(m.objs[obj].Object, "spec", "cidrBlocks")
		cluster := m.clusterName()
		byCIDR := m.free("aws_vpc", func(r *Resource) bool { return len(blocks) > 0 && r.str("cidr_block") == blocks[0] })
		byTag := m.free("aws_vpc", func(r *Resource) bool { _, ok := r.tags()["kubernetes.io/cluster/"+cluster]; return ok })
		switch {
		case len(byCIDR) == 1:
			m.adopt(obj, byCIDR[0], "CIDR "+blocks[0])
		case len(byCIDR) == 0 && len(byTag) == 1:
			m.adopt(obj, byTag[0], "tag kubernetes.io/cluster/"+cluster)
			// The first of cidrBlocks is the VPC's primary CIDR, which
			// never changes; only the others are associated on update
			// (FIELDS.md, VPC). diff's create-only table cannot say "the
			// first entry", so this one fact lives here.
			m.conflicts = append(m.conflicts, Conflict{Object: obj, Terraform: byTag[0].Address, Path: "spec.cidrBlocks",
				TerraformValue: byTag[0].str("cidr_block"), RenderValue: strings.Join(blocks, ","),
				Message: "a VPC's primary CIDR block cannot change", Adoptable: true})
		case len(byCIDR) > 1 || len(byTag) > 1:
			m.ambiguous(obj, append(byCIDR, byTag...))
		}
	}
}

// subnets matches each Subnet of the adopted VPC by CIDR and zone, and
// reports a rendered subnet that overlaps one of the VPC's subnets it does
// not adopt: AWS refuses to create it.
func (m *matcher) subnets() {
	vpc := m.idOf("VPC/" + m.refName("Subnet", "vpcRef"))
	if vpc == "" {
		return
	}
	inVPC := func(r *Resource) bool { return r.str("vpc_id") == vpc }
	for _, obj := range m.kindObjs("Subnet") {
		cidr, zone := m.spec(obj, "cidrBlock"), m.spec(obj, "availabilityZone")
		same := m.free("aws_subnet", func(r *Resource) bool { return inVPC(r) && r.str("cidr_block") == cidr })
		if len(same) == 1 {
			m.adopt(obj, same[0], "CIDR "+cidr+" in "+zone)
		}
	}
	for _, obj := range m.kindObjs("Subnet") {
		want, err := netip.ParsePrefix(m.spec(obj, "cidrBlock"))
		if err != nil {
			continue
		}
		for _, r := range m.byType["aws_subnet"] {
			have, err := netip.ParsePrefix(r.str("cidr_block"))
			if err != nil || !inVPC(r) || m.match[obj] == r || !want.Overlaps(have) {
				continue
			}
			m.conflicts = append(m.conflicts, Conflict{Object: obj, Terraform: r.Address, Path: "spec.cidrBlock",
				TerraformValue: have.String(), RenderValue: want.String(),
				Message: "overlaps subnet " + r.id() + " of the adopted VPC: AWS refuses to create it"})
		}
	}
}

// oneByVPC matches the only object of kind to the one resource of type t
// attached to the adopted VPC through attr.
func (m *matcher) oneByVPC(kind, t, attr string) {
	objs := m.kindObjs(kind)
	vpc := m.idOf("VPC/" + m.refName(kind, "vpcRef"))
	if len(objs) != 1 || vpc == "" {
		return
	}
	rs := m.free(t, func(r *Resource) bool { return r.str(attr) == vpc })
	switch len(rs) {
	case 0:
	case 1:
		m.adopt(objs[0], rs[0], "attached to "+vpc)
	default:
		m.ambiguous(objs[0], rs)
	}
}

// natGateways matches a NAT gateway by the adopted subnet it is in, and
// its Elastic IP by the NAT gateway's allocation.
func (m *matcher) natGateways() {
	for _, obj := range m.kindObjs("NATGateway") {
		subnet := m.idOf(m.ref(obj, "subnetRef", "Subnet"))
		if subnet == "" {
			continue
		}
		rs := m.free("aws_nat_gateway", func(r *Resource) bool { return r.str("subnet_id") == subnet })
		if len(rs) != 1 {
			if len(rs) > 1 {
				m.ambiguous(obj, rs)
			}
			continue
		}
		m.adopt(obj, rs[0], "in subnet "+subnet)
		eip := m.ref(obj, "allocationRef", "ElasticIPAddress")
		alloc := rs[0].str("allocation_id")
		if _, ok := m.objs[eip]; ok && alloc != "" {
			if es := m.free("aws_eip", func(r *Resource) bool { return r.id() == alloc }); len(es) == 1 {
				m.adopt(eip, es[0], "allocation of "+rs[0].id())
			}
		}
	}
}

// routeTables matches a route table by the adopted subnets associated
// with it, else by its default route's target.
func (m *matcher) routeTables() {
	vpc := m.idOf("VPC/" + m.refName("RouteTable", "vpcRef"))
	if vpc == "" {
		return
	}
	for _, obj := range m.kindObjs("RouteTable") {
		if id := m.associatedTable(obj); id != "" {
			if rs := m.free("aws_route_table", func(r *Resource) bool { return r.id() == id }); len(rs) == 1 {
				m.adopt(obj, rs[0], "associated with the subnets that use it")
				continue
			}
		}
		target := m.defaultTarget(obj)
		if target == "" {
			continue
		}
		rs := m.free("aws_route_table", func(r *Resource) bool {
			return r.str("vpc_id") == vpc && slices.Contains(m.defaultTargets(r), target)
		})
		if len(rs) == 1 {
			m.adopt(obj, rs[0], "default route to "+target)
		} else if len(rs) > 1 {
			m.ambiguous(obj, rs)
		}
	}
}

// associatedTable returns the route table that Terraform associates with
// every adopted subnet whose spec.routeTableRefs names obj, or "".
func (m *matcher) associatedTable(obj string) string {
	_, name, _ := strings.Cut(obj, "/")
	table := ""
	for _, s := range m.kindObjs("Subnet") {
		refs, _, _ := unstructured.NestedSlice(m.objs[s].Object, "spec", "routeTableRefs")
		if !slices.ContainsFunc(refs, func(v any) bool { return refTo(v) == name }) {
			continue
		}
		subnet := m.idOf(s)
		for _, a := range m.byType["aws_route_table_association"] {
			if subnet == "" || a.str("subnet_id") != subnet {
				continue
			}
			if t := a.str("route_table_id"); table == "" || table == t {
				table = t
			} else {
				return ""
			}
		}
	}
	return table
}

func refTo(v any) string {
	m, _ := v.(map[string]any)
	s, _, _ := unstructured.NestedString(m, "from", "name")
	return s
}

// defaultTarget returns the AWS ID of what obj's 0.0.0.0/0 route goes to,
// when render routes it to an adopted gateway.
func (m *matcher) defaultTarget(obj string) string {
	routes, _, _ := unstructured.NestedSlice(m.objs[obj].Object, "spec", "routes")
	for _, rt := range routes {
		r, _ := rt.(map[string]any)
		if r["destinationCIDRBlock"] != "0.0.0.0/0" {
			continue
		}
		if n := refTo(r["gatewayRef"]); n != "" {
			return m.idOf("InternetGateway/" + n)
		}
		if n := refTo(r["natGatewayRef"]); n != "" {
			return m.idOf("NATGateway/" + n)
		}
	}
	return ""
}

// defaultTargets returns the gateways a route table's 0.0.0.0/0 routes go
// to, inline or as aws_route resources.
func (m *matcher) defaultTargets(rt *Resource) []string {
	var out []string
	for _, r := range rt.list("route") {
		if r["cidr_block"] == "0.0.0.0/0" {
			out = append(out, str(r["gateway_id"]), str(r["nat_gateway_id"]))
		}
	}
	for _, r := range m.byType["aws_route"] {
		if r.str("route_table_id") == rt.id() && r.str("destination_cidr_block") == "0.0.0.0/0" {
			out = append(out, r.str("gateway_id"), r.str("nat_gateway_id"))
		}
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
