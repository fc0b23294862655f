package tfstate

import (
	"maps"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
)

// Matching by what a resource does, for states whose resources have names
// of their own: finleap/tf-eks-fargate-tmpl (commit b2e39be), the template
// most Terraform-built Fargate platforms started from, names its roles
// "${var.name}-eks-cluster-role", "${var.name}-eks-fargate-pod-execution-role"
// and "${var.name}-eks-node-group-role" (eks/main.tf, eks/app.tf), its
// Fargate profile "fp-default" (eks/app.tf), its node group "kube-system"
// (eks/main.tf), its flow log's role "${var.name}-${var.environment}-vpc-flow-logs-role"
// and log group "/aws/vpc/${var.name}-${var.environment}/flow" (vpc/main.tf).
// None is the name render gives the same object, so matching by name would
// create twins next to them. An object matched here adopts the resource
// under its AWS name: the matcher renames it (spec.name), import records
// the name in imports/ENV.yaml (config.Adoption.Name) and gen renders it.

// roleReferrers are the objects whose adopted resource names a role: the
// referring kind, its reference field, and the Terraform attribute of its
// resource that holds the role's ARN (Terraform AWS provider docs,
// website/docs/r/eks_cluster.html.markdown role_arn,
// eks_fargate_profile.html.markdown pod_execution_role_arn,
// eks_node_group.html.markdown node_role_arn, flow_log.html.markdown
// iam_role_arn).
var roleReferrers = []struct{ kind, ref, attr string }{
	{"Cluster", "roleRef", "role_arn"},
	{"FargateProfile", "podExecutionRoleRef", "pod_execution_role_arn"},
	{"Nodegroup", "nodeRoleRef", "node_role_arn"},
	{"FlowLog", "deliverLogsPermissionRef", "iam_role_arn"},
}

// rename gives obj the AWS name of the resource it adopts.
func (m *matcher) rename(obj, name string) {
	if m.spec(obj, "name") == name {
		return
	}
	_ = unstructured.SetNestedField(m.objs[obj].Object, name, "spec", "name")
	m.renamed[obj] = name
}

// rolesByReference matches each role no name matched to the role the
// resources of the objects referring to it run with: the template's
// cluster role is the one its cluster's role_arn names.
func (m *matcher) rolesByReference() {
	for _, obj := range m.kindObjs("Role") {
		if m.match[obj] != nil {
			continue
		}
		var arns []string
		for _, rr := range roleReferrers {
			for _, from := range m.kindObjs(rr.kind) {
				if r := m.match[from]; r != nil && m.ref(from, rr.ref, "Role") == obj && r.str(rr.attr) != "" {
					arns = append(arns, r.str(rr.attr))
				}
			}
		}
		slices.Sort(arns)
		arns = slices.Compact(arns)
		rs := m.free("aws_iam_role", func(r *Resource) bool { return slices.Contains(arns, r.str("arn")) })
		switch {
		case len(rs) == 1:
			m.adopt(obj, rs[0], "the role "+rs[0].str("arn")+" of what adopts it")
			m.rename(obj, rs[0].str("name"))
		case len(rs) > 1:
			m.ambiguous(obj, rs)
		}
	}
}

// logGroupsByReference matches a log group no name matched to the one
// the adopted flow log delivers to (log_destination, or log_group_name in
// providers before 3.0).
func (m *matcher) logGroupsByReference() {
	for _, obj := range m.kindObjs("LogGroup") {
		if m.match[obj] != nil {
			continue
		}
		var names []string
		for _, from := range m.kindObjs("FlowLog") {
			if r := m.match[from]; r != nil && m.ref(from, "logGroupRef", "LogGroup") == obj {
				names = append(names, logGroupOf(r.str("log_destination")), r.str("log_group_name"))
			}
		}
		rs := m.free("aws_cloudwatch_log_group", func(r *Resource) bool { return r.str("name") != "" && slices.Contains(names, r.str("name")) })
		if len(rs) == 1 {
			m.adopt(obj, rs[0], "the log group of what adopts it, "+rs[0].str("name"))
			m.rename(obj, rs[0].str("name"))
		}
	}
}

