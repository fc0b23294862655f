package tfstate

import (
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// matcher pairs rendered objects ("Kind/name", the environment's namespace
// implied) with Terraform resources, at most one each way.
type matcher struct {
	objs   map[string]*unstructured.Unstructured
	byType map[string][]*Resource
	// match is the resource each matched object adopts; how says by what.
	match map[string]*Resource
	how   map[string]string
	taken map[string]string // address -> Kind/name
	// renamed are the objects that adopt a resource under its own AWS
	// name, not render's (byref.go): Kind/name -> the AWS name.
	renamed map[string]string
	// conflicts found while matching (overlapping subnets, ambiguity).
	conflicts []Conflict
}

func newMatcher(objs []*unstructured.Unstructured, st *State) *matcher {
	m := &matcher{objs: map[string]*unstructured.Unstructured{}, byType: map[string][]*Resource{},
		match: map[string]*Resource{}, how: map[string]string{}, taken: map[string]string{}, renamed: map[string]string{}}
	for _, u := range objs {
		m.objs[u.GetKind()+"/"+u.GetName()] = u
	}
	for i := range st.Resources {
		r := &st.Resources[i]
		m.byType[r.Type] = append(m.byType[r.Type], r)
	}
	return m
}

// run matches every kind, parents before what they identify children by.
func (m *matcher) run() {
	m.vpc()
	m.subnets()
	m.oneByVPC("InternetGateway", "aws_internet_gateway", "vpc_id")
	m.natGateways()
	m.routeTables()
	m.byName("Role", "aws_iam_role", "name")
	m.byName("Policy", "aws_iam_policy", "name")
	m.byName("LogGroup", "aws_cloudwatch_log_group", "name")
	m.byName("Cluster", "aws_eks_cluster", "name")
	m.eksChildren("Nodegroup", "aws_eks_node_group", "node_group_name")
	m.nodegroupsByCluster()
	m.eksChildren("FargateProfile", "aws_eks_fargate_profile", "fargate_profile_name")
	m.fargateBySelectors()
	m.eksChildren("Addon", "aws_eks_addon", "addon_name")
	m.accessEntries()
	m.byName("OpenIDConnectProvider", "aws_iam_openid_connect_provider", "url")
	m.flowLogs()
	m.rolesByReference()
	m.logGroupsByReference()
}

// kindObjs returns the names of the rendered objects of kind, sorted.
func (m *matcher) kindObjs(kind string) []string {
	var out []string
	for k := range m.objs {
		if strings.HasPrefix(k, kind+"/") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// adopt records that obj adopts r, found by how.
func (m *matcher) adopt(obj string, r *Resource, how string) {
	m.match[obj], m.how[obj], m.taken[r.Address] = r, how, obj
}

// free returns the resources of type t that nothing adopted yet and that
// pass keep.
func (m *matcher) free(t string, keep func(r *Resource) bool) []*Resource {
	var out []*Resource
	for _, r := range m.byType[t] {
		if m.taken[r.Address] == "" && keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// idOf returns the AWS ID of the resource obj adopts, or "".
func (m *matcher) idOf(obj string) string {
	if r := m.match[obj]; r != nil {
		return r.id()
	}
	return ""
}

// objectFor returns the rendered object that adopts the resource with
// AWS ID (or ARN) id, or "".
func (m *matcher) objectFor(id string) string {
	for obj, r := range m.match {
		if id != "" && (r.id() == id || r.str("arn") == id) {
			return obj
		}
	}
	return ""
}

// spec returns the string at spec.<path> of obj, "" if there is no obj.
func (m *matcher) spec(obj string, path ...string) string {
	u := m.objs[obj]
	if u == nil {
		return ""
	}
	s, _, _ := unstructured.NestedString(u.Object, append([]string{"spec"}, path...)...)
	return s
}

// ref returns the object spec.<field> of obj refers to, as Kind/name.
func (m *matcher) ref(obj, field, kind string) string {
	name := m.spec(obj, field, "from", "name")
	if name == "" {
		return ""
	}
	return kind + "/" + name
}

// clusterName is spec.name of the rendered Cluster.
func (m *matcher) clusterName() string {
	for _, obj := range m.kindObjs("Cluster") {
		return m.spec(obj, "name")
	}
	return ""
}

// ambiguous records that several resources identify as obj.
func (m *matcher) ambiguous(obj string, rs []*Resource) {
	var addrs []string
	for _, r := range rs {
		addrs = append(addrs, r.Address)
	}
	slices.Sort(addrs)
	m.conflicts = append(m.conflicts, Conflict{Object: obj, Terraform: strings.Join(slices.Compact(addrs), ", "),
		Message: "several Terraform resources identify as this object; render adopts at most one"})
}

// refName returns the name the first object of kind refers to in field.
func (m *matcher) refName(kind, field string) string {
	for _, obj := range m.kindObjs(kind) {
		if n := m.spec(obj, field, "from", "name"); n != "" {
			return n
		}
	}
	return ""
}

// byName matches objects of kind whose spec.name (spec.url for an OIDC
// provider) is the attribute attr of a resource of type t.
func (m *matcher) byName(kind, t, attr string) {
	for _, obj := range m.kindObjs(kind) {
		field := "name"
		if kind == "OpenIDConnectProvider" {
			field = "url"
		}
		want := m.spec(obj, field)
		rs := m.free(t, func(r *Resource) bool {
			have := r.str(attr)
			if kind == "OpenIDConnectProvider" { // Terraform keeps the URL without https://
				have, want = strings.TrimPrefix(have, "https://"), strings.TrimPrefix(want, "https://")
			}
			return want != "" && have == want
		})
		if len(rs) == 1 {
			m.adopt(obj, rs[0], field+" "+want)
		}
	}
}

// eksChildren matches node groups and Fargate profiles by their cluster
// and name.
func (m *matcher) eksChildren(kind, t, attr string) {
	for _, obj := range m.kindObjs(kind) {
		cluster := m.spec(m.ref(obj, "clusterRef", "Cluster"), "name")
		if c := m.spec(obj, "clusterName"); c != "" {
			cluster = c
		}
		name := m.spec(obj, "name")
		rs := m.free(t, func(r *Resource) bool { return r.str("cluster_name") == cluster && r.str(attr) == name })
		if len(rs) == 1 {
			m.adopt(obj, rs[0], "cluster "+cluster+", name "+name)
		}
	}
}

// accessEntries matches an access entry by its cluster and principal.
func (m *matcher) accessEntries() {
	for _, obj := range m.kindObjs("AccessEntry") {
		cluster := m.spec(m.ref(obj, "clusterRef", "Cluster"), "name")
		principal := m.spec(obj, "principalARN")
		rs := m.free("aws_eks_access_entry", func(r *Resource) bool {
			return r.str("cluster_name") == cluster && r.str("principal_arn") == principal
		})
		if len(rs) == 1 {
			m.adopt(obj, rs[0], "cluster "+cluster+", principal "+principal)
		}
	}
}

// flowLogs matches a flow log by the adopted VPC it records.
func (m *matcher) flowLogs() {
	vpc := m.idOf(m.firstOf("VPC"))
	for _, obj := range m.kindObjs("FlowLog") {
		res := m.spec(obj, "resourceID")
		if res == "" || res != vpc {
			continue
		}
		rs := m.free("aws_flow_log", func(r *Resource) bool { return r.str("vpc_id") == res })
		if len(rs) == 1 {
			m.adopt(obj, rs[0], "records "+res)
		} else if len(rs) > 1 {
			m.ambiguous(obj, rs)
		}
	}
}

func (m *matcher) firstOf(kind string) string {
	if objs := m.kindObjs(kind); len(objs) > 0 {
		return objs[0]
	}
	return ""
}
