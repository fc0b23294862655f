package acksim_test

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/acksim"
)

func TestRequeueFollowsControllerRuntimesDefaultBackoff(t *testing.T) {
	for _, c := range []struct {
		n    int
		want time.Duration
	}{{1, 5 * time.Millisecond}, {2, 10 * time.Millisecond}, {11, 5120 * time.Millisecond}, {19, 1000 * time.Second}, {40, 1000 * time.Second}} {
		if got := acksim.Requeue(c.n); got != c.want {
			t.Errorf("Requeue(%d) = %s, want %s", c.n, got, c.want)
		}
	}
}

func eksObject(kind, name string, spec map[string]any) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{"spec": spec}}
	u.SetAPIVersion(ack.EKSGroup + "/v1alpha1")
	u.SetKind(kind)
	u.SetName(name)
	return u
}

func TestTimelineRetriesWhatIsAppliedTooEarlyWithBackoff(t *testing.T) {
	cluster := eksObject("Cluster", "demo", map[string]any{"name": "demo"})
	ref := map[string]any{"from": map[string]any{"name": "demo"}}
	a := eksObject("FargateProfile", "a", map[string]any{"clusterRef": ref})
	b := eksObject("FargateProfile", "b", map[string]any{"clusterRef": ref})
	tl := acksim.NewTimeline([]acksim.TimelineNode{{Object: cluster}, {Object: a, Needs: []int{0}}, {Object: b, Needs: []int{0}}})
	for i := range 3 {
		tl.Apply(i, -1)
	}
	tl.Run()
	clusterAt, _ := tl.ReadyAt(0)
	aAt, _ := tl.ReadyAt(1)
	bAt, ok := tl.ReadyAt(2)
	latency := acksim.LatencyOf(cluster.GroupVersionKind().GroupKind()).Create
	profile := acksim.LatencyOf(a.GroupVersionKind().GroupKind()).Create
	if clusterAt != latency {
		t.Errorf("cluster ready at %s, want %s", clusterAt, latency)
	}
	// The profiles wait for the cluster by back-off, so start late, and
	// the second is refused while the first is being created.
	if aAt <= clusterAt+profile || !ok || bAt < aAt+profile {
		t.Errorf("profiles ready at %s and %s; cluster at %s, a profile takes %s", aAt, bAt, clusterAt, profile)
	}
	if path := tl.CriticalPath(2); len(path) == 0 || path[len(path)-1] != 2 {
		t.Errorf("critical path %v does not end with the object", path)
	}
}