// fargateBySelectors matches a Fargate profile no name matched to the one
// profile of its cluster that already selects every namespace it selects
// (the template's fp-default selects default and 2048-game, render's
// default only default): the pods it is for run there today. A profile
// that two rendered profiles could take, or two profiles one could, is
// left to be created.
func (m *matcher) fargateBySelectors() {
	cand := map[string][]*Resource{}
	takers := map[string]int{}
	for _, obj := range m.kindObjs("FargateProfile") {
		if m.match[obj] != nil {
			continue
		}
		cluster := m.clusterOf(obj)
		want := selectorNamespaces(m.objs[obj])
		cand[obj] = m.free("aws_eks_fargate_profile", func(r *Resource) bool {
			have := map[string]bool{}
			for _, s := range r.list("selector") {
				have[str(s["namespace"])] = true
			}
			return r.str("cluster_name") == cluster && len(want) > 0 &&
				!slices.ContainsFunc(want, func(ns string) bool { return !have[ns] })
		})
		for _, r := range cand[obj] {
			takers[r.Address]++
		}
	}
	for _, obj := range m.kindObjs("FargateProfile") {
		if rs := cand[obj]; len(rs) == 1 && takers[rs[0].Address] == 1 {
			m.adopt(obj, rs[0], "cluster "+rs[0].str("cluster_name")+", selects every namespace it selects")
			m.rename(obj, rs[0].str("fargate_profile_name"))
		}
	}
}

// nodegroupsByCluster matches the one node group render renders for a
// cluster to the one node group the state has for it (the template's
// kube-system).
func (m *matcher) nodegroupsByCluster() {
	objs := slices.DeleteFunc(m.kindObjs("Nodegroup"), func(o string) bool { return m.match[o] != nil })
	if len(objs) != 1 {
		return
	}
	cluster := m.clusterOf(objs[0])
	rs := m.free("aws_eks_node_group", func(r *Resource) bool { return r.str("cluster_name") == cluster })
	if len(rs) == 1 {
		m.adopt(objs[0], rs[0], "cluster "+cluster+", its one node group")
		m.rename(objs[0], rs[0].str("node_group_name"))
	}
}

// renderNamed renders again with the AWS names m found, and matches
// again: the renamed objects now match by name, and keep how they were
// found and that they are renamed.
func (m *matcher) renderNamed(in Input, late config.LateValues) ([]*unstructured.Unstructured, *matcher, error) {
	var adopt []config.Adoption
	for _, obj := range slices.Sorted(maps.Keys(m.renamed)) {
		adopt = append(adopt, config.Adoption{Object: obj, Terraform: m.match[obj].Address, Name: m.renamed[obj],
			Fields: m.adoptionFields(obj, m.match[obj])})
	}
	objs, err := in.Render(late, adopt)
	if err != nil {
		return nil, nil, err
	}
	named := newMatcher(objs, in.State)
	named.run()
	for obj, name := range m.renamed {
		if r := named.match[obj]; r != nil && r.Address == m.match[obj].Address {
			named.renamed[obj], named.how[obj] = name, m.how[obj]
		}
	}
	return objs, named, nil
}

// clusterOf is the EKS cluster name an EKS child object belongs to.
func (m *matcher) clusterOf(obj string) string {
	if c := m.spec(obj, "clusterName"); c != "" {
		return c
	}
	return m.spec(m.ref(obj, "clusterRef", "Cluster"), "name")
}

// selectorNamespaces are the namespaces of u's spec.selectors, sorted.
func selectorNamespaces(u *unstructured.Unstructured) []string {
	sel, _, _ := unstructured.NestedSlice(u.Object, "spec", "selectors")
	var out []string
	for _, s := range sel {
		if mm, ok := s.(map[string]any); ok {
			out = append(out, str(mm["namespace"]))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
