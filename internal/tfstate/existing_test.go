package tfstate

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestNetworkOf(t *testing.T) {
	read := func(t *testing.T, data []byte) *State {
		t.Helper()
		st, err := Read("dev.tfstate", data)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	t.Run("tells public from private subnets by their routes", func(t *testing.T) {
		n, err := NetworkOf(read(t, fixture(t, "dev.tfstate")))
		if err != nil {
			t.Fatal(err)
		}
		if n.VPCID != "vpc-c7a169f875b269f14" ||
			!slices.Equal(n.PrivateSubnetIDs, []string{"subnet-80f2f9703eab90605", "subnet-8e255f0a0b621d13d"}) ||
			!slices.Equal(n.PublicSubnetIDs, []string{"subnet-d223187fd147f657e", "subnet-32ec08efda17a9afc"}) {
			t.Errorf("NetworkOf = %+v", n)
		}
		if len(n.NotManaged) != 21 || !slices.Contains(n.NotManaged, "module.vpc.aws_route.public") || slices.Contains(n.NotManaged, "module.eks.aws_eks_cluster.main") {
			t.Errorf("NotManaged = %v", n.NotManaged)
		}
	})
	t.Run("reads a route table's own routes", func(t *testing.T) {
		data := variant(t, func(rs []any) []any {
			instance(rs, "module.vpc", "aws_route_table", "public", 0)["route"] = []any{map[string]any{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-d7edea691eb69680d"}}
			return slices.DeleteFunc(rs, func(r any) bool {
				m := r.(map[string]any)
				return m["type"] == "aws_route" && m["name"] == "public"
			})
		})
		n, err := NetworkOf(read(t, data))
		if err != nil || len(n.PublicSubnetIDs) != 2 {
			t.Errorf("NetworkOf = %+v, %v; want the two public subnets", n, err)
		}
	})
	for _, tc := range []struct {
		name, want string
		drop       func(m map[string]any) bool
	}{
		{"refuses a state without a VPC", "it has 0 aws_vpc resources; want exactly one",
			func(m map[string]any) bool { return m["type"] == "aws_vpc" }},
		{"refuses a subnet it cannot tell", "module.vpc.aws_subnet.public[0] (subnet-d223187fd147f657e) has no aws_route_table_association in the state",
			func(m map[string]any) bool {
				return m["type"] == "aws_route_table_association" && m["name"] == "public"
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := variant(t, func(rs []any) []any {
				return slices.DeleteFunc(rs, func(r any) bool { return tc.drop(r.(map[string]any)) })
			})
			_, err := NetworkOf(read(t, data))
			if !errors.Is(err, ErrNetwork) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NetworkOf error = %v, want ErrNetwork: ...%s", err, tc.want)
			}
		})
	}
}
