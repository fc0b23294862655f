package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/graph"
)

// TestApplyTakesTheShorterPath is issue 30's order on the test apiservers:
// render apply dev, acksim playing the ACK controllers with a NAT gateway
// slower than the cluster. The Cluster's create call comes before the NAT
// gateway is available (the private route tables get their NAT route only
// with the second phase, and end with it); the game's Deployment reaches
// the new cluster once one Fargate profile is ACTIVE, the one that
// selects its pods, CoreDNS's and the load balancer controller's, while
// the profiles it does not need are still to come.
func TestApplyTakesTheShorterPath(t *testing.T) {
	apitest.Skip(t)
	workload := newCluster(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: short")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sim := acksim.New(env.Client, "short-dev", reaching(workload, acksim.Options{Interval: 50 * time.Millisecond,
		Delay: map[string]time.Duration{"NATGateway/nat-a": 2 * time.Second, "Cluster/short": 500 * time.Millisecond,
			"FargateProfile/game-2048": 300 * time.Millisecond, "FargateProfile/default": time.Second, "FargateProfile/metrics-server": time.Second}}))
	sim.Start(t)
	var created firstSeen
	deployments := []*unstructured.Unstructured{{}}
	deployments[0].SetAPIVersion("apps/v1")
	deployments[0].SetKind("Deployment")
	apitest.WatchKinds(t, workload.Config, deployments, func(typ watch.EventType, u *unstructured.Unstructured) {
		if typ == watch.Added {
			created.add(graph.NameOf(u))
		}
	})
	code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m")
	if code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	first := func(object, what string) time.Time {
		for _, e := range sim.Events() {
			if e.Object == object && e.What == what {
				return e.Time
			}
		}
		t.Fatalf("acksim never recorded %s %s", object, what)
		return time.Time{}
	}
	if creating, nat := first("Cluster/short-dev/short", "creating"), first("NATGateway/short-dev/nat-a", "synced"); !creating.Before(nat) {
		t.Errorf("the Cluster was created at %s, not before the NAT gateway was available at %s", creating.Format(time.StampMilli), nat.Format(time.StampMilli))
	}
	for _, name := range []string{"private-a", "private-b"} {
		rt := liveObject(t, "short-dev", "RouteTable/"+name)
		routes, _, _ := unstructured.NestedSlice(rt.Object, "spec", "routes")
		if len(routes) != 1 || !hasNATRef(routes[0]) {
			t.Errorf("RouteTable/%s ends with routes %v, want its route to the NAT gateway", name, routes)
		}
	}
	game, ok := created.get("Deployment/2048-game/app-2048")
	if !ok {
		t.Fatal("the game's Deployment never reached the new cluster")
	}
	var active []string
	for _, e := range sim.Events() {
		if strings.HasPrefix(e.Object, "FargateProfile/") && e.What == "synced" && e.Time.Before(game) && !slices.Contains(active, e.Object) {
			active = append(active, e.Object)
		}
	}
	if strings.Join(active, " ") != "FargateProfile/short-dev/game-2048" {
		t.Errorf("Fargate profiles ACTIVE when the game's Deployment was created: %v; want the game's only", active)
	}
	profile := liveObject(t, "short-dev", "FargateProfile/game-2048")
	for _, pods := range graph.PlayablePods {
		if !graph.Selects(profile, pods) {
			t.Errorf("FargateProfile/short-dev/game-2048 does not select %v", pods)
		}
	}
}

// hasNATRef reports whether a route of a RouteTable's spec names a NAT
// gateway by reference.
func hasNATRef(route any) bool {
	r, _ := route.(map[string]any)
	name, _, _ := unstructured.NestedString(r, "natGatewayRef", "from", "name")
	return name != ""
}
