package tfstate

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/awsauth"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/schema"
)

// importEnv runs Import for env of testdata/platform.yaml against the
// state data (named file).
func importEnv(t *testing.T, env, file string, data []byte) (*Report, []config.Adoption) {
	t.Helper()
	st, err := Read(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return importWith(t, env, st)
}

// testSchema is loaded once: compiling the CRDs' CEL rules is slow.
var testSchema = sync.OnceValues(schema.Load)

// importWith runs Import for env of testdata/platform.yaml against st.
func importWith(t testing.TB, env string, st *State) (*Report, []config.Adoption) {
	t.Helper()
	return importAt(t, env, st, "")
}

// importAt is importWith with the environment's account set to account
// (unless "").
func importAt(t testing.TB, env string, st *State, account string) (*Report, []config.Adoption) {
	t.Helper()
	rep, adoptions, err := importIn(t, env, st, account)
	if err != nil {
		t.Fatal(err)
	}
	return rep, adoptions
}

// importErr is importWith, returning Import's error.
func importErr(t testing.TB, env string, st *State) (*Report, []config.Adoption, error) {
	t.Helper()
	return importIn(t, env, st, "")
}

// importIn runs Import for env, its account set to account unless "".
func importIn(t testing.TB, env string, st *State, account string) (*Report, []config.Adoption, error) {
	t.Helper()
	return importLive(t, env, st, account, nil)
}

// importLive is importIn reading the live cluster's aws-auth with live.
func importLive(t testing.TB, env string, st *State, account string, live LiveAWSAuth) (*Report, []config.Adoption, error) {
	t.Helper()
	raw, err := os.ReadFile("testdata/platform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("platform.yaml", raw, eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	e, err := cfg.Environment(env)
	if err != nil {
		t.Fatal(err)
	}
	set, err := testSchema()
	if err != nil {
		t.Fatal(err)
	}
	if account != "" {
		e.AccountID = account
	}
	return Import(Input{Env: env, Account: e.AccountID, Region: e.Region, State: st, Schema: set, LiveAWSAuth: live,
		Render: func(l config.LateValues, adopt []config.Adoption) ([]*unstructured.Unstructured, error) {
			env := *e
			env.Adopt = adopt
			return gen.EnvObjects(env, l, false)
		}})
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// adoptedBy returns object -> Terraform address.
func adoptedBy(rep *Report) map[string]string {
	out := map[string]string{}
	for _, a := range rep.Adopted {
		out[a.Object] = a.Terraform
	}
	return out
}

func TestImportDev(t *testing.T) {
	rep, adoptions := importEnv(t, "dev", "dev.tfstate", fixture(t, "dev.tfstate"))
	want := map[string]string{
		"VPC/demo-dev/vpc":                    "module.vpc.aws_vpc.main",
		"Subnet/demo-dev/private-a":           "module.vpc.aws_subnet.private[0]",
		"Subnet/demo-dev/private-b":           "module.vpc.aws_subnet.private[1]",
		"Subnet/demo-dev/public-a":            "module.vpc.aws_subnet.public[0]",
		"Subnet/demo-dev/public-b":            "module.vpc.aws_subnet.public[1]",
		"InternetGateway/demo-dev/igw":        "module.vpc.aws_internet_gateway.main",
		"NATGateway/demo-dev/nat-a":           "module.vpc.aws_nat_gateway.main[0]",
		"ElasticIPAddress/demo-dev/nat-a":     "module.vpc.aws_eip.nat[0]",
		"RouteTable/demo-dev/public":          "module.vpc.aws_route_table.public",
		"RouteTable/demo-dev/private-a":       "module.vpc.aws_route_table.private[0]",
		"RouteTable/demo-dev/private-b":       "module.vpc.aws_route_table.private[1]",
		"Role/demo-dev/cluster":               "module.eks.aws_iam_role.eks_cluster_role",
		"Role/demo-dev/fargate-pods":          "module.eks.aws_iam_role.fargate_pod_execution_role",
		"Role/demo-dev/flow-logs":             "module.vpc.aws_iam_role.vpc-flow-logs-role",
		"LogGroup/demo-dev/cluster":           "module.eks.aws_cloudwatch_log_group.eks_cluster",
		"LogGroup/demo-dev/flow-logs":         "module.vpc.aws_cloudwatch_log_group.vpc",
		"Cluster/demo-dev/demo":               "module.eks.aws_eks_cluster.main",
		"FargateProfile/demo-dev/default":     "module.eks.aws_eks_fargate_profile.main",
		"OpenIDConnectProvider/demo-dev/oidc": "module.eks.aws_iam_openid_connect_provider.main",
		"FlowLog/demo-dev/vpc":                "module.vpc.aws_flow_log.main",
	}
	if d := cmp.Diff(want, adoptedBy(rep)); d != "" {
		t.Errorf("adopted (-want +got)\n%s", d)
	}
	if len(adoptions) != len(want) || len(rep.Conflicts) != 0 {
		t.Errorf("%d adoptions, conflicts %v; want %d and none", len(adoptions), rep.Conflicts, len(want))
	}
	// The 2020 seed has no managed add-ons and no Fargate pod logs: render
	// creates them.
	wantCreated := []string{"AccessEntry/demo-dev/admin-platformadmin",
		"Addon/demo-dev/coredns", "Addon/demo-dev/kube-proxy", "Addon/demo-dev/vpc-cni", "FargateProfile/demo-dev/game-2048",
		"FargateProfile/demo-dev/metrics-server", "LogGroup/demo-dev/fargate",
		"Policy/demo-dev/alb-controller", "Policy/demo-dev/alb-controller-elb", "Role/demo-dev/alb-controller"}
	if d := cmp.Diff(wantCreated, rep.Created); d != "" {
		t.Errorf("created (-want +got)\n%s", d)
	}
	for _, u := range []string{"module.eks.aws_iam_policy.AmazonEKSClusterNLBPolicy", "module.eks.local_file.kubeconfig",
		"module.eks.aws_eks_node_group.main", "module.vpc.aws_nat_gateway.main[1]", "module.eks.kubernetes_namespace.example"} {
		if !slices.Contains(rep.Unmanaged, u) {
			t.Errorf("%s not reported unmanaged: %v", u, rep.Unmanaged)
		}
	}
	for _, a := range []string{"module.vpc.aws_route.public", "module.vpc.aws_route_table_association.private[1]",
		"module.eks.aws_iam_role_policy_attachment.AmazonEKSCluserNLBPolicy", "module.vpc.aws_iam_role_policy.vpc-flow-logs-policy"} {
		if !slices.ContainsFunc(rep.Absorbed, func(x Absorbed) bool { return x.Terraform == a }) ||
			!slices.Contains(rep.StateRm, "terraform state rm '"+a+"'") {
			t.Errorf("%s not absorbed and removed from the state", a)
		}
	}
	if slices.Contains(rep.StateRm, "terraform state rm 'module.eks.aws_eks_node_group.main'") {
		t.Error("state rm of an unmanaged resource")
	}
	for _, c := range []Change{
		{Object: "LogGroup/demo-dev/cluster", Path: "spec.retentionDays", TerraformValue: "30", RenderValue: "14"},
		{Object: "RouteTable/demo-dev/private-b", Path: "spec.routes",
			TerraformValue: `[{"destinationCIDRBlock":"0.0.0.0/0","natGatewayID":"` + addressID(t, "module.vpc.aws_nat_gateway.main[1]") + `"}]`,
			RenderValue:    `[{"destinationCIDRBlock":"0.0.0.0/0","natGatewayRef":{"from":{"name":"nat-a"}}}]`},
	} {
		if !slices.Contains(rep.InPlace, c) {
			t.Errorf("in-place change %+v not reported", c)
		}
	}
	if slices.ContainsFunc(rep.InPlace, func(c Change) bool { return c.Path == "spec.cidrBlock" || c.Path == "spec.name" }) {
		t.Errorf("in place: %v", rep.InPlace)
	}
}

// addressID is the ID dev.tfstate gives the resource at address.
func addressID(t *testing.T, address string) string {
	st, err := Read("dev.tfstate", fixture(t, "dev.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range st.Resources {
		if r.Address == address {
			return r.id()
		}
	}
	t.Fatalf("no %s", address)
	return ""
}

func TestImportShowJSONIsTheSame(t *testing.T) {
	a, aa := importEnv(t, "dev", "dev.tfstate", fixture(t, "dev.tfstate"))
	b, ba := importEnv(t, "dev", "dev-show.json", fixture(t, "dev-show.json"))
	if a.Format != "4" || b.Format != "show-json 1.0" {
		t.Errorf("formats %q %q", a.Format, b.Format)
	}
	a.Format, b.Format = "", ""
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("state pull vs show -json (-pull +show)\n%s", d)
	}
	if d := cmp.Diff(aa, ba); d != "" {
		t.Errorf("adoptions (-pull +show)\n%s", d)
	}
}

func TestImportProd(t *testing.T) {
	rep, _ := importEnv(t, "prod", "prod.tfstate", fixture(t, "prod.tfstate"))
	got := adoptedBy(rep)
	for obj, addr := range map[string]string{
		"Nodegroup/demo-prod/system":       "module.eks.aws_eks_node_group.main",
		"Role/demo-prod/node":              "module.eks.aws_iam_role.eks_node_group_role",
		"NATGateway/demo-prod/nat-c":       "module.vpc.aws_nat_gateway.main[2]",
		"ElasticIPAddress/demo-prod/nat-b": "module.vpc.aws_eip.nat[1]",
		"RouteTable/demo-prod/private-c":   "module.vpc.aws_route_table.private[2]",
		"Subnet/demo-prod/public-c":        "module.vpc.aws_subnet.public[2]",
	} {
		if got[obj] != addr {
			t.Errorf("%s adopts %q, want %s", obj, got[obj], addr)
		}
	}
	if len(rep.Conflicts) != 0 || len(rep.Adopted) != 29 {
		t.Errorf("%d adopted, conflicts %v", len(rep.Adopted), rep.Conflicts)
	}
}

// variant returns dev.tfstate edited by fn, which gets its resources.
func variant(t *testing.T, fn func(rs []any) []any) []byte {
	t.Helper()
	return variantOf(t, "dev.tfstate", fn)
}

// variantOf returns the fixture file edited by fn.
func variantOf(t *testing.T, file string, fn func(rs []any) []any) []byte {
	t.Helper()
	var st map[string]any
	if err := json.Unmarshal(fixture(t, file), &st); err != nil {
		t.Fatal(err)
	}
	st["resources"] = fn(st["resources"].([]any))
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// instance returns the attributes of instance i of module.type.name.
func instance(rs []any, module, typ, name string, i int) map[string]any {
	for _, r := range rs {
		m := r.(map[string]any)
		if m["module"] == module && m["type"] == typ && m["name"] == name {
			return m["instances"].([]any)[i].(map[string]any)["attributes"].(map[string]any)
		}
	}
	return nil
}

func TestImportVariants(t *testing.T) {
	t.Run("a missing subnet is created", func(t *testing.T) {
		data := variant(t, func(rs []any) []any {
			return slices.DeleteFunc(rs, func(r any) bool {
				m := r.(map[string]any)
				return m["type"] == "aws_subnet" && m["name"] == "private" || m["type"] == "aws_route_table_association" && m["name"] == "private"
			})
		})
		rep, adoptions := importEnv(t, "dev", "missing.tfstate", data)
		for _, obj := range []string{"Subnet/demo-dev/private-a", "Subnet/demo-dev/private-b"} {
			if !slices.Contains(rep.Created, obj) || adoptedBy(rep)[obj] != "" {
				t.Errorf("%s not created", obj)
			}
		}
		if slices.ContainsFunc(adoptions, func(a config.Adoption) bool { return strings.HasPrefix(a.Object, "Subnet/private") }) {
			t.Error("imports adopt a subnet that does not exist")
		}
	})
	t.Run("an extra resource is left alone", func(t *testing.T) {
		data := variant(t, func(rs []any) []any {
			vpc := instance(rs, "module.vpc", "aws_vpc", "main", 0)["id"]
			return append(rs, map[string]any{"module": "module.db", "mode": "managed", "type": "aws_subnet", "name": "db",
				"instances": []any{map[string]any{"attributes": map[string]any{"id": "subnet-0db", "vpc_id": vpc, "cidr_block": "10.0.128.0/20", "availability_zone": "us-west-2a"}}}})
		})
		rep, _ := importEnv(t, "dev", "extra.tfstate", data)
		if !slices.Contains(rep.Unmanaged, "module.db.aws_subnet.db") || len(rep.Conflicts) != 0 || len(rep.Adopted) != 20 {
			t.Errorf("unmanaged %v, conflicts %v, %d adopted", rep.Unmanaged, rep.Conflicts, len(rep.Adopted))
		}
	})
	t.Run("an access entry is adopted by cluster and principal", func(t *testing.T) {
		data := variant(t, func(rs []any) []any {
			return append(rs, map[string]any{"module": "module.eks", "mode": "managed", "type": "aws_eks_access_entry", "name": "admin",
				"instances": []any{map[string]any{"attributes": map[string]any{"id": "demo-dev:arn:aws:iam::111122223333:role/PlatformAdmin",
					"cluster_name": "demo-dev", "principal_arn": "arn:aws:iam::111122223333:role/PlatformAdmin"}}}})
		})
		rep, _ := importEnv(t, "dev", "access.tfstate", data)
		if got := adoptedBy(rep)["AccessEntry/demo-dev/admin-platformadmin"]; got != "module.eks.aws_eks_access_entry.admin" {
			t.Errorf("AccessEntry adopts %q", got)
		}
	})
	t.Run("an overlapping subnet is a conflict naming both CIDRs", func(t *testing.T) {
		data := variant(t, func(rs []any) []any {
			instance(rs, "module.vpc", "aws_subnet", "private", 0)["cidr_block"] = "10.0.0.0/20"
			return rs
		})
		rep, adoptions := importEnv(t, "dev", "overlap.tfstate", data)
		want := Conflict{Object: "Subnet/demo-dev/private-a", Terraform: "module.vpc.aws_subnet.private[0]", Path: "spec.cidrBlock",
			TerraformValue: "10.0.0.0/20", RenderValue: "10.0.0.0/19"}
		if !slices.ContainsFunc(rep.Conflicts, func(c Conflict) bool { c.Message = ""; return c == want }) {
			t.Errorf("conflicts %+v, want %+v", rep.Conflicts, want)
		}
		if slices.ContainsFunc(adoptions, func(a config.Adoption) bool { return a.Object == "Subnet/private-a" }) {
			t.Error("the overlapping subnet adopts something")
		}
		if !slices.Contains(rep.Created, "Subnet/demo-dev/private-a") {
			t.Errorf("created %v", rep.Created)
		}
	})
	t.Run("a VPC found by its cluster tag with another CIDR is a conflict", func(t *testing.T) {
		data := variant(t, func(rs []any) []any {
			instance(rs, "module.vpc", "aws_vpc", "main", 0)["cidr_block"] = "10.8.0.0/16"
			return rs
		})
		rep, adoptions := importEnv(t, "dev", "vpc.tfstate", data)
		want := Conflict{Object: "VPC/demo-dev/vpc", Terraform: "module.vpc.aws_vpc.main", Path: "spec.cidrBlocks",
			TerraformValue: "10.8.0.0/16", RenderValue: "10.0.0.0/16", Adoptable: true}
		if !slices.ContainsFunc(rep.Conflicts, func(c Conflict) bool { c.Message = ""; return c == want }) {
			t.Errorf("conflicts %+v, want %+v", rep.Conflicts, want)
		}
		if !slices.ContainsFunc(adoptions, func(a config.Adoption) bool { return a.Object == "VPC/vpc" }) {
			t.Error("the VPC cannot be adopted as it is (--allow-conflicts)")
		}
	})
	t.Run("the seed's own cluster role name is adopted under that name", func(t *testing.T) {
		const seedRole = "arn:aws:iam::111122223333:role/demo-eks-cluster-role"
		data := variant(t, func(rs []any) []any {
			role := instance(rs, "module.eks", "aws_iam_role", "eks_cluster_role", 0)
			role["name"], role["id"], role["arn"] = "demo-eks-cluster-role", "demo-eks-cluster-role", seedRole
			instance(rs, "module.eks", "aws_eks_cluster", "main", 0)["role_arn"] = seedRole
			return rs
		})
		rep, adoptions := importEnv(t, "dev", "role.tfstate", data)
		if got := adoptedBy(rep)["Role/demo-dev/cluster"]; got != "module.eks.aws_iam_role.eks_cluster_role" || slices.Contains(rep.Created, "Role/demo-dev/cluster") {
			t.Errorf("Role/demo-dev/cluster adopts %q, created %v", got, rep.Created)
		}
		if !slices.ContainsFunc(adoptions, func(a config.Adoption) bool { return a.Object == "Role/cluster" && a.Name == "demo-eks-cluster-role" }) {
			t.Errorf("adoptions %+v", adoptions)
		}
		if len(rep.Conflicts) != 0 {
			t.Errorf("conflicts %+v", rep.Conflicts)
		}
	})
	t.Run("a cluster on a role render does not adopt keeps its role ARN", func(t *testing.T) {
		const other = "arn:aws:iam::111122223333:role/someone-elses-role"
		data := variant(t, func(rs []any) []any {
			instance(rs, "module.eks", "aws_eks_cluster", "main", 0)["role_arn"] = other
			return rs
		})
		rep, adoptions := importEnv(t, "dev", "other-role.tfstate", data)
		i := slices.IndexFunc(adoptions, func(a config.Adoption) bool { return a.Object == "Cluster/demo" })
		if i < 0 {
			t.Fatalf("the cluster is not adopted: %+v", adoptions)
		}
		if want := map[string]string{"spec.roleARN": `"` + other + `"`}; !maps.Equal(adoptions[i].Keep, want) {
			t.Errorf("keep %v, want %v (conflicts %+v)", adoptions[i].Keep, want, rep.Conflicts)
		}
	})
	t.Run("a subnet in another zone is a create-only conflict", func(t *testing.T) {
		data := variant(t, func(rs []any) []any {
			instance(rs, "module.vpc", "aws_subnet", "public", 1)["availability_zone"] = "us-west-2c"
			return rs
		})
		rep, _ := importEnv(t, "dev", "zone.tfstate", data)
		want := Conflict{Object: "Subnet/demo-dev/public-b", Terraform: "module.vpc.aws_subnet.public[1]", Path: "spec.availabilityZone",
			TerraformValue: "us-west-2c", RenderValue: "us-west-2b", Adoptable: true}
		if !slices.ContainsFunc(rep.Conflicts, func(c Conflict) bool { c.Message = ""; return c == want }) {
			t.Errorf("conflicts %+v, want %+v", rep.Conflicts, want)
		}
	})
}

func TestReadRejects(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"format version 3", string(fixture(t, "v3.tfstate")), "version: is 3"},
		{"show -json of another major version", `{"format_version": "2.0"}`, "format_version: is \"2.0\""},
		{"no version", `{"resources": []}`, "neither"},
		{"not JSON", "{\n\"version\": 4,\n\"resources\": [}\n", "line 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read("tf.json", []byte(tc.data))
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "tf.json") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want ErrFormat naming tf.json and %q", err, tc.want)
			}
		})
	}
}

