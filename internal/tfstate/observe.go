package tfstate

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// observed returns obj as the existing resource r would be written as an
// ACK object: render's spec with every field Terraform knows replaced by
// Terraform's value, IDs of adopted resources written as references to
// their objects. Comparing it with render's object shows what adopting
// changes.
func (m *matcher) observed(obj string, r *Resource) *unstructured.Unstructured {
	u := trim(m.objs[obj])
	spec, _ := u.Object["spec"].(map[string]any)
	if spec == nil {
		spec = map[string]any{}
		u.Object["spec"] = spec
	}
	kind, _, _ := strings.Cut(obj, "/")
	if f := overlays[kind]; f != nil {
		f(m, spec, r)
	}
	return u
}

// trim returns a copy of u's kind, name, namespace and spec: what
// adopting compares.
func trim(u *unstructured.Unstructured) *unstructured.Unstructured {
	c := u.DeepCopy()
	out := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": c.GetAPIVersion(), "kind": c.GetKind(),
		"metadata": map[string]any{"name": c.GetName(), "namespace": c.GetNamespace()},
	}}
	if spec, ok := c.Object["spec"]; ok {
		out.Object["spec"] = spec
	}
	return out
}

// overlays write, per kind, what Terraform knows into an object's spec.
var overlays = map[string]func(m *matcher, spec map[string]any, r *Resource){
	"VPC": func(m *matcher, spec map[string]any, r *Resource) {
		spec["cidrBlocks"] = []any{r.str("cidr_block")}
		spec["enableDNSHostnames"], spec["enableDNSSupport"] = r.flag("enable_dns_hostnames"), r.flag("enable_dns_support")
		spec["tags"] = listTags(r)
	},
	"Subnet": func(m *matcher, spec map[string]any, r *Resource) {
		spec["cidrBlock"], spec["availabilityZone"] = r.str("cidr_block"), r.str("availability_zone")
		spec["mapPublicIPOnLaunch"] = r.flag("map_public_ip_on_launch")
		m.refOrID(spec, "vpcRef", "vpcID", r.str("vpc_id"))
		var tables []string
		for _, a := range m.byType["aws_route_table_association"] {
			if a.str("subnet_id") == r.id() {
				tables = append(tables, a.str("route_table_id"))
			}
		}
		m.refsOrIDs(spec, "routeTableRefs", "routeTables", tables)
		spec["tags"] = listTags(r)
	},
	"InternetGateway": func(m *matcher, spec map[string]any, r *Resource) {
		m.refOrID(spec, "vpcRef", "vpc", r.str("vpc_id"))
		spec["tags"] = listTags(r)
	},
	"ElasticIPAddress": func(m *matcher, spec map[string]any, r *Resource) { spec["tags"] = listTags(r) },
	"NATGateway": func(m *matcher, spec map[string]any, r *Resource) {
		m.refOrID(spec, "subnetRef", "subnetID", r.str("subnet_id"))
		m.refOrID(spec, "allocationRef", "allocationID", r.str("allocation_id"))
		if c := r.str("connectivity_type"); c != "" {
			spec["connectivityType"] = c
		}
		spec["tags"] = listTags(r)
	},
	"RouteTable": func(m *matcher, spec map[string]any, r *Resource) {
		m.refOrID(spec, "vpcRef", "vpcID", r.str("vpc_id"))
		spec["routes"] = m.routes(r)
		spec["tags"] = listTags(r)
	},
	"Role": func(m *matcher, spec map[string]any, r *Resource) {
		spec["name"] = r.str("name")
		setPolicy(spec, "assumeRolePolicyDocument", r.str("assume_role_policy"))
		var arns []any
		inline := map[string]any{}
		for _, a := range m.byType["aws_iam_role_policy_attachment"] {
			if a.str("role") == r.str("name") {
				arns = append(arns, a.str("policy_arn"))
			}
		}
		for _, p := range m.byType["aws_iam_role_policy"] {
			if p.str("role") == r.str("name") {
				inline[p.str("name")] = p.str("policy")
				if d, ok := spec["inlinePolicies"].(map[string]any); ok {
					setPolicy(inline, p.str("name"), p.str("policy"), d[p.str("name")])
				}
			}
		}
		setSet(spec, "policies", arns)
		setMap(spec, "inlinePolicies", inline)
		spec["tags"] = listTags(r)
	},
	"Policy": func(m *matcher, spec map[string]any, r *Resource) {
		spec["name"] = r.str("name")
		setPolicy(spec, "policyDocument", r.str("policy"))
		spec["tags"] = listTags(r)
	},
	"LogGroup": func(m *matcher, spec map[string]any, r *Resource) {
		spec["name"] = r.str("name")
		delete(spec, "retentionDays")
		if n, ok := r.num("retention_in_days"); ok && n > 0 {
			spec["retentionDays"] = n
		}
		setMap(spec, "tags", mapTags(r))
	},
	"Cluster": func(m *matcher, spec map[string]any, r *Resource) {
		spec["name"], spec["version"] = r.str("name"), r.str("version")
		m.refOrID(spec, "roleRef", "roleARN", r.str("role_arn"))
		vpc, _ := spec["resourcesVPCConfig"].(map[string]any)
		if vpc == nil {
			vpc = map[string]any{}
			spec["resourcesVPCConfig"] = vpc
		}
		m.refsOrIDs(vpc, "subnetRefs", "subnetIDs", r.strs("vpc_config", 0, "subnet_ids"))
		vpc["endpointPublicAccess"] = r.flag("vpc_config", 0, "endpoint_public_access")
		vpc["endpointPrivateAccess"] = r.flag("vpc_config", 0, "endpoint_private_access")
		if _, ok := vpc["publicAccessCIDRs"]; ok {
			setSet(vpc, "publicAccessCIDRs", anys(r.strs("vpc_config", 0, "public_access_cidrs")))
		}
		if types := r.strs("enabled_cluster_log_types"); len(types) > 0 {
			spec["logging"] = map[string]any{"clusterLogging": []any{map[string]any{"enabled": true, "types": anys(types)}}}
		} else {
			delete(spec, "logging")
		}
		setMap(spec, "tags", mapTags(r))
	},
	"Nodegroup": func(m *matcher, spec map[string]any, r *Resource) {
		spec["name"] = r.str("node_group_name")
		m.refOrID(spec, "nodeRoleRef", "nodeRole", r.str("node_role_arn"))
		m.refsOrIDs(spec, "subnetRefs", "subnets", r.strs("subnet_ids"))
		setSet(spec, "instanceTypes", anys(r.strs("instance_types")))
		sc := map[string]any{}
		for attr, field := range map[string]string{"min_size": "minSize", "max_size": "maxSize", "desired_size": "desiredSize"} {
			if n, ok := r.num("scaling_config", 0, attr); ok {
				sc[field] = n
			}
		}
		spec["scalingConfig"] = sc
		if c := r.str("capacity_type"); c != "" {
			spec["capacityType"] = c
		}
		setMap(spec, "tags", mapTags(r))
	},
	"FargateProfile": func(m *matcher, spec map[string]any, r *Resource) {
		spec["name"] = r.str("fargate_profile_name")
		m.refOrID(spec, "podExecutionRoleRef", "podExecutionRoleARN", r.str("pod_execution_role_arn"))
		m.refsOrIDs(spec, "subnetRefs", "subnets", r.strs("subnet_ids"))
		var sel []any
		for _, s := range r.list("selector") {
			e := map[string]any{"namespace": s["namespace"]}
			if l, ok := s["labels"].(map[string]any); ok && len(l) > 0 {
				e["labels"] = l
			}
			sel = append(sel, e)
		}
		spec["selectors"] = sel
		setMap(spec, "tags", mapTags(r))
	},
	"OpenIDConnectProvider": func(m *matcher, spec map[string]any, r *Resource) {
		spec["url"] = "https://" + strings.TrimPrefix(r.str("url"), "https://")
		setSet(spec, "clientIDs", anys(r.strs("client_id_list")))
		spec["tags"] = listTags(r)
	},
	"FlowLog": func(m *matcher, spec map[string]any, r *Resource) {
		spec["resourceID"], spec["resourceType"] = r.str("vpc_id"), "VPC"
		spec["trafficType"] = r.str("traffic_type")
		if t := r.str("log_destination_type"); t != "" {
			spec["logDestinationType"] = t
		}
		group := r.str("log_group_name")
		if group == "" {
			group = logGroupOf(r.str("log_destination"))
		}
		m.refOrName(spec, "logGroupRef", "logGroupName", group)
		m.refOrID(spec, "deliverLogsPermissionRef", "deliverLogsPermissionARN", r.str("iam_role_arn"))
		spec["tags"] = listTags(r)
	},
}

