package graph_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/gen/gentest"
	"github.com/eks-render/render/internal/graph"
)

func build(t *testing.T, env string) []*unstructured.Unstructured {
	t.Helper()
	return gentest.ExampleObjects(t, env, false)
}

func names(level []*unstructured.Unstructured) string {
	var out []string
	for _, u := range level {
		out = append(out, u.GetKind()+"/"+u.GetName())
	}
	return strings.Join(out, " ")
}

func TestLevelsOfTheDevOverlay(t *testing.T) {
	levels, err := graph.New(build(t, "dev")).Levels()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Namespace/demo-dev",
		"ElasticIPAddress/nat-a LogGroup/cluster LogGroup/fargate LogGroup/flow-logs Role/cluster Role/fargate-pods Role/flow-logs VPC/vpc",
		// The private route tables get their NAT route with the second
		// phase (gen network.go): the private subnets, and the Cluster,
		// do not wait for the NAT gateway.
		"InternetGateway/igw RouteTable/private-a RouteTable/private-b",
		"RouteTable/public Subnet/private-a Subnet/private-b",
		"Cluster/demo Subnet/public-a Subnet/public-b",
		// EKS creates a cluster's Fargate profiles one at a time: first
		// the game's, which selects CoreDNS and the load balancer
		// controller too, then those the game does not need.
		"AccessEntry/admin-platformadmin Addon/kube-proxy Addon/vpc-cni FargateProfile/game-2048 NATGateway/nat-a",
		"FargateProfile/default",
		"FargateProfile/metrics-server",
	}
	var got []string
	for _, l := range levels {
		got = append(got, names(l))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("levels:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestEveryDependencyIsOnALowerLevel(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		objs := build(t, env)
		g := graph.New(objs)
		levels, err := g.Levels()
		if err != nil {
			t.Fatal(err)
		}
		at := map[string]int{}
		for n, l := range levels {
			for _, u := range l {
				at[graph.NameOf(u)] = n
			}
		}
		if len(at) != len(objs) {
			t.Fatalf("%d objects in levels, %d built", len(at), len(objs))
		}
		for _, u := range objs {
			deps := g.DependsOn(u)
			if u.GetKind() != "Namespace" && len(deps) == 0 {
				t.Errorf("%s depends on nothing, not even its namespace", graph.NameOf(u))
			}
			for _, d := range deps {
				if at[graph.NameOf(d)] >= at[graph.NameOf(u)] {
					t.Errorf("%s (level %d) depends on %s (level %d)", graph.NameOf(u), at[graph.NameOf(u)], graph.NameOf(d), at[graph.NameOf(d)])
				}
			}
		}
	}
}

func parse(t *testing.T, docs ...string) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	for _, d := range docs {
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(d), &u.Object); err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	return out
}

func TestCycleIsAnError(t *testing.T) {
	objs := parse(t,
		"{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: Subnet, metadata: {name: s, namespace: ns1}, spec: {routeTableRefs: [{from: {name: rt}}]}}",
		"{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: RouteTable, metadata: {name: rt, namespace: ns1}, spec: {routes: [{natGatewayRef: {from: {name: nat}}}]}}",
		"{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: NATGateway, metadata: {name: nat, namespace: ns1}, spec: {subnetRef: {from: {name: s}}}}",
	)
	_, err := graph.New(objs).Levels()
	if err == nil || !strings.Contains(err.Error(), "dependency cycle: ") || !strings.Contains(err.Error(), "Subnet/ns1/s") {
		t.Errorf("Levels = %v, want a cycle through Subnet/ns1/s", err)
	}
}

func TestReferencesOutsideTheSetAndOtherNamespaces(t *testing.T) {
	objs := parse(t,
		"{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: VPC, metadata: {name: vpc, namespace: a}}",
		"{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: Subnet, metadata: {name: s, namespace: b}, spec: {vpcRef: {from: {name: vpc}}}}",
		"{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: Subnet, metadata: {name: t, namespace: b}, spec: {vpcRef: {from: {name: vpc, namespace: a}}}}",
	)
	levels, err := graph.New(objs).Levels()
	if err != nil {
		t.Fatal(err)
	}
	if len(levels) != 2 || names(levels[0]) != "Subnet/s VPC/vpc" || names(levels[1]) != "Subnet/t" {
		t.Errorf("levels = %v", levels)
	}
}