// TestImportReportsAWSAuth: the principals of the state's aws-auth
// ConfigMap are reported, each marked listed in cluster.admins, a node
// role, or at risk once the mode reaches API.
func TestImportReportsAWSAuth(t *testing.T) {
	mapRoles := "- rolearn: arn:aws:iam::111122223333:role/PlatformAdmin\n  username: admin\n  groups: [system:masters]\n" +
		"- rolearn: arn:aws:iam::111122223333:role/demo-eks-node-group-role\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n"
	mapUsers := "- userarn: arn:aws:iam::111122223333:user/ops\n  username: ops\n  groups: [system:masters]\n"
	data := variant(t, func(rs []any) []any {
		return append(rs, map[string]any{"module": "module.eks", "mode": "managed", "type": "kubernetes_config_map", "name": "aws_auth",
			"instances": []any{map[string]any{"attributes": map[string]any{"id": "kube-system/aws-auth",
				"metadata": []any{map[string]any{"name": "aws-auth", "namespace": "kube-system"}},
				"data":     map[string]any{"mapRoles": mapRoles, "mapUsers": mapUsers}}}}})
	})
	rep, _ := importEnv(t, "dev", "awsauth.tfstate", data)
	got := map[string]AWSAuthEntry{}
	for _, e := range rep.AWSAuth {
		got[e.ARN] = e
	}
	if e := got["arn:aws:iam::111122223333:role/PlatformAdmin"]; !e.Listed || e.Node || e.Source != "module.eks.kubernetes_config_map.aws_auth" {
		t.Errorf("PlatformAdmin: %+v, want listed", e)
	}
	if e := got["arn:aws:iam::111122223333:role/demo-eks-node-group-role"]; !e.Node {
		t.Errorf("node role: %+v, want a node role", e)
	}
	if e := got["arn:aws:iam::111122223333:user/ops"]; e.Listed || e.Node || e.Username != "ops" {
		t.Errorf("ops: %+v, want unlisted", e)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"aws-auth entries (the ConfigMap path, which the API authentication mode drops): 3\n",
		`arn:aws:iam::111122223333:user/ops as "ops" [system:masters] (module.eks.kubernetes_config_map.aws_auth): LOSING ACCESS at API: NOT in cluster.admins`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
	rep, _ = importEnv(t, "dev", "dev.tfstate", fixture(t, "dev.tfstate"))
	b.Reset()
	if err := rep.WriteText(&b); err != nil || len(rep.AWSAuth) != 0 || !strings.Contains(b.String(), "kubectl -n kube-system get configmap aws-auth") {
		t.Errorf("without aws-auth in the state: %v %v\n%s", err, rep.AWSAuth, b.String())
	}
}

// TestImportRecordsTheClusterVersion: the Cluster's imports entry has the
// version the state's cluster runs; a cluster two minors behind
// platform.yaml's, or newer, is refused with the steps to take.
func TestImportRecordsTheClusterVersion(t *testing.T) {
	_, adoptions := importEnv(t, "dev", "dev.tfstate", fixture(t, "dev.tfstate"))
	i := slices.IndexFunc(adoptions, func(a config.Adoption) bool { return strings.HasPrefix(a.Object, "Cluster/") })
	if i < 0 || adoptions[i].Version != "1.34" {
		t.Fatalf("the Cluster's entry: %+v, want version 1.34", adoptions)
	}
	for version, want := range map[string]string{
		"1.33": "module.eks.aws_eks_cluster.main runs Kubernetes 1.33 and platform.yaml's cluster.version is 1.35: 1.33 -> 1.35 skips 1.34; EKS upgrades one minor version at a time: set 1.34 first, apply it, then 1.35; to adopt it, set cluster.version to 1.33",
		"1.36": "1.36 -> 1.35 is a downgrade",
	} {
		data := variant(t, func(rs []any) []any {
			instance(rs, "module.eks", "aws_eks_cluster", "main", 0)["version"] = version
			return rs
		})
		st, err := Read("old.tfstate", data)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := importErr(t, "dev", st); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("state on %s: %v, want %q", version, err, want)
		}
	}
}