// refOrID writes spec.<refField> as a reference to the object that adopts
// the resource with AWS ID or ARN id, else spec.<idField> as id.
func (m *matcher) refOrID(spec map[string]any, refField, idField, id string) {
	delete(spec, refField)
	delete(spec, idField)
	if obj := m.objectFor(id); obj != "" {
		_, name, _ := strings.Cut(obj, "/")
		spec[refField] = map[string]any{"from": map[string]any{"name": name}}
	} else if id != "" {
		spec[idField] = id
	}
}

// refOrName is refOrID for a log group, which a flow log names.
func (m *matcher) refOrName(spec map[string]any, refField, nameField, group string) {
	for _, obj := range m.kindObjs("LogGroup") {
		if m.match[obj] != nil && m.match[obj].str("name") == group {
			m.refOrID(spec, refField, nameField, m.match[obj].id())
			return
		}
	}
	m.refOrID(spec, refField, nameField, group)
}

// refsOrIDs is refOrID for a list: references where the resource is
// adopted, IDs where not. When it names the same objects as render's
// list, render's order is kept: the order means nothing to AWS.
func (m *matcher) refsOrIDs(spec map[string]any, refsField, idsField string, ids []string) {
	var refs, raw []any
	names := map[string]bool{}
	for _, id := range ids {
		if obj := m.objectFor(id); obj != "" {
			_, name, _ := strings.Cut(obj, "/")
			names[name] = true
			refs = append(refs, map[string]any{"from": map[string]any{"name": name}})
		} else if id != "" {
			raw = append(raw, id)
		}
	}
	if want, ok := spec[refsField].([]any); ok && len(raw) == 0 && len(want) == len(refs) &&
		!slices.ContainsFunc(want, func(v any) bool { return !names[refTo(v)] }) {
		refs = want
	}
	delete(spec, refsField)
	delete(spec, idsField)
	if len(refs) > 0 {
		spec[refsField] = refs
	}
	if len(raw) > 0 {
		spec[idsField] = raw
	}
}

