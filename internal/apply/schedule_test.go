package apply_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/graph"
)

// The tests here run the Sim with acksim's AWS latency model on a clock
// speedup times faster than AWS (acksim.CreateDelays): with 1000, the EKS
// cluster's 15 minutes take 900ms.

// modelled starts a Sim that follows the latency model for objs, except
// for the delays opts gives.
func modelled(t testing.TB, ns string, objs []*unstructured.Unstructured, speedup int, opts acksim.Options) *acksim.Sim {
	t.Helper()
	delays := acksim.CreateDelays(objs, speedup)
	for k, v := range opts.Delay {
		delays[k] = v
	}
	opts.Interval, opts.Delay = 20*time.Millisecond, delays
	return startSim(t, ns, opts)
}

// watchLog records, from watch events of the apiserver, when each object
// was first seen and first seen with ACK.ResourceSynced=True, as times and
// as resourceVersions: one etcd orders every write, while watches of two
// kinds deliver independently, so only the resourceVersions order a
// dependency's Synced before an object's creation reliably.
type watchLog struct {
	mu                sync.Mutex
	added, synced     map[string]time.Time
	addedRV, syncedRV map[string]int64
}

func watchObjects(t *testing.T, ns string, objs []*unstructured.Unstructured) *watchLog {
	t.Helper()
	l := &watchLog{added: map[string]time.Time{}, synced: map[string]time.Time{}, addedRV: map[string]int64{}, syncedRV: map[string]int64{}}
	apitest.WatchKinds(t, env.Config, objs, func(_ watch.EventType, u *unstructured.Unstructured) {
		if u.GetNamespace() == ns {
			l.note(u)
		}
	})
	return l
}

func (l *watchLog) note(u *unstructured.Unstructured) {
	now := time.Now()
	name := graph.NameOf(u)
	l.mu.Lock()
	defer l.mu.Unlock()
	rv, _ := strconv.ParseInt(u.GetResourceVersion(), 10, 64)
	if _, ok := l.added[name]; !ok {
		l.added[name], l.addedRV[name] = now, rv
	}
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if _, ok := l.synced[name]; !ok && m["type"] == "ACK.ResourceSynced" && m["status"] == "True" {
			l.synced[name], l.syncedRV[name] = now, rv
		}
	}
}