// TestOrderingsBeyondReferences checks the declared orders: CoreDNS after
// the Fargate profiles that select its pods and the node groups of its
// namespace, a node group after vpc-cni, and nothing across namespaces.
func TestOrderingsBeyondReferences(t *testing.T) {
	const eks = "apiVersion: eks.services.k8s.aws/v1alpha1, "
	objs := parse(t,
		"{"+eks+"kind: Cluster, metadata: {name: c, namespace: a}, spec: {name: c}}",
		"{"+eks+"kind: Addon, metadata: {name: coredns, namespace: a}, spec: {name: coredns, clusterRef: {from: {name: c}}}}",
		"{"+eks+"kind: Addon, metadata: {name: vpc-cni, namespace: a}, spec: {name: vpc-cni, clusterRef: {from: {name: c}}}}",
		"{"+eks+"kind: Addon, metadata: {name: kube-proxy, namespace: a}, spec: {name: kube-proxy, clusterRef: {from: {name: c}}}}",
		"{"+eks+"kind: FargateProfile, metadata: {name: apps, namespace: a}, spec: {name: apps, clusterRef: {from: {name: c}}, selectors: [{namespace: apps}]}}",
		"{"+eks+"kind: Nodegroup, metadata: {name: system, namespace: a}, spec: {name: system, clusterRef: {from: {name: c}}}}",
		"{"+eks+"kind: Nodegroup, metadata: {name: other, namespace: b}, spec: {name: other}}",
	)
	checkLevels(t, objs,
		"Cluster/c Nodegroup/other",
		"Addon/kube-proxy Addon/vpc-cni FargateProfile/apps",
		"Nodegroup/system",
		"Addon/coredns",
	)
}

// TestClusterAfterItsControlPlaneLogGroup checks that a Cluster comes
// after the log group EKS writes its control-plane logs to, and after no
// other.
func TestClusterAfterItsControlPlaneLogGroup(t *testing.T) {
	const eks, logs = "apiVersion: eks.services.k8s.aws/v1alpha1, ", "apiVersion: cloudwatchlogs.services.k8s.aws/v1alpha1, "
	objs := parse(t,
		"{"+eks+"kind: Cluster, metadata: {name: c, namespace: a}, spec: {name: demo}}",
		"{"+logs+"kind: LogGroup, metadata: {name: cluster, namespace: a}, spec: {name: /aws/eks/demo/cluster}}",
		"{"+logs+"kind: LogGroup, metadata: {name: flow-logs, namespace: a}, spec: {name: /aws/vpc-flow-logs/demo}}",
		"{"+logs+"kind: LogGroup, metadata: {name: other, namespace: a}, spec: {name: /aws/eks/other/cluster}}",
	)
	checkLevels(t, objs,
		"LogGroup/cluster LogGroup/flow-logs LogGroup/other",
		"Cluster/c",
	)
	if got := names(graph.New(objs).DependsOn(objs[0])); got != "LogGroup/cluster" {
		t.Errorf("Cluster/c depends on %q, want LogGroup/cluster", got)
	}
	for _, env := range []string{"dev", "prod"} {
		rendered := build(t, env)
		for _, u := range rendered {
			if u.GetKind() == "Cluster" && !strings.Contains(" "+names(graph.New(rendered).DependsOn(u))+" ", " LogGroup/cluster ") {
				t.Errorf("%s: the Cluster does not wait for its control-plane LogGroup", env)
			}
		}
	}
}