// TestImportRefusesAnotherAccount: a state whose cluster is in another
// account than the environment's is a conflict that no --allow-conflicts
// adopts: ACK, through the environment's account, would not find it.
func TestImportRefusesAnotherAccount(t *testing.T) {
	st, err := Read("dev.tfstate", fixture(t, "dev.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	rep, _ := importAt(t, "dev", st, "444455556666")
	var found *Conflict
	for i, c := range rep.Conflicts {
		if c.TerraformValue == "111122223333" {
			found = &rep.Conflicts[i]
		}
	}
	if found == nil || found.Object != "Cluster/demo-dev/demo" || found.Adoptable ||
		!strings.Contains(found.Message, "set the environment's accountID to 111122223333") {
		t.Fatalf("conflicts = %+v, want the cluster's account", rep.Conflicts)
	}
	if err := rep.Refuse(true); err == nil {
		t.Error("Refuse(allowConflicts) = nil, want the account conflict refused")
	}
	if rep, _ := importAt(t, "dev", st, ""); len(rep.Conflicts) != 0 {
		t.Errorf("same account: conflicts %+v", rep.Conflicts)
	}
}

// TestImportReadsTheLiveAWSAuth: with the live cluster readable, the
// report shows its aws-auth (what EKS reads), not the state's, and says
// so; when it cannot be read, the state's, and why; with neither, why.
func TestImportReadsTheLiveAWSAuth(t *testing.T) {
	liveRoles := "- rolearn: arn:aws:iam::111122223333:role/PlatformAdmin\n  username: admin\n  groups: [system:masters]\n" +
		"- rolearn: arn:aws:iam::111122223333:role/demo-eks-fargate-pod-execution-role\n  username: system:node:{{SessionName}}\n  groups: [system:bootstrappers, system:nodes, system:node-proxier]\n" +
		"- rolearn: arn:aws:iam::111122223333:role/Ops\n  username: ops\n  groups: [system:masters]\n"
	stateRoles := "- rolearn: arn:aws:iam::111122223333:role/TerraformOnly\n  username: tf\n  groups: [system:masters]\n"
	withMap := variant(t, func(rs []any) []any {
		return append(rs, map[string]any{"module": "module.eks", "mode": "managed", "type": "kubernetes_config_map_v1", "name": "aws_auth",
			"instances": []any{map[string]any{"attributes": map[string]any{"id": "kube-system/aws-auth",
				"metadata": []any{map[string]any{"name": "aws-auth", "namespace": "kube-system"}},
				"data":     map[string]any{"mapRoles": stateRoles}}}}})
	})
	var asked Cluster
	reads := func(data map[string]string, err error) LiveAWSAuth {
		return func(c Cluster) (map[string]string, string, error) {
			asked = c
			return data, "https://live.example", err
		}
	}
	for _, tc := range []struct {
		name      string
		state     []byte
		live      LiveAWSAuth
		from      string
		why       string
		arns      []string
		losing    []string
		reportHas string
	}{
		{"the live ConfigMap over the state's", withMap, reads(map[string]string{"mapRoles": liveRoles}, nil), awsauth.FromCluster, "",
			[]string{"arn:aws:iam::111122223333:role/Ops", "arn:aws:iam::111122223333:role/PlatformAdmin", "arn:aws:iam::111122223333:role/demo-eks-fargate-pod-execution-role"},
			[]string{"arn:aws:iam::111122223333:role/Ops"}, "read from the live cluster (https://live.example)\n"},
		{"a live cluster without the ConfigMap", withMap, reads(nil, nil), awsauth.FromCluster, "it has no kube-system/aws-auth ConfigMap", nil, nil,
			"read from the live cluster (https://live.example): it has no kube-system/aws-auth ConfigMap\n"},
		{"the state's when the cluster cannot be read", withMap, reads(nil, errors.New("dial tcp: no route to host")), awsauth.FromState,
			"what Terraform wrote, not what EKS reads: the live cluster could not be read: dial tcp: no route to host",
			[]string{"arn:aws:iam::111122223333:role/TerraformOnly"}, []string{"arn:aws:iam::111122223333:role/TerraformOnly"}, "read from the state (module.eks.kubernetes_config_map_v1.aws_auth): what Terraform wrote"},
		{"neither, and why", fixture(t, "dev.tfstate"), reads(nil, errors.New("no credentials")), awsauth.FromNeither,
			"the state has no kube-system/aws-auth ConfigMap, and the live cluster could not be read: no credentials", nil, nil,
			"read it with render import --cluster-kubeconfig"},
		{"neither, not asked to read", fixture(t, "dev.tfstate"), nil, awsauth.FromNeither,
			"the state has no kube-system/aws-auth ConfigMap, and the live cluster was not read (render import --read-cluster=false)", nil, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Read("live.tfstate", tc.state)
			if err != nil {
				t.Fatal(err)
			}
			rep, _, err := importLive(t, "dev", st, "", tc.live)
			if err != nil {
				t.Fatal(err)
			}
			if rep.AWSAuthFrom.Read != tc.from || rep.AWSAuthFrom.Why != tc.why {
				t.Errorf("read from %+v, want %s and %q", rep.AWSAuthFrom, tc.from, tc.why)
			}
			var arns, losing []string
			for _, e := range rep.AWSAuth {
				arns = append(arns, e.ARN)
				if e.LosesAccess() {
					losing = append(losing, e.ARN)
				}
			}
			if !slices.Equal(arns, tc.arns) || !slices.Equal(losing, tc.losing) {
				t.Errorf("entries %v, losing %v; want %v, %v", arns, losing, tc.arns, tc.losing)
			}
			var b strings.Builder
			if err := rep.WriteText(&b); err != nil || !strings.Contains(b.String(), tc.reportHas) {
				t.Errorf("report lacks %q: %v\n%s", tc.reportHas, err, b.String())
			}
		})
	}
	if asked.Name != "demo-dev" || asked.Endpoint == "" || asked.CA == "" || asked.Terraform == "" {
		t.Errorf("the live read was asked for %+v, want the state's cluster", asked)
	}
}
