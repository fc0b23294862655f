package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// TestOutputsWaitsForFargateProfiles: while a Fargate profile is still
// being created, render outputs writes nothing, so the second phase (and
// with it a Fargate-only environment's CoreDNS add-on) cannot be rendered
// before the profile that will run CoreDNS is ready.
func TestOutputsWaitsForFargateProfiles(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: gate")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acksim.New(env.Client, "gate-dev", acksim.Options{Delay: map[string]time.Duration{"FargateProfile/kube-system": time.Hour}}).Start(t)
	if code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--wait=false", "--workload=false"); code != 0 {
		t.Fatalf("render apply --wait=false = %d:\n%s", code, errOut)
	}
	code, _, errOut := run(t, dir, "outputs", "dev", "--kubeconfig", kubeconfig)
	if code == 0 || !strings.Contains(errOut, "FargateProfile/gate-dev/kube-system") || !strings.Contains(errOut, "not writing the late values") {
		t.Fatalf("render outputs with a profile in creation = %d, want a refusal naming it:\n%s", code, errOut)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "outputs", "dev.yaml")); len(matches) > 0 {
		t.Error("outputs/dev.yaml written before the Fargate profiles are ready")
	}
}
