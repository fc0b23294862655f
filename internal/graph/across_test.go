package graph_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/gen/gentest"
	"github.com/eks-render/render/internal/graph"
)

// TestAcrossTheWorkloadNeeds checks what each Deployment of the workload
// and the Ingress wait for on the management cluster, in a Fargate-only
// environment (dev) and one with a node group for kube-system (prod);
// every other object needs only the Cluster. Pods need the NAT gateways
// (their images), not CoreDNS; the Ingress needs CoreDNS (its controller
// reaches AWS by name).
const prodNATs = "NATGateway/demo-prod/nat-a NATGateway/demo-prod/nat-b NATGateway/demo-prod/nat-c"

func TestAcrossTheWorkloadNeeds(t *testing.T) {
	late := gentest.Late
	want := map[string]map[string]string{
		"dev": {
			"Deployment/2048-game/app-2048":                       "Cluster/demo-dev/demo FargateProfile/demo-dev/game-2048 NATGateway/demo-dev/nat-a",
			"Deployment/kube-system/aws-load-balancer-controller": "Cluster/demo-dev/demo FargateProfile/demo-dev/game-2048 NATGateway/demo-dev/nat-a Role/demo-dev/alb-controller",
			"Deployment/kube-system/metrics-server":               "Cluster/demo-dev/demo FargateProfile/demo-dev/metrics-server NATGateway/demo-dev/nat-a",
			"Ingress/2048-game/app-2048":                          "Addon/demo-dev/coredns Cluster/demo-dev/demo",
		},
		"prod": {
			"Deployment/2048-game/app-2048":                       "Cluster/demo-prod/demo FargateProfile/demo-prod/game-2048 " + prodNATs,
			"Deployment/kube-system/aws-load-balancer-controller": "Cluster/demo-prod/demo " + prodNATs + " Nodegroup/demo-prod/system Role/demo-prod/alb-controller",
			"Deployment/kube-system/metrics-server":               "Cluster/demo-prod/demo " + prodNATs + " Nodegroup/demo-prod/system",
			"Ingress/2048-game/app-2048":                          "Addon/demo-prod/coredns Cluster/demo-prod/demo",
		},
	}
	for env, deployments := range want {
		t.Run(env, func(t *testing.T) {
			work := gentest.EnvObjects(t, env, late, true)
			mgmt := gentest.EnvObjects(t, env, late, false)
			needs := graph.Across(work, mgmt)
			found := 0
			for w, u := range work {
				var names []string
				for _, i := range needs[w] {
					names = append(names, graph.NameOf(mgmt[i]))
				}
				sort.Strings(names)
				got := strings.Join(names, " ")
				exp, ok := deployments[graph.NameOf(u)]
				if !ok {
					exp = "Cluster/demo-" + env + "/demo"
				} else {
					found++
				}
				if got != exp {
					t.Errorf("%s needs %q, want %q", graph.NameOf(u), got, exp)
				}
			}
			if found != len(deployments) {
				t.Errorf("found %d of the %d Deployments and Ingresses", found, len(deployments))
			}
		})
	}
}

// TestAcrossRolesWithPathsAndNodes checks an IRSA role ARN with a path, a
// Job's pods, and pods no profile selects going to the node groups.
func TestAcrossRolesWithPathsAndNodes(t *testing.T) {
	const eks = "apiVersion: eks.services.k8s.aws/v1alpha1, "
	mgmt := parse(t,
		"{"+eks+"kind: FargateProfile, metadata: {name: jobs, namespace: a}, spec: {name: jobs, selectors: [{namespace: x, labels: {run: job}}]}}",
		"{"+eks+"kind: Nodegroup, metadata: {name: ng, namespace: a}, spec: {name: ng}}",
		"{apiVersion: iam.services.k8s.aws/v1alpha1, kind: Role, metadata: {name: r, namespace: a}, spec: {name: runner, path: /team/}}",
	)
	work := parse(t,
		"{apiVersion: v1, kind: ServiceAccount, metadata: {name: sa, namespace: x, annotations: {eks.amazonaws.com/role-arn: 'arn:aws:iam::111122223333:role/team/runner'}}}",
		"{apiVersion: batch/v1, kind: Job, metadata: {name: j, namespace: x}, spec: {template: {metadata: {labels: {run: job}}, spec: {serviceAccountName: sa}}}}",
		"{apiVersion: apps/v1, kind: Deployment, metadata: {name: d, namespace: x}, spec: {template: {metadata: {labels: {run: other}}}}}",
	)
	needs := graph.Across(work, mgmt)
	names := func(is []int) string {
		var out []string
		for _, i := range is {
			out = append(out, mgmt[i].GetName())
		}
		return strings.Join(out, " ")
	}
	if got := names(needs[1]); got != "jobs r" {
		t.Errorf("the Job needs %q, want \"jobs r\"", got)
	}
	if got := names(needs[2]); got != "ng" {
		t.Errorf("the Deployment no profile selects needs %q, want \"ng\"", got)
	}
	if got := names(needs[0]); got != "" {
		t.Errorf("the ServiceAccount needs %q, want nothing", got)
	}
}
