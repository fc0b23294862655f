package acksim_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/eksversion"
)

// eksStack is a Cluster of version with a node group and the kube-proxy
// and coredns add-ons, none of which names a version unless extra says so
// (YAML appended to the Nodegroup's spec).
func eksStack(version, ngExtra string) string {
	return fmt.Sprintf(`
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  name: demo
  version: "%s"
  upgradePolicy: {supportType: STANDARD}
  resourcesVPCConfig: {subnetIDs: [subnet-1, subnet-2]}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Nodegroup
metadata: {name: ng}
spec: {name: workers, clusterRef: {from: {name: demo}}, nodeRole: arn:aws:iam::111122223333:role/node, subnets: [subnet-1]%s}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Addon
metadata: {name: kube-proxy}
spec: {name: kube-proxy, clusterRef: {from: {name: demo}}}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Addon
metadata: {name: coredns}
spec: {name: coredns, clusterRef: {from: {name: demo}}}
`, version, ngExtra)
}

// setSpec sets spec fields of o (dotted path to value) in one Update,
// retrying when the Sim wrote o meanwhile.
func setSpec(t *testing.T, o *unstructured.Unstructured, fields map[string]any) {
	t.Helper()
	for range 50 {
		u := fresh(t, o)
		for path, v := range fields {
			if err := unstructured.SetNestedField(u.Object, v, append([]string{"spec"}, strings.Split(path, ".")...)...); err != nil {
				t.Fatal(err)
			}
		}
		err := env.Client.Update(t.Context(), u)
		if err == nil {
			return
		}
		if !apierrors.IsConflict(err) {
			t.Fatalf("update %s/%s: %v", o.GetKind(), o.GetName(), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("update %s/%s: conflicts all along", o.GetKind(), o.GetName())
}

// versionEvents returns the version events of object, in order.
func versionEvents(sim *acksim.Sim, object string) []string {
	return eventsOf(sim, object, "version ")
}

// eventsOf returns the events of object whose text starts with prefix, in
// order.
func eventsOf(sim *acksim.Sim, object, prefix string) []string {
	var out []string
	for _, e := range sim.Events() {
		if e.Object == object && strings.HasPrefix(e.What, prefix) {
			out = append(out, e.What)
		}
	}
	return out
}

func addonVersion(t *testing.T, name, k8s string) string {
	t.Helper()
	v, err := eksversion.AddonVersion(name, k8s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// waitTerminal waits until o has the conditions of a Terminal error with
// msg, as the runtime writes them.
func waitTerminal(t *testing.T, o *unstructured.Unstructured, msg string) {
	t.Helper()
	want := []cond{
		{"ACK.Terminal", "True", msg, ""},
		{"ACK.ResourceSynced", "False", "Resource not synced", "resource is in terminal condition"},
		{"Ready", "False", msg, "ACK.Terminal"},
	}
	waitUntil(t, o.GetKind()+"/"+o.GetName()+" terminal: "+msg, func() bool {
		got := conditions(fresh(t, o))
		return !slices.ContainsFunc(want, func(c cond) bool { return !slices.Contains(got, c) })
	})
}

// waitHealed waits until o is synced and checks that its failure
// condition typ is gone.
func waitHealed(t *testing.T, o *unstructured.Unstructured, typ string) {
	t.Helper()
	waitSynced(t, o)
	if u := fresh(t, o); hasType(u, typ) {
		t.Errorf("%s/%s keeps %s once synced: %v", o.GetKind(), o.GetName(), typ, conditions(u))
	}
}

func status(t *testing.T, o *unstructured.Unstructured) string {
	s, _, _ := unstructured.NestedString(fresh(t, o).Object, "status", "status")
	return s
}

// TestUpgrade upgrades a 1.34 stack to 1.35 in the order EKS wants:
// Cluster, then Nodegroup, then add-ons. Each object ends synced with its
// AWS version 1.35 (or the add-on version for 1.35).
func TestUpgrade(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, eksStack("1.34", ""))
	cluster, ng, proxy, dns := objs[0], objs[1], objs[2], objs[3]
	sim := newSim(env.Client, ns, acksim.Options{UpdateDelay: map[string]time.Duration{
		"Cluster/demo": 300 * time.Millisecond, "Nodegroup/ng": 300 * time.Millisecond,
	}})
	sim.Start(t)
	waitSynced(t, objs...)

	t.Run("late-initializes the versions from the cluster's", func(t *testing.T) {
		checkLateInit(t, fresh(t, ng), "eks-controller", map[string]any{"version": "1.34", "releaseVersion": "1.34.0-20260801"})
		checkLateInit(t, fresh(t, proxy), "eks-controller", map[string]any{"addonVersion": addonVersion(t, "kube-proxy", "1.34")})
		if got := sim.AddonVersion("Addon/coredns"); got != addonVersion(t, "coredns", "1.34") {
			t.Errorf("AddonVersion(coredns) = %q, want the 1.34 version", got)
		}
	})

	setSpec(t, cluster, map[string]any{"version": "1.35"})
	waitUntil(t, "Cluster UPDATING", func() bool { return status(t, cluster) == "UPDATING" })
	if got := sim.ClusterVersion("Cluster/demo"); got != "1.34" {
		t.Errorf("ClusterVersion while UPDATING = %q, want 1.34", got)
	}
	waitUntil(t, "Cluster at 1.35", func() bool { return sim.ClusterVersion("Cluster/demo") == "1.35" })
	waitSynced(t, cluster)
	ref := "Cluster/" + ns + "/demo"
	if got, want := versionEvents(sim, ref), []string{"version updating: 1.34 -> 1.35", "version updated: 1.35"}; !slices.Equal(got, want) {
		t.Errorf("Cluster version events = %q, want %q", got, want)
	}

	setSpec(t, ng, map[string]any{"version": "1.35", "releaseVersion": "1.35.0-20260801"})
	waitUntil(t, "Nodegroup UPDATING", func() bool { return status(t, ng) == "UPDATING" })
	waitUntil(t, "Nodegroup at 1.35", func() bool { return sim.NodegroupVersion("Nodegroup/ng") == "1.35" })
	waitSynced(t, ng)
	checkStatus(t, fresh(t, ng), map[string]string{"status": "ACTIVE"})

	for _, a := range []*unstructured.Unstructured{proxy, dns} {
		setSpec(t, a, map[string]any{"addonVersion": addonVersion(t, a.GetName(), "1.35")})
	}
	for _, a := range []*unstructured.Unstructured{proxy, dns} {
		want := addonVersion(t, a.GetName(), "1.35")
		waitUntil(t, a.GetName()+" at the 1.35 version", func() bool { return sim.AddonVersion("Addon/"+a.GetName()) == want })
		waitSynced(t, a)
	}
	if got := sim.ClusterVersion("Cluster/demo") + " " + sim.NodegroupVersion("Nodegroup/ng"); got != "1.35 1.35" {
		t.Errorf("versions at the end = %q, want 1.35 1.35", got)
	}
}

// TestUpgradeSkipsNoMinor sets a 1.33 Cluster to 1.35 at once: the
// controller asks EKS for 1.34 first, then 1.35, the Cluster UPDATING and
// not synced throughout.
func TestUpgradeSkipsNoMinor(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, eksStack("1.33", ""))
	cluster := objs[0]
	sim := newSim(env.Client, ns, acksim.Options{UpdateDelay: map[string]time.Duration{"Cluster/demo": 300 * time.Millisecond}})
	sim.Start(t)
	waitSynced(t, objs...)
	// Without its node group the cluster can step freely.
	if err := env.Client.Delete(t.Context(), objs[1]); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "Nodegroup gone", func() bool { return sim.NodegroupVersion("Nodegroup/ng") == "" })

	setSpec(t, cluster, map[string]any{"version": "1.35"})
	sawMiddle := false
	waitUntil(t, "Cluster at 1.35", func() bool {
		if sim.ClusterVersion("Cluster/demo") == "1.34" {
			sawMiddle = true
			if hasCond(fresh(t, cluster), cond{Type: "ACK.ResourceSynced", Status: "True", Message: "Resource synced successfully"}) {
				t.Errorf("Cluster synced at 1.34 on its way to 1.35")
			}
		}
		return sim.ClusterVersion("Cluster/demo") == "1.35"
	})
	waitSynced(t, cluster)
	ref := "Cluster/" + ns + "/demo"
	want := []string{"version updating: 1.33 -> 1.34", "version updated: 1.34", "version updating: 1.34 -> 1.35", "version updated: 1.35"}
	if got := versionEvents(sim, ref); !slices.Equal(got, want) {
		t.Errorf("Cluster version events = %q, want %q", got, want)
	}
	if !sawMiddle {
		t.Errorf("never saw the Cluster at 1.34")
	}
}

// TestDowngradeIsTerminal sets a 1.35 Cluster to 1.34: the controller's
// Terminal error, the cluster still runs 1.35 and is ACTIVE, and it stays
// so until the spec changes back.
func TestDowngradeIsTerminal(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, eksStack("1.35", ""))
	cluster := objs[0]
	sim := newSim(env.Client, ns, acksim.Options{})
	sim.Start(t)
	waitSynced(t, objs...)

	refusedRollback(t, cluster, "desired cluster version is less than the observed version: 1.34 < 1.35",
		func() string { return sim.ClusterVersion("Cluster/demo") })
}

// refusedRollback sets o's spec.version from 1.35 to 1.34 and checks
// that it ends Terminal with msg, ACTIVE, AWS still running 1.35
// (running), and heals once the version is back.
func refusedRollback(t *testing.T, o *unstructured.Unstructured, msg string, running func() string) {
	t.Helper()
	setSpec(t, o, map[string]any{"version": "1.34"})
	waitTerminal(t, o, msg)
	checkStatus(t, fresh(t, o), map[string]string{"status": "ACTIVE"})
	if got := running(); got != "1.35" {
		t.Errorf("%s runs %q after a refused rollback, want 1.35", o.GetKind(), got)
	}
	setSpec(t, o, map[string]any{"version": "1.35"})
	waitHealed(t, o, "ACK.Terminal")
}

// TestNodegroupAheadOfCluster creates a 1.35 Nodegroup on a 1.34 Cluster:
// EKS refuses it for good; fixing the spec creates it.
func TestNodegroupAheadOfCluster(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, eksStack("1.34", `, version: "1.35"`))
	ng := objs[1]
	sim := newSim(env.Client, ns, acksim.Options{})
	sim.Start(t)
	waitSynced(t, objs[0], objs[2], objs[3])

	const msg = "InvalidParameterException: Requested Nodegroup version 1.35 is not valid for kubernetes version 1.34"
	waitTerminal(t, ng, msg)
	if f := fresh(t, ng).GetFinalizers(); len(f) != 0 {
		t.Errorf("a Nodegroup AWS refused to create has finalizers %v", f)
	}
	if got := sim.NodegroupVersion("Nodegroup/ng"); got != "" {
		t.Errorf("NodegroupVersion of a refused node group = %q, want none", got)
	}
	setSpec(t, ng, map[string]any{"version": "1.34"})
	waitHealed(t, ng, "ACK.Terminal")
	if got := sim.NodegroupVersion("Nodegroup/ng"); got != "1.34" {
		t.Errorf("NodegroupVersion = %q, want 1.34", got)
	}

	t.Run("on update too", func(t *testing.T) {
		setSpec(t, ng, map[string]any{"version": "1.35", "releaseVersion": "1.35.0-20260801"})
		waitTerminal(t, ng, msg)
		checkStatus(t, fresh(t, ng), map[string]string{"status": "ACTIVE"})
		setSpec(t, ng, map[string]any{"version": "1.34", "releaseVersion": "1.34.0-20260801"})
		waitSynced(t, ng)
	})
	t.Run("a version that disagrees with releaseVersion is the controller's terminal error", func(t *testing.T) {
		setSpec(t, objs[0], map[string]any{"version": "1.35"})
		waitUntil(t, "Cluster at 1.35", func() bool { return sim.ClusterVersion("Cluster/demo") == "1.35" })
		setSpec(t, ng, map[string]any{"version": "1.35"})
		const mismatch = "version and release version do not match: 1.35 and 1.34"
		waitTerminal(t, ng, mismatch)
		setSpec(t, ng, map[string]any{"releaseVersion": ""})
		waitUntil(t, "Nodegroup at 1.35", func() bool { return sim.NodegroupVersion("Nodegroup/ng") == "1.35" })
		waitSynced(t, ng)
	})
	t.Run("a rollback is terminal", func(t *testing.T) {
		refusedRollback(t, ng, "InvalidParameterException: Nodegroup version 1.34 is older than the version it runs, 1.35; a node group cannot be rolled back",
			func() string { return sim.NodegroupVersion("Nodegroup/ng") })
	})
}

