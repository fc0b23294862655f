package apply_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/graph"
)

// find returns the object of objs with kind and name.
func find(t *testing.T, objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	t.Helper()
	for _, u := range objs {
		if u.GetKind() == kind && u.GetName() == name {
			return u
		}
	}
	t.Fatalf("no %s/%s among the objects", kind, name)
	return nil
}

// lastEvent is the time of the Sim's last event what on object, zero if
// none.
func lastEvent(sim *acksim.Sim, object, what string) time.Time {
	var at time.Time
	for _, e := range sim.Events() {
		if e.Object == object && e.What == what {
			at = e.Time
		}
	}
	return at
}

// recordLag is how much later than its status write the Sim may record
// the event: it records once its write returns, and a watch can show
// render the status before that.
const recordLag = 200 * time.Millisecond

// eventAfter waits up to 5s for the Sim to record what on object after
// after, and returns the time of the last such event (zero if none).
func eventAfter(t *testing.T, sim *acksim.Sim, object, what string, after time.Time) time.Time {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		at := lastEvent(sim, object, what)
		if at.After(after) || time.Now().After(deadline) {
			return at
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The real controllers leave an object's old ACK.ResourceSynced=True in
// place for seconds after a spec change (16 s for an EKS cluster's update,
// seen with eks-controller v1.20.0): Apply must wait for the reconcile of
// the change, through the update, and not hang when the reconcile finds
// nothing to do in AWS or when there is nothing to reconcile.
func TestApplyWaitsForTheControllerToReconcileAChange(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	const lag, update = 1500 * time.Millisecond, time.Second
	sim := startSim(t, ns, acksim.Options{Interval: 50 * time.Millisecond,
		UpdateLag:   map[string]time.Duration{"Cluster/demo": lag, "VPC/vpc": lag},
		UpdateDelay: map[string]time.Duration{"Cluster/demo": update}})
	m, progress := newManager(t)
	if _, err := m.Apply(t.Context(), objs, waiting(2*time.Minute)); err != nil {
		t.Fatalf("first Apply: %v\n%s", err, progress)
	}
	cluster, vpc := find(t, objs, "Cluster", "demo"), find(t, objs, "VPC", "vpc")
	clusterRef, vpcRef := graph.NameOf(cluster), graph.NameOf(vpc)

	t.Run("waits through an asynchronous update", func(t *testing.T) {
		if err := unstructured.SetNestedField(cluster.Object, false, "spec", "resourcesVPCConfig", "endpointPublicAccess"); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res, err := m.Apply(t.Context(), objs, waiting(time.Minute))
		if err != nil {
			t.Fatalf("Apply: %v\n%s", err, progress)
		}
		done := time.Now()
		updating := lastEvent(sim, clusterRef, "unsynced: Cluster is currently being updated")
		synced := eventAfter(t, sim, clusterRef, "synced", updating)
		if updating.Before(start) || !synced.After(updating) {
			t.Fatalf("the Sim did not update the Cluster during the run: updating at %s, synced at %s, run from %s", updating, synced, start)
		}
		if done.Add(recordLag).Before(synced) {
			t.Errorf("Apply returned at %s, before the controller synced the change at %s (%s after the start)\n%s",
				done.Format(time.StampMilli), synced.Format(time.StampMilli), synced.Sub(start), progress)
		}
		if got := action(res, clusterRef); got != apply.Configured {
			t.Errorf("Cluster action = %q, want configured", got)
		}
	})

	t.Run("waits for a synchronous change the controller makes at once", func(t *testing.T) {
		tags := []any{map[string]any{"key": "team", "value": "b"}}
		if err := unstructured.SetNestedSlice(vpc.Object, tags, "spec", "tags"); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := m.Apply(t.Context(), objs, waiting(time.Minute)); err != nil {
			t.Fatalf("Apply: %v\n%s", err, progress)
		}
		done := time.Now()
		synced := eventAfter(t, sim, vpcRef, "synced", start)
		if synced.Before(start) {
			t.Fatalf("the Sim did not reconcile the VPC during the run")
		}
		if done.Add(recordLag).Before(synced) {
			t.Errorf("Apply returned before the controller reconciled the VPC's tags (%s after the start)", synced.Sub(start))
		}
	})

	t.Run("does not wait for a change the controller never reconciles", func(t *testing.T) {
		// Labels and annotations do not move the generation; the runtime
		// reconciles on generation changes only.
		cluster.SetAnnotations(map[string]string{"services.k8s.aws/region": "us-west-2", "example.com/owner": "team-b",
			"services.k8s.aws/deletion-policy": "delete"})
		start := time.Now()
		res, err := m.Apply(t.Context(), objs, waiting(time.Minute))
		if err != nil {
			t.Fatalf("Apply: %v\n%s", err, progress)
		}
		// Waiting for a reconcile that never comes would last the whole
		// minute of the timeout; a busy machine still applies in seconds.
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("Apply took %s for an annotation change; the controller never reconciles one, so there is nothing to wait for", took)
		}
		if got := action(res, clusterRef); got != apply.Configured {
			t.Errorf("Cluster action = %q, want configured", got)
		}
	})

	t.Run("an unchanged object is not waited for", func(t *testing.T) {
		start := time.Now()
		res, err := m.Apply(t.Context(), objs, waiting(time.Minute))
		if err != nil {
			t.Fatalf("Apply: %v\n%s", err, progress)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("a second Apply of the same objects took %s", took)
		}
		if i := slices.IndexFunc(res.Objects(), func(o apply.ObjectResult) bool { return o.Action != apply.Unchanged }); i >= 0 {
			t.Errorf("%s: %s, want unchanged", res.Objects()[i].Object, res.Objects()[i].Action)
		}
	})
}

func action(res *apply.Result, name string) string {
	for _, o := range res.Objects() {
		if o.Object == name {
			return o.Action
		}
	}
	return ""
}

// EKS creates one Fargate profile of a cluster at a time; render applies
// them one after another (graph.serialized), so the controller never meets
// the ResourceInUseException that applying them all at once runs into.
func TestFargateProfilesAreCreatedOneAtATime(t *testing.T) {
	apitest.Skip(t)
	inUse := func(sim *acksim.Sim) []string {
		var out []string
		for _, e := range sim.Events() {
			if strings.HasPrefix(e.What, "recoverable: ResourceInUseException") {
				out = append(out, e.Object+": "+e.What)
			}
		}
		return out
	}
	delay := map[string]time.Duration{
		"FargateProfile/default": 300 * time.Millisecond, "FargateProfile/game-2048": 300 * time.Millisecond,
		"FargateProfile/metrics-server": 300 * time.Millisecond}

	ns := env.Namespace(t)
	sim := startSim(t, ns, acksim.Options{Interval: 50 * time.Millisecond, Delay: delay})
	m, progress := newManager(t)
	if _, err := m.Apply(t.Context(), devObjects(t, ns), waiting(2*time.Minute)); err != nil {
		t.Fatalf("Apply: %v\n%s", err, progress)
	}
	if got := inUse(sim); len(got) > 0 {
		t.Errorf("render apply ran into EKS's one-profile-at-a-time rule:\n%s", strings.Join(got, "\n"))
	}
	order := sim.SyncedOrder()
	var profiles []string
	for _, o := range order {
		if strings.HasPrefix(o, "FargateProfile/") {
			profiles = append(profiles, o)
		}
	}
	// The profile the game needs first: the game's, which also selects
	// CoreDNS and the load balancer controller; then the others by name.
	if want := []string{"FargateProfile/game-2048", "FargateProfile/default", "FargateProfile/metrics-server"}; !slices.Equal(profiles, want) {
		t.Errorf("profiles synced in the order %v, want %v", profiles, want)
	}

	// Everything at once, as kubectl apply -k does: the Sim refuses the
	// second profile while the first is being created.
	ns2 := env.Namespace(t)
	sim2 := startSim(t, ns2, acksim.Options{Interval: 50 * time.Millisecond, Delay: delay})
	opts := waiting(2 * time.Minute)
	opts.Wait = false
	if _, err := m.Apply(t.Context(), devObjects(t, ns2), opts); err != nil {
		t.Fatal(err)
	}
	apitest.Eventually(t, "the Sim to refuse a concurrent profile", func() bool { return len(inUse(sim2)) > 0 })
}
