package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// TestApplyRunsCoreDNSOnFargate is render apply dev against controllers
// (acksim) that also play EKS inside the new cluster, with the Fargate
// profile that runs CoreDNS (the game's) slow to become ACTIVE: every CoreDNS pod EKS creates for
// the add-on is Fargate's, and the add-on is ACTIVE.
func TestApplyRunsCoreDNSOnFargate(t *testing.T) {
	apitest.Skip(t)
	workload := env.Namespace(t) // stands in for the new cluster's kube-system
	dir, kubeconfig := slowCoreDNSProfile(t, "dns", 500*time.Millisecond, acksim.Options{Workload: env.Client, WorkloadNamespace: workload})
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

// TestOutputsWaitsForFargateProfiles: while a Fargate profile is still
// being created, render outputs writes nothing, so the second phase (and
// with it a Fargate-only environment's CoreDNS add-on) cannot be rendered
// before the profile that will run CoreDNS is ready.
func TestOutputsWaitsForFargateProfiles(t *testing.T) {
	apitest.Skip(t)
	dir, kubeconfig := slowCoreDNSProfile(t, "gate", time.Hour, acksim.Options{})
	if code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--wait=false", "--workload=false"); code != 0 {
		t.Fatalf("render apply --wait=false = %d:\n%s", code, errOut)
	}
	code, _, errOut := run(t, dir, "outputs", "dev", "--kubeconfig", kubeconfig)
	if code == 0 || !strings.Contains(errOut, "FargateProfile/gate-dev/game-2048") || !strings.Contains(errOut, "not writing the late values") {
		t.Fatalf("render outputs with a profile in creation = %d, want a refusal naming it:\n%s", code, errOut)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "outputs", "dev.yaml")); len(matches) > 0 {
		t.Error("outputs/dev.yaml written before the Fargate profiles are ready")
	}
}

// slowCoreDNSProfile starts acksim for namespace <name>-dev with the
// Fargate profile that runs CoreDNS, game-2048 (config systemSelectors),
// taking delay to become ACTIVE, and returns a project renamed to name and
// a kubeconfig for the apiserver.
func slowCoreDNSProfile(t *testing.T, name string, delay time.Duration, opts acksim.Options) (dir, kubeconfig string) {
	t.Helper()
	dir = project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: "+name)
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opts.Delay = map[string]time.Duration{"FargateProfile/game-2048": delay}
	acksim.New(env.Client, name+"-dev", opts).Start(t)
	return dir, kubeconfig
}