// TestNodegroupWaitsForItsCluster changes Cluster and Nodegroup to 1.35
// at once: the node group's update is refused while the cluster is
// UPDATING (Recoverable) and goes through after.
func TestNodegroupWaitsForItsCluster(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, eksStack("1.34", `, version: "1.34", releaseVersion: ""`))
	cluster, ng := objs[0], objs[1]
	sim := newSim(env.Client, ns, acksim.Options{UpdateDelay: map[string]time.Duration{"Cluster/demo": time.Second}})
	sim.Start(t)
	waitSynced(t, objs...)

	setSpec(t, cluster, map[string]any{"version": "1.35"})
	waitUntil(t, "Cluster UPDATING", func() bool { return status(t, cluster) == "UPDATING" })
	setSpec(t, ng, map[string]any{"version": "1.35"})
	const msg = "ResourceInUseException: Cluster demo has an update in progress"
	waitUntil(t, "Nodegroup recoverable", func() bool { return hasCond(fresh(t, ng), cond{"ACK.Recoverable", "True", msg, ""}) })
	waitUntil(t, "Nodegroup at 1.35", func() bool { return sim.NodegroupVersion("Nodegroup/ng") == "1.35" })
	waitSynced(t, cluster)
	waitHealed(t, ng, "ACK.Recoverable")
}