// TestCoreDNSWaitsForTheProfilesThatSelectIt checks that on Fargate CoreDNS
// waits only for the profiles that select its pods (a selector on
// kube-system with no labels, or with labels its pods carry), and for
// every profile when none does and there is no node group.
func TestCoreDNSWaitsForTheProfilesThatSelectIt(t *testing.T) {
	const eks = "apiVersion: eks.services.k8s.aws/v1alpha1, "
	coredns := "{" + eks + "kind: Addon, metadata: {name: coredns, namespace: a}, spec: {name: coredns}}"
	profile := func(name, selector string) string {
		return "{" + eks + "kind: FargateProfile, metadata: {name: " + name + ", namespace: a}, spec: {name: " + name +
			", selectors: [" + selector + "]}}"
	}
	for _, tc := range []struct {
		name     string
		profiles []string
		want     string
	}{
		{"by labels", []string{
			profile("dns", "{namespace: kube-system, labels: {k8s-app: kube-dns}}"),
			profile("lbc", "{namespace: kube-system, labels: {app.kubernetes.io/name: aws-load-balancer-controller}}"),
			profile("game", "{namespace: 2048-game}"),
		}, "FargateProfile/a/dns"},
		{"whole namespace", []string{
			profile("apps", "{namespace: apps}"),
			profile("system", "{namespace: kube-system}"),
		}, "FargateProfile/a/system"},
		{"none selects it", []string{
			profile("apps", "{namespace: apps}"),
			profile("wrong-labels", "{namespace: kube-system, labels: {k8s-app: other}}"),
		}, "FargateProfile/a/apps FargateProfile/a/wrong-labels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			objs := parse(t, append([]string{coredns}, tc.profiles...)...)
			var got []string
			for _, d := range graph.New(objs).DependsOn(objs[0]) {
				got = append(got, graph.NameOf(d))
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("coredns depends on %v, want %s", got, tc.want)
			}
		})
	}
}

func TestFargateProfilesOfAClusterFormAChain(t *testing.T) {
	const eks = "apiVersion: eks.services.k8s.aws/v1alpha1, "
	profile := func(name, ns, cluster, selects string) string {
		return "{" + eks + "kind: FargateProfile, metadata: {name: " + name + ", namespace: " + ns + "}, spec: {name: " + name +
			", clusterRef: {from: {name: " + cluster + "}}, selectors: [{namespace: " + selects + "}]}}"
	}
	objs := parse(t,
		profile("apps", "a", "c", "apps"),
		profile("system", "a", "c", "kube-system"),
		profile("batch", "a", "c", "batch"),
		profile("game", "a", "c", "2048-game"),
		profile("other-cluster", "a", "d", "x"),
		profile("other-namespace", "b", "c", "y"),
	)
	// kube-system's first (CoreDNS), the game's next, then by name.
	checkLevels(t, objs,
		"FargateProfile/other-cluster FargateProfile/system FargateProfile/other-namespace",
		"FargateProfile/game",
		"FargateProfile/apps",
		"FargateProfile/batch",
	)
}

// checkLevels compares the levels of objs, an object's Kind/name each,
// with want, one string per level.
func checkLevels(t *testing.T, objs []*unstructured.Unstructured, want ...string) {
	t.Helper()
	levels, err := graph.New(objs).Levels()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range levels {
		got = append(got, names(l))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("levels:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPodsComeAfterTheFargateLoggingConfigMap: EKS configures a Fargate
// pod's log router when the pod starts, from the ConfigMap as it is then,
// so every workload with pods is on a later level than the ConfigMap.
func TestPodsComeAfterTheFargateLoggingConfigMap(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		levels, err := graph.New(gentest.ExampleObjects(t, env, true)).Levels()
		if err != nil {
			t.Fatal(err)
		}
		at, pods := -1, map[string]int{}
		for n, l := range levels {
			for _, u := range l {
				switch {
				case u.GetKind() == "ConfigMap" && u.GetNamespace() == graph.FargateLogging.Namespace && u.GetName() == graph.FargateLogging.ConfigMap:
					at = n
				case hasPods(u):
					pods[graph.NameOf(u)] = n
				}
			}
		}
		if at < 0 || len(pods) == 0 {
			t.Fatalf("%s: ConfigMap on level %d, %d workloads with pods; want both", env, at, len(pods))
		}
		for name, n := range pods {
			if n <= at {
				t.Errorf("%s: %s is on level %d, not after the logging ConfigMap's %d", env, name, n, at)
			}
		}
	}
}

func hasPods(u *unstructured.Unstructured) bool {
	_, found, _ := unstructured.NestedMap(u.Object, "spec", "template", "spec")
	return found && u.GetKind() != "ReplicaSet"
}
