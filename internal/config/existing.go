package config

import "fmt"

// AWS resource IDs: the prefix and 8 or 17 lowercase hex digits (the
// longer form since 2018; EC2 User Guide, "Resource IDs").
var (
	existingVPCRE    = lazyRegexp(`^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`)
	existingSubnetRE = lazyRegexp(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// ownNetworkFields are the settings of a network render creates; none may
// be set in an environment's own section next to network.existing. Set in
// spec, they are inherited and ignored for that environment.
var ownNetworkFields = []string{"network.vpcCIDR", "network.azCount", "network.availabilityZones", "network.subnets", "network.natMode"}

// existing resolves network.existing: the IDs' form, at least two subnets
// of each kind, none listed twice; the environment's own section may not
// also shape a network render would create.
func (c *checker) existing(n Network) *ExistingNetworkEnv {
	e := n.Existing
	if _, inSpec := c.owner("spec", "network.existing"); inSpec {
		c.failAt("spec.network.existing", "is per environment (VPC and subnet IDs differ between environments); set it under environments.<name>.network.existing")
		return nil
	}
	envPrefix := join("environments", c.env)
	for _, rel := range ownNetworkFields {
		if _, written := c.owner(envPrefix, rel); written {
			c.fail(rel, "cannot be set with network.existing: render creates no VPC, subnets or NAT gateways on a network it does not own; remove it")
		}
	}
	switch {
	case e.VPCID == "":
		c.fail("network.existing.vpcID", "is missing; want the VPC's ID, e.g. vpc-0123456789abcdef0")
	case !existingVPCRE().MatchString(e.VPCID):
		c.fail("network.existing.vpcID", "%q is not a VPC ID; want vpc- and 8 or 17 lowercase hex digits, e.g. vpc-0123456789abcdef0", e.VPCID)
	}
	seen := map[string]string{}
	c.subnetIDs("network.existing.privateSubnetIDs", e.PrivateSubnetIDs, seen)
	c.subnetIDs("network.existing.publicSubnetIDs", e.PublicSubnetIDs, seen)
	return &ExistingNetworkEnv{
		VPCID:            e.VPCID,
		PrivateSubnetIDs: append([]string(nil), e.PrivateSubnetIDs...),
		PublicSubnetIDs:  append([]string(nil), e.PublicSubnetIDs...),
	}
}

// subnetIDs checks one list of subnet IDs; seen maps each ID already
// listed, in either list, to where.
func (c *checker) subnetIDs(rel string, ids []string, seen map[string]string) {
	if len(ids) < MinZones {
		c.fail(rel, "lists %d subnets; want at least %d, in different availability zones (EKS and the load balancer need two zones)", len(ids), MinZones)
	}
	for i, id := range ids {
		at := fmt.Sprintf("%s[%d]", rel, i)
		switch first, dup := seen[id]; {
		case !existingSubnetRE().MatchString(id):
			c.fail(at, "%q is not a subnet ID; want subnet- and 8 or 17 lowercase hex digits, e.g. subnet-0123456789abcdef0", id)
		case dup && parent(first) == parent(at):
			c.fail(at, "%s is listed twice (first at %s)", id, first)
		case dup:
			c.fail(at, "%s is listed as both private and public (at %s); a subnet is one or the other: private ones route to a NAT gateway, public ones to an internet gateway", id, first)
		default:
			seen[id] = at
		}
	}
}

// existingFlowLogs resolves the flow log of a VPC render does not own: off
// unless the environment's own section writes network.flowLogs.enabled:
// true (a default or spec's value is for the VPCs render creates);
// retention or traffic type written there while it is off is refused.
func (c *checker) existingFlowLogs(fl FlowLogs) bool {
	envPrefix := join("environments", c.env)
	_, enabledHere := c.owner(envPrefix, "network.flowLogs.enabled")
	on := enabledHere && *fl.Enabled
	if on {
		return true
	}
	for _, rel := range []string{"network.flowLogs.retentionDays", "network.flowLogs.trafficType"} {
		if _, written := c.owner(envPrefix, rel); written {
			c.fail(rel, "has no effect: on network.existing, flow logs are off unless this environment sets network.flowLogs.enabled: true")
		}
	}
	return false
}
