package tfstate

import (
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
