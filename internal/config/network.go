package config

import (
	"fmt"
	"net/netip"
)

// Subnet layout derived from the VPC CIDR when network.subnets is absent:
// the VPC is cut into eight blocks of prefix+3 bits; zone i's private subnet
// is block i (zones are at most six), and block 7 is cut again into eight
// public subnets of prefix+6 bits. A /16 gives /19 private subnets (8,187
// addresses each, room for Fargate pods, which take one address each) and
// /22 public ones (for load balancers and NAT gateways).
const (
	privateBits      = 3
	publicBits       = 6
	maxDerivedPrefix = 28 - publicBits
)

func (c *checker) network(n Network, region string) NetworkEnv {
	if n.Existing != nil {
		return c.existingNetwork(n)
	}
	out := NetworkEnv{VPCCIDR: *n.VPCCIDR, NATMode: *n.NATMode}
	vpc, ok := c.cidr("network.vpcCIDR", out.VPCCIDR)
	zones := c.zones(n, region)
	switch {
	case n.Subnets != nil:
		out.Zones = c.explicitSubnets(n.Subnets, zones, vpc, ok)
	case ok && vpc.Bits() > maxDerivedPrefix:
		c.fail("network.vpcCIDR", "%s is too small to derive subnets from; use /%d or larger, or give network.subnets", vpc, maxDerivedPrefix)
	case ok:
		out.Zones = derivedSubnets(vpc, zones)
	}
	if oneOf(c, "network.natMode", out.NATMode, NATModes) && out.NATMode == NATNone {
		c.warn("network.natMode", "none: the private subnets have no route to the internet, so Fargate pods and nodes cannot pull public images or reach AWS APIs without VPC endpoints (ECR, S3, STS, CloudWatch Logs), which render does not create")
	}
	out.FlowLogs = c.flowLogs(*n.FlowLogs, *n.FlowLogs.Enabled)
	return out
}

// existingNetwork resolves an environment on network.existing: no VPC,
// zones or NAT of its own.
func (c *checker) existingNetwork(n Network) NetworkEnv {
	out := NetworkEnv{Existing: c.existing(n)}
	if out.Existing == nil {
		return out // refused, and said so
	}
	out.FlowLogs = c.flowLogs(*n.FlowLogs, c.existingFlowLogs(*n.FlowLogs))
	return out
}

func (c *checker) flowLogs(fl FlowLogs, enabled bool) FlowLogsEnv {
	out := FlowLogsEnv{Enabled: enabled, RetentionDays: *fl.RetentionDays, TrafficType: *fl.TrafficType}
	oneOf(c, "network.flowLogs.retentionDays", out.RetentionDays, RetentionDays)
	oneOf(c, "network.flowLogs.trafficType", out.TrafficType, TrafficTypes)
	return out
}

// cidr parses an IPv4 CIDR that AWS accepts for a VPC or subnet (/16 to /28,
// no host bits).
func (c *checker) cidr(rel, s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	switch {
	case s == "":
		c.fail(rel, "is missing; want an IPv4 CIDR, e.g. 10.0.0.0/16")
	case err != nil || !p.Addr().Is4():
		c.fail(rel, "%q is not an IPv4 CIDR; want e.g. 10.0.0.0/16", s)
	case p.Bits() < 16 || p.Bits() > 28:
		c.fail(rel, "%s has prefix length /%d; AWS allows /16 to /28", s, p.Bits())
	case p.Masked() != p:
		c.fail(rel, "%s has host bits set; did you mean %s?", s, p.Masked())
	default:
		return p, true
	}
	return netip.Prefix{}, false
}

var zoneSuffixRE = lazyRegexp(`^[a-z]$`)

