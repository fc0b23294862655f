package acksim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// ec2ID describes an EC2 kind's ID: its status field, the prefix AWS
// gives it and its resource type in ARNs.
type ec2ID struct {
	field, prefix, arnType string
}

// ec2IDs covers every EC2 kind the Sim reconciles.
var ec2IDs = map[string]ec2ID{
	"VPC":                  {"vpcID", "vpc-", "vpc"},
	"Subnet":               {"subnetID", "subnet-", "subnet"},
	"InternetGateway":      {"internetGatewayID", "igw-", "internet-gateway"},
	"ElasticIPAddress":     {"allocationID", "eipalloc-", "elastic-ip"},
	"NATGateway":           {"natGatewayID", "nat-", "natgateway"},
	"RouteTable":           {"routeTableID", "rtb-", "route-table"},
	"SecurityGroup":        {"id", "sg-", "security-group"},
	"FlowLog":              {"flowLogID", "fl-", "vpc-flow-log"},
	"TransitGateway":       {"transitGatewayID", "tgw-", "transit-gateway"},
	"VPCEndpoint":          {"vpcEndpointID", "vpce-", "vpc-endpoint"},
	"VPCPeeringConnection": {"vpcPeeringConnectionID", "pcx-", "vpc-peering-connection"},
}

// ID returns the AWS ID the Sim gives an object of an EC2 kind called
// name, e.g. ID("VPC", "demo") = "vpc-" and 17 hex digits derived from
// kind and name alone; "" for a kind without such an ID.
func ID(kind, name string) string {
	e, ok := ec2IDs[kind]
	if !ok {
		return ""
	}
	return e.prefix + digest(kind, name)[:17]
}

// PublicIP returns the address the Sim gives an ElasticIPAddress called
// name, from the documentation range 203.0.113.0/24.
func PublicIP(name string) string {
	return fmt.Sprintf("203.0.113.%d", 1+int(sha256.Sum256([]byte(name))[0])%254)
}

// digest is a hex hash of kind and name.
func digest(kind, name string) string {
	sum := sha256.Sum256([]byte(kind + "/" + name))
	return hex.EncodeToString(sum[:])
}

// uuid formats a digest like the UUID suffixes of EKS ARNs.
func uuid(kind, name string) string {
	d := digest(kind, name)
	return d[0:8] + "-" + d[8:12] + "-" + d[12:16] + "-" + d[16:20] + "-" + d[20:32]
}
