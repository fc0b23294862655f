package main

import (
	"path/filepath"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// TestApplyRunsCoreDNSOnFargate is render apply dev against controllers
// (acksim) that also play EKS inside the new cluster, with the kube-system
// Fargate profile slow to become ACTIVE: every CoreDNS pod EKS creates for
// the add-on is Fargate's, and the add-on is ACTIVE.
func TestApplyRunsCoreDNSOnFargate(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: dns")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	workload := env.Namespace(t) // stands in for the new cluster's kube-system
	acksim.New(env.Client, "dns-dev", acksim.Options{
		Workload: env.Client, WorkloadNamespace: workload,
		Delay: map[string]time.Duration{"FargateProfile/kube-system": 500 * time.Millisecond},
	}).Start(t)
	code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false")
	if code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	pods := &corev1.PodList{}
	if err := env.Client.List(t.Context(), pods, client.InNamespace(workload), client.MatchingLabels(acksim.CoreDNSLabels)); err != nil {
		t.Fatal(err)
	}
	if len(pods.Items) == 0 {
		t.Fatal("no CoreDNS pods: the coredns add-on was not applied")
	}
	for _, p := range pods.Items {
		if p.Spec.SchedulerName != acksim.FargateScheduler {
			t.Errorf("CoreDNS pod %s has scheduler %s, want %s", p.Name, p.Spec.SchedulerName, acksim.FargateScheduler)
		}
	}
}
