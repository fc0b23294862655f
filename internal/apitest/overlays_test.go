package apitest_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/apitest"
)

// TestKubectlApplyOverlays applies every committed overlay, management and
// workload, to the real apiserver (with the ACK CRDs installed) the way the
// README tells users to: kubectl apply --server-side -k. A second apply
// must change nothing.
func TestKubectlApplyOverlays(t *testing.T) {
	apitest.Skip(t)
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Fatal("kubectl is needed: ", err)
	}
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := filepath.Glob("../../overlays/*/kustomization.yaml")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no overlays: %v", err)
	}
	for _, k := range dirs {
		for _, dir := range []string{filepath.Dir(k), filepath.Join(filepath.Dir(k), "workload")} {
			t.Run(strings.TrimPrefix(dir, "../../"), func(t *testing.T) {
				apply := func() string {
					out, err := exec.Command(kubectl, "--kubeconfig", kubeconfig, "apply", "--server-side",
						"--field-manager", "render-test", "-k", dir).CombinedOutput()
					if err != nil {
						t.Fatalf("kubectl apply -k %s: %v\n%s", dir, err, out)
					}
					return string(out)
				}
				first := apply()
				if !strings.Contains(first, "serverside-applied") {
					t.Fatalf("first apply applied nothing:\n%s", first)
				}
				if second := apply(); strings.Contains(second, "configured") || strings.Contains(second, "created") {
					t.Errorf("second apply changed objects:\n%s", second)
				}
			})
		}
	}
}