// TestClusterWaitsForItsNodegroups sets a 1.33 Cluster with a 1.33 node
// group to 1.35: the second step waits (Recoverable) until the node group
// runs 1.34.
func TestClusterWaitsForItsNodegroups(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, eksStack("1.33", `, version: "1.33", releaseVersion: ""`))
	cluster, ng := objs[0], objs[1]
	sim := newSim(env.Client, ns, acksim.Options{})
	sim.Start(t)
	waitSynced(t, objs...)

	setSpec(t, cluster, map[string]any{"version": "1.35"})
	const msg = "Nodegroups workers must be updated to match cluster version 1.34 before updating cluster version"
	waitUntil(t, "Cluster recoverable", func() bool { return hasCond(fresh(t, cluster), cond{"ACK.Recoverable", "True", msg, ""}) })
	if got := sim.ClusterVersion("Cluster/demo"); got != "1.34" {
		t.Errorf("ClusterVersion = %q, want 1.34", got)
	}
	checkStatus(t, fresh(t, cluster), map[string]string{"status": "ACTIVE"})
	setSpec(t, ng, map[string]any{"version": "1.34"})
	waitUntil(t, "Cluster at 1.35", func() bool { return sim.ClusterVersion("Cluster/demo") == "1.35" })
	waitSynced(t, cluster, ng)
}