func TestScheduledApplyUnderTheLatencyModel(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	sim := modelled(t, ns, objs, 1000, acksim.Options{})
	log := watchObjects(t, ns, objs)
	m, progress := newManager(t)
	// A poll interval longer than the whole run: only watches can make it
	// finish in time.
	opts := waiting(time.Minute)
	opts.Interval = time.Minute
	res, err := m.Apply(t.Context(), objs, opts)
	if err != nil {
		t.Fatalf("Apply: %v\n%s", err, progress)
	}
	// Applied again, nothing changes and the run ends as soon as the
	// watches show everything ready, not a poll interval later.
	start := time.Now()
	again, err := m.Apply(t.Context(), objs, opts)
	if err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second || again.Changed() != 0 {
		t.Errorf("a no-op Apply took %s and changed %d objects", d, again.Changed())
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	g := graph.New(objs)
	for _, u := range objs {
		name := graph.NameOf(u)
		var lastDep time.Time
		for _, dep := range g.DependsOn(u) {
			if dep.GetKind() == "Namespace" {
				continue
			}
			s, ok := log.synced[graph.NameOf(dep)]
			if rv := log.syncedRV[graph.NameOf(dep)]; !ok || rv >= log.addedRV[name] {
				t.Errorf("%s was created before %s was synced", name, graph.NameOf(dep))
			}
			lastDep = later(lastDep, s)
		}
		// Started the moment what it needs was ready, not a poll later
		// (a minute); the bound leaves room for a loaded machine.
		if gap := log.added[name].Sub(lastDep); !lastDep.IsZero() && gap > 5*time.Second {
			t.Errorf("%s was created %s after what it needs was synced", name, gap)
		}
	}
	for _, e := range sim.Events() {
		if strings.Contains(e.What, "ResourceInUseException") || strings.HasPrefix(e.What, "references unresolved") {
			t.Errorf("%s: %s", e.Object, e.What)
		}
	}
	path := res.CriticalPath()
	if len(path) == 0 || !strings.HasPrefix(path[len(path)-1].Object, "FargateProfile/") || !strings.Contains(progress.String(), "critical path (") {
		t.Errorf("critical path %v does not end with the last Fargate profile, or is not on progress:\n%s", path, progress)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func TestTerminalFailsFastUnderTheLatencyModel(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	sim := modelled(t, ns, objs, 20, acksim.Options{})
	sim.SetTerminal("NATGateway/nat-a", "NatGatewayLimitExceeded: The maximum number of NAT gateways has been reached")
	m, _ := newManager(t)
	start := time.Now()
	_, err := m.Apply(t.Context(), objs, waiting(time.Minute))
	var terminal *apply.TerminalError
	if !errors.As(err, &terminal) || terminal.Object != "NATGateway/"+ns+"/nat-a" {
		t.Fatalf("Apply = %v, want NATGateway/%s/nat-a terminal", err, ns)
	}
	// The cluster alone would take 45s at this speed.
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("took %s to fail on a terminal object", d)
	}
}

func TestTimeoutUnderTheLatencyModelListsWhatIsNotReady(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	// What comes before the cluster takes about 0.1s at this speed (the
	// private subnets do not wait for the NAT gateway); the cluster never
	// finishes.
	modelled(t, ns, objs, 100, acksim.Options{Delay: map[string]time.Duration{"Cluster/demo": time.Hour}})
	m, _ := newManager(t)
	_, err := m.Apply(t.Context(), objs, waiting(10*time.Second))
	// The cluster is being created; what needs it is not applied.
	wantClusterTimeout(t, err, "Cluster/"+ns+"/demo: InProgress: CREATING")
}

// TestHoldAndOnReady checks what lets render apply the workload while the
// management cluster converges: an object Hold holds back is applied only
// once its gate opens, OnReady reports every object once, the moment it is
// ready, and a gate that never opens is named when the run times out.
func TestHoldAndOnReady(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	modelled(t, ns, objs, 1000, acksim.Options{})
	log := watchObjects(t, ns, objs)
	m, progress := newManager(t)
	cluster := "Cluster/" + ns + "/demo"
	var clusterDeps []string
	for _, d := range graph.New(objs).DependsOn(objsByName(objs)[cluster]) {
		clusterDeps = append(clusterDeps, graph.NameOf(d))
	}
	// The gate opens 300ms after everything the Cluster depends on is
	// ready: without it, the Cluster would be applied at once.
	open := make(chan struct{})
	var mu sync.Mutex
	var opened time.Time
	seen := map[string]int{}
	opts := waiting(time.Minute)
	opts.Hold = func(u *unstructured.Unstructured) *apply.Gate {
		if graph.NameOf(u) != cluster {
			return nil
		}
		return &apply.Gate{Open: open, Waiting: func() []string { return []string{"the test"} }}
	}
	opts.OnReady = func(u *unstructured.Unstructured) {
		mu.Lock()
		defer mu.Unlock()
		seen[graph.NameOf(u)]++
		for _, d := range clusterDeps {
			if seen[d] == 0 {
				return
			}
		}
		if slices.Contains(clusterDeps, graph.NameOf(u)) {
			time.AfterFunc(300*time.Millisecond, func() {
				mu.Lock()
				opened = time.Now()
				mu.Unlock()
				close(open)
			})
		}
	}
	if _, err := m.Apply(t.Context(), objs, opts); err != nil {
		t.Fatalf("Apply: %v\n%s", err, progress)
	}
	log.mu.Lock()
	if created := log.added[cluster]; opened.IsZero() || created.Before(opened) {
		t.Errorf("%s was created at %s, before its gate opened at %s", cluster, created.Format(time.StampMicro), opened.Format(time.StampMicro))
	}
	log.mu.Unlock()
	for _, u := range objs {
		if n := seen[graph.NameOf(u)]; n != 1 {
			t.Errorf("OnReady saw %s %d times, want once", graph.NameOf(u), n)
		}
	}

	// A gate that never opens: the run times out naming it.
	ns2 := env.Namespace(t)
	objs2 := devObjects(t, ns2)
	modelled(t, ns2, objs2, 1000, acksim.Options{})
	opts = waiting(3 * time.Second)
	opts.Hold = func(u *unstructured.Unstructured) *apply.Gate {
		if graph.NameOf(u) != "Cluster/"+ns2+"/demo" {
			return nil
		}
		return &apply.Gate{Open: make(chan struct{}), Waiting: func() []string { return []string{"FargateProfile/elsewhere/kube-system"} }}
	}
	_, err := m.Apply(t.Context(), objs2, opts)
	var timeout *apply.TimeoutError
	want := "Cluster/" + ns2 + "/demo: not applied, waiting for FargateProfile/elsewhere/kube-system"
	if !errors.As(err, &timeout) || !slices.Contains(timeout.Pending, want) {
		t.Errorf("Apply = %v, want a timeout listing %q", err, want)
	}
}

func objsByName(objs []*unstructured.Unstructured) map[string]*unstructured.Unstructured {
	out := map[string]*unstructured.Unstructured{}
	for _, u := range objs {
		out[graph.NameOf(u)] = u
	}
	return out
}