// zones returns the availability zone names: explicit, or the first
// azCount letters of the region.
func (c *checker) zones(n Network, region string) []Zone {
	if n.AvailabilityZones == nil {
		count := 3
		if n.AZCount != nil {
			count = *n.AZCount
		}
		if !c.inRange("network.azCount", count, MinZones, MaxZones) {
			return nil
		}
		zones := make([]Zone, count)
		for i := range zones {
			zones[i] = Zone{Name: region + string(rune('a'+i)), Suffix: string(rune('a' + i))}
		}
		return zones
	}
	names := n.AvailabilityZones
	if n.AZCount != nil && *n.AZCount != len(names) {
		c.fail("network.azCount", "is %d but network.availabilityZones names %d zones; give one or the other", *n.AZCount, len(names))
	}
	ok := len(names) >= MinZones && len(names) <= MaxZones
	if !ok {
		c.fail("network.availabilityZones", "names %d zones; EKS needs at least %d, and render uses at most %d", len(names), MinZones, MaxZones)
	}
	if !isRegion(region) {
		return nil // the region is wrong and said so; zones cannot be checked against it
	}
	var zones []Zone
	seen := map[string]bool{}
	for i, name := range names {
		rel := fmt.Sprintf("network.availabilityZones[%d]", i)
		suffix, inRegion := cutPrefix(name, region)
		switch {
		case !inRegion || !zoneSuffixRE().MatchString(suffix):
			c.fail(rel, "%q is not a zone of region %s; want %sa, %sb, ...", name, region, region, region)
			ok = false
		case seen[name]:
			c.fail(rel, "zone %s is listed twice", name)
			ok = false
		default:
			zones = append(zones, Zone{Name: name, Suffix: suffix})
		}
		seen[name] = true
	}
	if !ok {
		return nil // already reported; checking subnets against part of the list would mislead
	}
	return zones
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) > len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return "", false
}

func derivedSubnets(vpc netip.Prefix, zones []Zone) []Zone {
	out := append([]Zone(nil), zones...)
	publicBlock := subdivide(vpc, privateBits, 7)
	for i := range out {
		out[i].PrivateCIDR = subdivide(vpc, privateBits, i).String()
		out[i].PublicCIDR = subdivide(publicBlock, publicBits-privateBits, i).String()
	}
	return out
}

// subdivide returns block i of p cut into 2^bits equal blocks.
func subdivide(p netip.Prefix, bits, i int) netip.Prefix {
	a := p.Addr().As4()
	n := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	n += uint32(i) << (32 - p.Bits() - bits)
	addr := netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	return netip.PrefixFrom(addr, p.Bits()+bits)
}

func (c *checker) explicitSubnets(pairs []SubnetPair, zones []Zone, vpc netip.Prefix, vpcOK bool) []Zone {
	if len(pairs) != len(zones) {
		if len(zones) > 0 { // else the zones themselves were wrong, and said so
			c.fail("network.subnets", "has %d entries but the environment has %d availability zones; give one {public, private} pair per zone, in zone order", len(pairs), len(zones))
		}
		return nil
	}
	out := append([]Zone(nil), zones...)
	var seen []placed
	for i, pair := range pairs {
		for _, side := range []struct {
			name, cidr string
			dst        *string
		}{{"public", pair.Public, &out[i].PublicCIDR}, {"private", pair.Private, &out[i].PrivateCIDR}} {
			rel := fmt.Sprintf("network.subnets[%d].%s", i, side.name)
			p, ok := c.cidr(rel, side.cidr)
			if !ok {
				continue
			}
			*side.dst = p.String()
			seen = c.place(rel, p, vpc, vpcOK, seen)
		}
	}
	return out
}

type placed struct {
	rel string
	p   netip.Prefix
}

// place checks that p lies in the VPC and overlaps no subnet placed before.
func (c *checker) place(rel string, p, vpc netip.Prefix, vpcOK bool, seen []placed) []placed {
	if vpcOK && !(vpc.Contains(p.Addr()) && p.Bits() >= vpc.Bits()) {
		c.fail(rel, "%s is outside the VPC %s", p, vpc)
	}
	for _, s := range seen {
		if s.p.Overlaps(p) {
			c.fail(rel, "%s overlaps %s (%s)", p, s.rel, s.p)
		}
	}
	return append(seen, placed{rel, p})
}
