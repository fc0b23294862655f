package gen

import (
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// RBAC object names, as the v3.5.0 chart names them.
const (
	lbcClusterRole   = lbcName + "-role"
	lbcClusterRB     = lbcName + "-rolebinding"
	lbcLeaderRole    = lbcName + "-leader-election-role"
	lbcLeaderRB      = lbcName + "-leader-election-rolebinding"
	lbcLeaderElectID = lbcName + "-leader" // the controller's default --leader-election-id
)

// rule is a PolicyRule; verbs and resources as the chart lists them.
func rule(groups, resources, verbs []string) rbacv1.PolicyRule {
	return rbacv1.PolicyRule{APIGroups: groups, Resources: resources, Verbs: verbs}
}

// lbcClusterRules are the v3.5.0 controller's cluster-wide rules (the
// chart's rbac.yaml, generated there from config/rbac/role.yaml), without
// the optional read access to all Secrets.
func lbcClusterRules() []rbacv1.PolicyRule {
	core, elbv2, aga := []string{""}, []string{"elbv2.k8s.aws"}, []string{"aga.k8s.aws"}
	gw, gwAWS := []string{"gateway.networking.k8s.io"}, []string{"gateway.k8s.aws"}
	ingress := []string{"extensions", "networking.k8s.io"}
	read, patch := []string{"get", "list", "watch"}, []string{"patch", "update"}
	gwConfigs := []string{"listenerruleconfigurations", "loadbalancerconfigurations", "targetgroupconfigurations"}
	routes := []string{"grpcroutes", "httproutes", "listenersets", "tcproutes", "tlsroutes", "udproutes"}
	return []rbacv1.PolicyRule{
		rule(core, []string{"configmaps"}, []string{"create", "delete", "get", "update"}),
		rule(core, []string{"endpoints", "namespaces", "nodes", "pods"}, read),
		rule(core, []string{"events"}, []string{"create", "patch"}),
		rule(core, []string{"pods/status", "services/status"}, patch),
		rule(core, []string{"services"}, []string{"get", "list", "patch", "update", "watch"}),
		rule(aga, []string{"globalaccelerators"}, []string{"get", "list", "patch", "watch"}),
		rule(aga, []string{"globalaccelerators/finalizers", "globalaccelerators/status"}, patch),
		rule([]string{"discovery.k8s.io"}, []string{"endpointslices"}, read),
		rule(elbv2, []string{"albtargetcontrolconfigs"}, []string{"get"}),
		rule(elbv2, []string{"ingressclassparams"}, read),
		rule(elbv2, []string{"targetgroupbindings"}, []string{"create", "delete", "get", "list", "patch", "update", "watch"}),
		rule(elbv2, []string{"targetgroupbindings/status"}, patch),
		rule(ingress, []string{"ingresses"}, []string{"get", "list", "patch", "update", "watch"}),
		rule(ingress, []string{"ingresses/status"}, patch),
		rule(gwAWS, gwConfigs, []string{"get", "list", "patch", "watch"}),
		rule(gwAWS, suffixed(gwConfigs, "/finalizers"), patch),
		rule(gwAWS, suffixed(gwConfigs, "/status"), []string{"get", "patch", "update"}),
		rule(gw, []string{"gatewayclasses", "gateways", "referencegrants"}, []string{"get", "list", "patch", "watch"}),
		rule(gw, []string{"gatewayclasses/finalizers", "gateways/finalizers"}, patch),
		rule(gw, append([]string{"gatewayclasses/status", "gateways/status"}, suffixed(routes, "/status")...), []string{"get", "patch", "update"}),
		rule(gw, routes, read),
		rule(gw, suffixed(routes, "/finalizers"), []string{"update"}),
		rule([]string{"networking.k8s.io"}, []string{"ingressclasses"}, read),
	}
}

func suffixed(names []string, suffix string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n + suffix
	}
	return out
}

// lbcLeaderRules let the controller hold its leader-election lease (and the
// ConfigMap lock older versions used) in its own namespace.
func lbcLeaderRules() []rbacv1.PolicyRule {
	core, coordination := []string{""}, []string{"coordination.k8s.io"}
	lock := []string{lbcLeaderElectID}
	return []rbacv1.PolicyRule{
		rule(core, []string{"configmaps"}, []string{"create"}),
		{APIGroups: core, Resources: []string{"configmaps"}, ResourceNames: lock, Verbs: []string{"get", "patch", "update"}},
		rule(coordination, []string{"leases"}, []string{"create"}),
		{APIGroups: coordination, Resources: []string{"leases"}, ResourceNames: lock, Verbs: []string{"get", "update", "patch"}},
	}
}

// lbcRBAC returns the ClusterRole and Role with their bindings to the
// controller's service account.
func (r *renderer) lbcRBAC() []any {
	subject := []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: lbcName, Namespace: lbcNamespace}}
	return []any{
		&rbacv1.ClusterRole{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
			ObjectMeta: r.lbcMeta(lbcClusterRole, ""),
			Rules:      lbcClusterRules(),
		},
		&rbacv1.ClusterRoleBinding{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRoleBinding"},
			ObjectMeta: r.lbcMeta(lbcClusterRB, ""),
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: lbcClusterRole},
			Subjects:   subject,
		},
		&rbacv1.Role{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "Role"},
			ObjectMeta: r.lbcMeta(lbcLeaderRole, lbcNamespace),
			Rules:      lbcLeaderRules(),
		},
		&rbacv1.RoleBinding{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding"},
			ObjectMeta: r.lbcMeta(lbcLeaderRB, lbcNamespace),
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: lbcLeaderRole},
			Subjects:   subject,
		},
	}
}