// TestAddonAheadOfCluster sets the kube-proxy add-on to its 1.35 version
// while the cluster runs 1.34: EKS refuses it and, InvalidParameterException
// being an Addon terminal code, the Addon is Terminal. It stays so after
// the cluster reaches 1.35, re-applying the same spec changes nothing, and
// only a new generation makes the controller try again.
func TestAddonAheadOfCluster(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, eksStack("1.34", ""))
	cluster, proxy := objs[0], objs[2]
	sim := newSim(env.Client, ns, acksim.Options{})
	sim.Start(t)
	waitSynced(t, objs...)
	old, next := addonVersion(t, "kube-proxy", "1.34"), addonVersion(t, "kube-proxy", "1.35")

	setSpec(t, proxy, map[string]any{"addonVersion": next})
	const msg = "InvalidParameterException: Addon version specified is not supported"
	waitTerminal(t, proxy, msg)
	if got := sim.AddonVersion("Addon/kube-proxy"); got != old {
		t.Errorf("AddonVersion after a refused update = %q, want %q", got, old)
	}

	setSpec(t, cluster, map[string]any{"version": "1.35"})
	waitUntil(t, "Cluster at 1.35", func() bool { return sim.ClusterVersion("Cluster/demo") == "1.35" })
	waitSynced(t, cluster)
	setSpec(t, proxy, map[string]any{"addonVersion": next}) // the same spec: no new generation
	time.Sleep(300 * time.Millisecond)
	if !hasCond(fresh(t, proxy), cond{"ACK.Terminal", "True", msg, ""}) {
		t.Errorf("Addon left ACK.Terminal without a spec change: %v", conditions(fresh(t, proxy)))
	}
	setSpec(t, proxy, map[string]any{"resolveConflicts": "OVERWRITE"})
	waitUntil(t, "Addon at the 1.35 version", func() bool { return sim.AddonVersion("Addon/kube-proxy") == next })
	waitHealed(t, proxy, "ACK.Terminal")
}
