package tfstate

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Network is a state's VPC and subnets, taken as a network render does
// not own (render import --network existing): what network.existing
// should say, and the state's network resources, which stay Terraform's.
type Network struct {
	VPCID            string   `json:"vpcID"`
	PrivateSubnetIDs []string `json:"privateSubnetIDs"`
	PublicSubnetIDs  []string `json:"publicSubnetIDs"`
	// NotManaged are the addresses of the state's network resources:
	// render neither adopts nor replaces them.
	NotManaged []string `json:"notManaged"`
}

// networkTypes are the Terraform types of a VPC's network: with
// --network existing none of them is adopted.
var networkTypes = []string{
	"aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_egress_only_internet_gateway", "aws_nat_gateway", "aws_eip",
	"aws_route_table", "aws_route", "aws_route_table_association", "aws_main_route_table_association",
	"aws_default_route_table", "aws_flow_log", "aws_vpc_endpoint",
}

// ErrNetwork is wrapped by NetworkOf's errors: the state has no one VPC
// whose subnets can be told public or private.
var ErrNetwork = errors.New("the state's network cannot be used as network.existing")

// NetworkOf reads the state's one VPC and its subnets. A subnet is public
// when its route table has a route to an internet gateway, private
// otherwise, as AWS defines them (EKS User Guide, network-reqs.adoc: "A
// public subnet is a subnet with a route table that includes a route to
// an internet gateway"); a subnet without a route table association in
// the state (the VPC's main table, which the state may not hold) cannot
// be told, and is an error.
func NetworkOf(st *State) (*Network, error) {
	var vpcs []Resource
	out := &Network{}
	for _, r := range st.Resources {
		if r.Type == "aws_vpc" {
			vpcs = append(vpcs, r)
		}
		if slices.Contains(networkTypes, r.Type) {
			out.NotManaged = append(out.NotManaged, r.Address)
		}
	}
	if len(vpcs) != 1 {
		return nil, fmt.Errorf("%w: it has %d aws_vpc resources; want exactly one", ErrNetwork, len(vpcs))
	}
	out.VPCID = vpcs[0].id()
	for _, r := range st.Resources {
		if r.Type != "aws_subnet" {
			continue
		}
		if vpc := r.str("vpc_id"); vpc != out.VPCID {
			return nil, fmt.Errorf("%w: %s is in %s, not in %s (%s)", ErrNetwork, r.Address, vpc, out.VPCID, vpcs[0].Address)
		}
		public, err := isPublic(st, r)
		if err != nil {
			return nil, err
		}
		if public {
			out.PublicSubnetIDs = append(out.PublicSubnetIDs, r.id())
		} else {
			out.PrivateSubnetIDs = append(out.PrivateSubnetIDs, r.id())
		}
	}
	return out, nil
}

// isPublic tells whether subnet's route table routes to an internet
// gateway, by the state's aws_route resources or the table's own routes.
func isPublic(st *State, subnet Resource) (bool, error) {
	table := ""
	for _, r := range st.Resources {
		if r.Type == "aws_route_table_association" && r.str("subnet_id") == subnet.id() {
			table = r.str("route_table_id")
		}
	}
	if table == "" {
		return false, fmt.Errorf("%w: %s (%s) has no aws_route_table_association in the state, so whether it is public or private cannot be told", ErrNetwork, subnet.Address, subnet.id())
	}
	for i := range st.Resources {
		r := &st.Resources[i]
		switch {
		case r.Type == "aws_route" && r.str("route_table_id") == table && strings.HasPrefix(r.str("gateway_id"), "igw-"):
			return true, nil
		case r.Type == "aws_route_table" && r.id() == table:
			for _, route := range r.list("route") {
				if gw, _ := route["gateway_id"].(string); strings.HasPrefix(gw, "igw-") {
					return true, nil
				}
			}
		}
	}
	return false, nil
}
