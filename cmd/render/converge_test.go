package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/graph"
)

// TestWorkloadStartsWhileManagementConverges is render apply dev with
// the Fargate profiles the game does not need (default, metrics-server)
// slow, and the game's profile, CoreDNS and the load balancer controller's
// role slow enough that applying what needs them early would show: the
// game and the load balancer controller reach the new cluster while the
// management cluster still creates profiles, and each only once what it
// needs there is synced.
//
// Times compare acksim's record of a write (taken when the write
// returned) with this test's watch of the new cluster (taken when the
// event arrived, after render saw the first, applied, and the apiserver
// told). Every gap the test relies on is a second (each delay below), so
// it allows acksim's record a quarter of a second to lag.
func TestWorkloadStartsWhileManagementConverges(t *testing.T) {
	apitest.Skip(t)
	workload := newCluster(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: early")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sim := acksim.New(env.Client, "early-dev", reaching(workload, acksim.Options{
		Interval: 50 * time.Millisecond,
		Delay: map[string]time.Duration{
			"FargateProfile/game-2048": time.Second,
			"Addon/coredns":            time.Second, "Role/alb-controller": time.Second,
			"FargateProfile/default": 4 * time.Second, "FargateProfile/metrics-server": 4 * time.Second,
		},
	}))
	sim.Start(t)
	var mu sync.Mutex
	created := map[string]time.Time{}
	deployment := &unstructured.Unstructured{}
	deployment.SetAPIVersion("apps/v1")
	deployment.SetKind("Deployment")
	apitest.WatchKinds(t, workload.Config, []*unstructured.Unstructured{deployment}, func(_ watch.EventType, u *unstructured.Unstructured) {
		mu.Lock()
		defer mu.Unlock()
		if _, ok := created[graph.NameOf(u)]; !ok {
			created[graph.NameOf(u)] = time.Now()
		}
	})
	code, out, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--output", "json")
	if code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	// One critical path per cluster, each from the start of the run: the
	// management cluster's through both phases, the workload's from
	// there across to the new cluster.
	type step struct {
		Object string `json:"object"`
	}
	var res struct {
		Workload struct {
			CriticalPath []step `json:"criticalPath"`
		} `json:"workload"`
		CriticalPath []step `json:"criticalPath"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	chain := func(steps []step) string {
		var names []string
		for _, s := range steps {
			names = append(names, s.Object)
		}
		return strings.Join(names, " -> ")
	}
	profiles := "Cluster/early-dev/early -> FargateProfile/early-dev/game-2048 -> " +
		"FargateProfile/early-dev/default -> FargateProfile/early-dev/metrics-server"
	if got := chain(res.CriticalPath); !strings.HasPrefix(got, "Namespace/early-dev -> VPC/early-dev/vpc -> ") || !strings.HasSuffix(got, profiles) {
		t.Errorf("management critical path: %s", got)
	}
	if got := chain(res.Workload.CriticalPath); !strings.HasPrefix(got, "Namespace/early-dev -> ") || !strings.HasSuffix(got, profiles+" -> Deployment/kube-system/metrics-server") {
		t.Errorf("workload critical path: %s", got)
	}
	synced := map[string]time.Time{}
	for _, e := range sim.Events() {
		if _, ok := synced[e.Object]; !ok && e.What == "synced" {
			synced[e.Object] = e.Time
		}
	}
	mu.Lock()
	defer mu.Unlock()
	game, lbc := created["Deployment/2048-game/app-2048"], created["Deployment/kube-system/aws-load-balancer-controller"]
	if game.IsZero() || lbc.IsZero() {
		t.Fatalf("the game or the load balancer controller never reached the new cluster: %v\n%s", created, errOut)
	}
	// Held until what each needs is synced (graph.Across).
	for _, c := range []struct {
		what string
		at   time.Time
		need string
	}{
		{"the game", game, "FargateProfile/early-dev/game-2048"},
		{"the game", game, "NATGateway/early-dev/nat-a"},
		{"the load balancer controller", lbc, "FargateProfile/early-dev/game-2048"},
		{"the load balancer controller", lbc, "NATGateway/early-dev/nat-a"},
		{"the load balancer controller", lbc, "Role/early-dev/alb-controller"},
	} {
		if s, ok := synced[c.need]; !ok || c.at.Before(s.Add(-250*time.Millisecond)) {
			t.Errorf("%s was created at %s, before %s was synced at %s", c.what, c.at.Format(time.StampMilli), c.need, s.Format(time.StampMilli))
		}
	}
	// Not held for CoreDNS, which the pods need only to resolve names
	// (graph.Across): both are on the new cluster before the coredns
	// add-on, applied once the game's profile is synced, is synced a
	// second later.
	if s := synced["Addon/early-dev/coredns"]; s.IsZero() || !game.Before(s.Add(-250*time.Millisecond)) || !lbc.Before(s.Add(-250*time.Millisecond)) {
		t.Errorf("the game (%s) or the load balancer controller (%s) waited for CoreDNS (synced %s)", game.Format(time.StampMilli), lbc.Format(time.StampMilli), s.Format(time.StampMilli))
	}
	// Not held for what it does not need: both are on the new cluster
	// well before the profiles after the game's are synced.
	for _, slow := range []string{"FargateProfile/early-dev/default", "FargateProfile/early-dev/metrics-server"} {
		if s := synced[slow]; s.IsZero() || !game.Before(s.Add(-time.Second)) || !lbc.Before(s.Add(-time.Second)) {
			t.Errorf("the game (%s) or the load balancer controller (%s) waited for %s (synced %s)", game.Format(time.StampMilli), lbc.Format(time.StampMilli), slow, s.Format(time.StampMilli))
		}
	}
	if i, j := strings.Index(errOut, "Ingress/2048-game/app-2048: http://"+albHost), strings.Index(errOut, "FargateProfile/early-dev/metrics-server Current"); i < 0 || j < 0 || i > j {
		t.Errorf("the game's address was not printed before the last profile was ready:\n%s", errOut)
	}
}

// TestConvergeStopsBothClustersOnAFailure: with the game's Fargate
// profile Terminal, render apply dev fails fast with the controller's
// message while the workload waits for that profile, and nothing of what
// needs the profile reaches the new cluster.
func TestConvergeStopsBothClustersOnAFailure(t *testing.T) {
	apitest.Skip(t)
	workload := newCluster(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: halt")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sim := acksim.New(env.Client, "halt-dev", reaching(workload, acksim.Options{
		Interval: 50 * time.Millisecond,
		// Slow enough that the workload is waiting when the profile fails.
		Delay: map[string]time.Duration{"FargateProfile/game-2048": time.Second},
	}))
	const msg = "InvalidParameterException: Subnet subnet-0123 is not a private subnet"
	sim.SetTerminal("FargateProfile/game-2048", msg)
	sim.Start(t)
	start := time.Now()
	code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m")
	if code != 1 || !strings.Contains(errOut, "FargateProfile/halt-dev/game-2048") || !strings.Contains(errOut, msg) {
		t.Fatalf("render apply = %d, want 1 naming the profile and the controller's message:\n%s", code, errOut)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %s to fail", d)
	}
	if !strings.Contains(errOut, "workload: ") {
		t.Errorf("the workload was not started while the management cluster converged:\n%s", errOut)
	}
	var dep appsv1.Deployment
	err = workload.Client.Get(t.Context(), client.ObjectKey{Namespace: "2048-game", Name: "app-2048"}, &dep)
	if !apierrors.IsNotFound(err) {
		t.Errorf("the game reached the new cluster though its profile failed: %v", err)
	}
}