// routes are a route table's routes, inline and as aws_route resources,
// sorted by destination.
func (m *matcher) routes(rt *Resource) []any {
	type route struct{ dest, gw, nat string }
	var rs []route
	for _, r := range rt.list("route") {
		rs = append(rs, route{str(r["cidr_block"]), str(r["gateway_id"]), str(r["nat_gateway_id"])})
	}
	for _, r := range m.byType["aws_route"] {
		if r.str("route_table_id") == rt.id() {
			rs = append(rs, route{r.str("destination_cidr_block"), r.str("gateway_id"), r.str("nat_gateway_id")})
		}
	}
	slices.SortFunc(rs, func(a, b route) int { return strings.Compare(a.dest, b.dest) })
	rs = slices.Compact(rs)
	out := []any{}
	for _, r := range rs {
		e := map[string]any{"destinationCIDRBlock": r.dest}
		if r.gw != "" {
			m.refOrID(e, "gatewayRef", "gatewayID", r.gw)
		}
		if r.nat != "" {
			m.refOrID(e, "natGatewayRef", "natGatewayID", r.nat)
		}
		out = append(out, e)
	}
	return out
}

// listTags is the list-shaped tag set of an EC2 or IAM resource.
func listTags(r *Resource) []any {
	t := r.tags()
	out := []any{}
	for _, k := range slices.Sorted(maps.Keys(t)) {
		out = append(out, map[string]any{"key": k, "value": t[k]})
	}
	return out
}

// mapTags is the map-shaped tag set of an EKS or CloudWatch Logs resource.
func mapTags(r *Resource) map[string]any {
	out := map[string]any{}
	for k, v := range r.tags() {
		out[k] = v
	}
	return out
}

// setPolicy writes the JSON policy document have at m[key], as render's
// own text (want, else m[key]) when both mean the same policy: only what
// a policy says counts, not how it is laid out.
func setPolicy(m map[string]any, key, have string, want ...any) {
	w, _ := m[key].(string)
	if len(want) > 0 {
		w, _ = want[0].(string)
	}
	if canonical(have) != "" && canonical(have) == canonical(w) {
		have = w
	}
	m[key] = have
}

// canonical is a JSON document re-encoded with sorted keys, "" if it is
// not JSON.
func canonical(doc string) string {
	var v any
	if json.Unmarshal([]byte(doc), &v) != nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// setSet writes a list whose order means nothing: render's list when it
// has the same elements.
func setSet(m map[string]any, key string, have []any) {
	if want, ok := m[key].([]any); ok && sameElements(want, have) {
		return
	}
	delete(m, key)
	if len(have) > 0 {
		m[key] = have
	}
}

func sameElements(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	as, bs := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		as[i], bs[i] = canonicalAny(a[i]), canonicalAny(b[i])
	}
	slices.Sort(as)
	slices.Sort(bs)
	return slices.Equal(as, bs)
}

func canonicalAny(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// setMap writes a map, or removes the key when it is empty.
func setMap(m map[string]any, key string, v map[string]any) {
	delete(m, key)
	if len(v) > 0 {
		m[key] = v
	}
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// logGroupOf returns the log group name in a CloudWatch Logs ARN.
func logGroupOf(arn string) string {
	_, rest, ok := strings.Cut(arn, ":log-group:")
	if !ok {
		return ""
	}
	return strings.TrimSuffix(rest, ":*")
}
