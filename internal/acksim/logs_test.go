package acksim_test

import (
	"slices"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/graph"
)

// TestControlPlaneLogGroupOutlivesItsCluster deletes dev's Cluster and its
// control-plane LogGroup level by level in the graph's reverse order, each
// gone before the next, as render delete does: nothing is left in AWS.
// Without the graph's edge they are on one level and deleted together, in
// either order; with the LogGroup first, EKS re-creates the group the
// still running cluster logs to.
func TestControlPlaneLogGroupOutlivesItsCluster(t *testing.T) {
	apitest.Skip(t)
	t.Run("in the graph's order nothing is left", func(t *testing.T) {
		sim, pair := clusterAndLogGroup(t)
		levels, err := graph.New(pair).Levels()
		if err != nil {
			t.Fatal(err)
		}
		if len(levels) != 2 {
			t.Fatalf("the Cluster and its log group on %d levels, want 2: deleted together", len(levels))
		}
		for i := len(levels) - 1; i >= 0; i-- {
			deleteAndWait(t, levels[i])
		}
		if got := sim.Orphans(); len(got) != 0 {
			t.Errorf("orphans %v, want none", got)
		}
	})
	t.Run("the log group first is re-created", func(t *testing.T) {
		sim, pair := clusterAndLogGroup(t)
		deleteAndWait(t, pair[1:])
		deleteAndWait(t, pair[:1])
		want := []string{"LogGroup " + graph.ControlPlaneLogGroup("demo-dev")}
		if got := sim.Orphans(); !slices.Equal(got, want) {
			t.Errorf("orphans %v, want %v", got, want)
		}
	})
}

// clusterAndLogGroup creates dev's first phase with a Sim and returns the
// Cluster and its control-plane LogGroup, synced.
func clusterAndLogGroup(t *testing.T) (*acksim.Sim, []*unstructured.Unstructured) {
	t.Helper()
	ns := env.Namespace(t)
	sim := acksim.New(env.Client, ns, acksim.Options{})
	sim.Start(t)
	objs := devObjects(t, ns, config.LateValues{})
	createAll(t, objs)
	waitSynced(t, objs...)
	var cluster, group *unstructured.Unstructured
	for _, u := range objs {
		switch {
		case u.GetKind() == "Cluster":
			cluster = u
		case u.GetKind() == "LogGroup" && u.GetName() == "cluster":
			group = u
		}
	}
	if cluster == nil || group == nil {
		t.Fatal("dev has no Cluster and LogGroup/cluster")
	}
	return sim, []*unstructured.Unstructured{cluster, group}
}

// deleteAndWait deletes objs at once and waits until they are gone.
func deleteAndWait(t *testing.T, objs []*unstructured.Unstructured) {
	t.Helper()
	for _, o := range objs {
		if err := env.Client.Delete(t.Context(), o.DeepCopy()); err != nil {
			t.Fatalf("delete %s: %v", o.GetName(), err)
		}
	}
	for _, o := range objs {
		waitUntil(t, o.GetKind()+" gone", func() bool {
			return apierrors.IsNotFound(env.Client.Get(t.Context(), client.ObjectKeyFromObject(o), o.DeepCopy()))
		})
	}
}
