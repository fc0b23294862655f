package acksim_test

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen/gentest"
)

// devObjects renders the example configuration's dev environment (Fargate
// only) with late values, for namespace ns: its management objects
// without the Namespace.
func devObjects(t *testing.T, ns string, late config.LateValues) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	for _, u := range gentest.EnvObjects(t, "dev", late, false) {
		if u.GetKind() != "Namespace" {
			u.SetNamespace(ns)
			out = append(out, u)
		}
	}
	return out
}

// secondPhase are the late values the Sim's objects give.
var secondPhase = config.LateValues{
	AccountID: acksim.DefaultAccountID, VPCID: acksim.ID("VPC", "vpc"), OIDCIssuer: acksim.DefaultIssuer,
	ClusterEndpoint: acksim.DefaultClusterEndpoint, ClusterCA: "Y2E=",
}

// createAll creates every object of objs that does not exist yet, at
// once, as kubectl apply -k does.
func createAll(t *testing.T, objs []*unstructured.Unstructured) {
	t.Helper()
	for _, u := range objs {
		if err := env.Client.Create(t.Context(), u.DeepCopy()); err != nil && !apierrors.IsAlreadyExists(err) {
			t.Fatalf("create %s/%s: %v", u.GetKind(), u.GetName(), err)
		}
	}
}

func corednsPods(t *testing.T, ns string) []corev1.Pod {
	t.Helper()
	pods := &corev1.PodList{}
	if err := env.Client.List(t.Context(), pods, client.InNamespace(ns), client.MatchingLabels(acksim.CoreDNSLabels)); err != nil {
		t.Fatal(err)
	}
	return pods.Items
}

func addonOf(objs []*unstructured.Unstructured, name string) *unstructured.Unstructured {
	for _, u := range objs {
		if u.GetKind() == "Addon" && u.GetName() == name {
			return u
		}
	}
	return nil
}

// TestCoreDNSRunsOnFargate applies dev as kubectl apply -k does, all at
// once, with the Fargate profile that runs CoreDNS slow to become ACTIVE: the
// first phase brings no CoreDNS at all (bootstrapSelfManagedAddons false,
// the coredns Addon waits for the second phase); the second, rendered from
// the late values once everything is ready, brings the Addon, whose pods
// are created after the profile and so are all Fargate's.
func TestCoreDNSRunsOnFargate(t *testing.T) {
	apitest.Skip(t)
	ns, wl := env.Namespace(t), env.Namespace(t)
	acksim.New(env.Client, ns, acksim.Options{
		Workload: env.Client, WorkloadNamespace: wl,
		Delay: map[string]time.Duration{"FargateProfile/game-2048": 500 * time.Millisecond},
	}).Start(t)
	first := devObjects(t, ns, config.LateValues{})
	if addonOf(first, "coredns") != nil {
		t.Fatal("the first phase of a Fargate-only environment renders the coredns Addon")
	}
	createAll(t, first)
	waitSynced(t, first...)
	if err := env.Client.Get(t.Context(), client.ObjectKey{Namespace: wl, Name: "coredns"}, &appsv1.Deployment{}); !apierrors.IsNotFound(err) {
		t.Fatalf("CoreDNS Deployment after the first phase: %v, want none (no self-managed add-ons)", err)
	}
	second := devObjects(t, ns, secondPhase)
	createAll(t, second)
	waitSynced(t, second...)
	checkStatus(t, fresh(t, addonOf(second, "coredns")), map[string]string{"status": "ACTIVE"})
	pods := corednsPods(t, wl)
	if len(pods) != 2 {
		t.Fatalf("%d CoreDNS pods, want 2", len(pods))
	}
	for _, p := range pods {
		if p.Spec.SchedulerName != acksim.FargateScheduler || p.Annotations["eks.amazonaws.com/compute-type"] != "fargate" {
			t.Errorf("pod %s: scheduler %s, annotations %v; want Fargate's", p.Name, p.Spec.SchedulerName, p.Annotations)
		}
	}
}

// TestCoreDNSBeforeItsProfileStaysPending is what the second phase
// avoids: the coredns Addon applied together with the Fargate profiles gets
// pods before the profile that selects them (the game's) is ACTIVE; they
// keep default-scheduler after it is, and the Addon stays DEGRADED, never
// synced.
func TestCoreDNSBeforeItsProfileStaysPending(t *testing.T) {
	apitest.Skip(t)
	ns, wl := env.Namespace(t), env.Namespace(t)
	sim := acksim.New(env.Client, ns, acksim.Options{
		Workload: env.Client, WorkloadNamespace: wl,
		Delay: map[string]time.Duration{"FargateProfile/game-2048": 500 * time.Millisecond},
	})
	sim.Start(t)
	all := devObjects(t, ns, secondPhase)
	createAll(t, all)
	var profile *unstructured.Unstructured
	for _, u := range all {
		if u.GetKind() == "FargateProfile" && u.GetName() == "game-2048" {
			profile = u
		}
	}
	waitSynced(t, profile)
	time.Sleep(300 * time.Millisecond) // a few more passes after the profile is ACTIVE
	addon := fresh(t, addonOf(all, "coredns"))
	checkStatus(t, addon, map[string]string{"status": "DEGRADED"})
	if hasCond(addon, cond{Type: "ACK.ResourceSynced", Status: "True"}) {
		t.Error("a DEGRADED Addon is synced")
	}
	for _, p := range corednsPods(t, wl) {
		if p.Spec.SchedulerName != corev1.DefaultSchedulerName {
			t.Errorf("pod %s created before the profile has scheduler %s", p.Name, p.Spec.SchedulerName)
		}
	}
}

// TestSelfManagedCoreDNSIsEC2 is EKS's bootstrap without render's
// bootstrapSelfManagedAddons false: a CoreDNS whose pods ask for ec2, which
// no Fargate profile takes.
func TestSelfManagedCoreDNSIsEC2(t *testing.T) {
	apitest.Skip(t)
	ns, wl := env.Namespace(t), env.Namespace(t)
	acksim.New(env.Client, ns, acksim.Options{Workload: env.Client, WorkloadNamespace: wl}).Start(t)
	objs := create(t, ns, chain)
	waitSynced(t, objs...)
	dep := &appsv1.Deployment{}
	if err := env.Client.Get(t.Context(), client.ObjectKey{Namespace: wl, Name: "coredns"}, dep); err != nil {
		t.Fatal(err)
	}
	if got := dep.Spec.Template.Annotations["eks.amazonaws.com/compute-type"]; got != "ec2" {
		t.Errorf("self-managed CoreDNS compute type %q, want ec2", got)
	}
}
