package apply_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/graph"
)

func waiting(timeout time.Duration) apply.ApplyOptions {
	return apply.ApplyOptions{Wait: true, Timeout: timeout, Interval: 100 * time.Millisecond}
}

func startSim(t testing.TB, ns string, opts acksim.Options) *acksim.Sim {
	t.Helper()
	sim := acksim.New(env.Client, ns, opts)
	sim.Start(t)
	return sim
}

func TestApplyWaitsInDependencyOrder(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	sim := startSim(t, ns, acksim.Options{Interval: 50 * time.Millisecond})
	m, progress := newManager(t)
	res, err := m.Apply(t.Context(), objs, waiting(2*time.Minute))
	if err != nil {
		t.Fatalf("Apply: %v\n%s", err, progress)
	}
	for _, o := range res.Objects() {
		if o.Status != "Current" {
			t.Errorf("%s: %s %s", o.Object, o.Status, o.Message)
		}
	}
	// render applies an object only once everything it references is
	// synced, so the controller never meets an unresolved reference, and
	// its first sight of an object comes after its references synced.
	firstSeen, synced := map[string]time.Time{}, map[string]time.Time{}
	for _, e := range sim.Events() {
		if strings.HasPrefix(e.What, "references unresolved") {
			t.Errorf("%s met an unresolved reference: %s", e.Object, e.What)
		}
		if _, ok := firstSeen[e.Object]; !ok {
			firstSeen[e.Object] = e.Time
		}
		if e.What == "synced" {
			if _, ok := synced[e.Object]; !ok {
				synced[e.Object] = e.Time
			}
		}
	}
	g := graph.New(objs)
	for _, u := range objs {
		for _, dep := range g.DependsOn(u) {
			if dep.GetKind() == "Namespace" {
				continue
			}
			if s, ok := synced[graph.NameOf(dep)]; !ok || !s.Before(firstSeen[graph.NameOf(u)]) {
				t.Errorf("%s was applied before %s was synced", graph.NameOf(u), graph.NameOf(dep))
			}
		}
	}
	if !strings.Contains(progress.String(), "Cluster/"+ns+"/demo Current: synced") {
		t.Errorf("progress does not show the Cluster synced:\n%s", progress)
	}
}

func TestTerminalFailsFast(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	sim := startSim(t, ns, acksim.Options{Interval: 50 * time.Millisecond})
	sim.SetTerminal("Subnet/private-a", "InvalidSubnet.Conflict: The CIDR '10.0.0.0/19' conflicts with another subnet")
	m, _ := newManager(t)
	start := time.Now()
	_, err := m.Apply(t.Context(), devObjects(t, ns), waiting(5*time.Minute))
	var terminal *apply.TerminalError
	if !errors.As(err, &terminal) || terminal.Object != "Subnet/"+ns+"/private-a" || !strings.Contains(err.Error(), "InvalidSubnet.Conflict") {
		t.Fatalf("Apply = %v, want Subnet/%s/private-a terminal with the controller's message", err, ns)
	}
	if d := time.Since(start); d > time.Minute {
		t.Errorf("took %s to fail on a terminal object", d)
	}
}

func TestTimeoutListsWhatIsNotReady(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	startSim(t, ns, acksim.Options{Interval: 50 * time.Millisecond, Delay: map[string]time.Duration{"Cluster/demo": time.Hour}})
	m, _ := newManager(t)
	_, err := m.Apply(t.Context(), devObjects(t, ns), waiting(8*time.Second))
	wantClusterTimeout(t, err, "Cluster/"+ns+"/demo: InProgress: ")
}

// wantClusterTimeout checks that err is the timeout of dev's first phase
// waiting for its Cluster: only the Cluster pending (its line starting
// with pending), and the 6 objects that need it (access entry, 3 Fargate
// profiles, 2 add-ons) not applied.
func wantClusterTimeout(t *testing.T, err error, pending string) {
	t.Helper()
	var timeout *apply.TimeoutError
	if !errors.As(err, &timeout) {
		t.Fatalf("Apply = %v, want a timeout", err)
	}
	if len(timeout.Pending) != 1 || !strings.HasPrefix(timeout.Pending[0], pending) || timeout.NotApplied != 6 {
		t.Errorf("timeout = %+v; want %q pending and 6 objects (access entry, 3 Fargate profiles, 2 add-ons) not applied\n%v", timeout, pending, err)
	}
}

func TestSecondApplyLeavesLateInitializedFields(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	startSim(t, ns, acksim.Options{Interval: 50 * time.Millisecond})
	m, progress := newManager(t)
	if _, err := m.Apply(t.Context(), objs, waiting(2*time.Minute)); err != nil {
		t.Fatalf("Apply: %v\n%s", err, progress)
	}
	vpc := &unstructured.Unstructured{}
	vpc.SetGroupVersionKind(objs[0].GroupVersionKind())
	for _, u := range objs {
		if u.GetKind() == "VPC" {
			vpc.SetGroupVersionKind(u.GroupVersionKind())
		}
	}
	key := client.ObjectKey{Namespace: ns, Name: "vpc"}
	waitFor(t, func() bool {
		if err := env.Client.Get(t.Context(), key, vpc); err != nil {
			t.Fatal(err)
		}
		v, _, _ := unstructured.NestedString(vpc.Object, "spec", "instanceTenancy")
		return v == "default"
	})
	res, err := m.Apply(t.Context(), objs, waiting(time.Minute))
	if err != nil || res.Changed() != 0 {
		t.Fatalf("second Apply = %v, %d changed", err, res.Changed())
	}
	if err := env.Client.Get(t.Context(), key, vpc); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := unstructured.NestedString(vpc.Object, "spec", "instanceTenancy"); v != "default" {
		t.Errorf("spec.instanceTenancy = %q after the second apply; the controller's value is gone", v)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 30s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestRerunConvergesAfterAPIServerRestart stops and restarts kube-apiserver
// while render apply waits on a cluster being created (acksim's latency
// model); the run fails or
// rides it out, and running it again converges with every object there
// once.
func TestRerunConvergesAfterAPIServerRestart(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	// The latency model 200 times faster: the cluster takes 4.5s.
	modelled(t, ns, objs, 200, acksim.Options{RideOutOutages: true})
	m, progress := newManager(t)
	done := make(chan error, 1)
	go func() {
		_, err := m.Apply(t.Context(), objs, waiting(time.Minute))
		done <- err
	}()
	waitFor(t, func() bool { return strings.Contains(progress.String(), "Cluster/"+ns+"/demo created") })
	if err := env.RestartAPIServer(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	first := <-done
	t.Logf("first run: %v", first)
	m2, progress2 := newManager(t)
	res, err := m2.Apply(t.Context(), objs, waiting(time.Minute))
	if err != nil {
		t.Fatalf("rerun: %v\n%s", err, progress2)
	}
	for _, o := range res.Objects() {
		if o.Status != "Current" {
			t.Errorf("%s: %s %s", o.Object, o.Status, o.Message)
		}
	}
	for _, u := range objs {
		list := &unstructured.UnstructuredList{}
		list.SetGroupVersionKind(u.GroupVersionKind())
		if err := env.Client.List(t.Context(), list, client.InNamespace(u.GetNamespace())); err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, o := range objs {
			if o.GetKind() == u.GetKind() && o.GetNamespace() == u.GetNamespace() {
				want++
			}
		}
		if u.GetKind() != "Namespace" && len(list.Items) != want {
			t.Errorf("%d %s objects in %s, want %d", len(list.Items), u.GetKind(), ns, want)
		}
	}
}
