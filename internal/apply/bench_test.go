package apply_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/gen"
)

// The apply benchmarks compare `render apply dev --wait=false` with
// `kubectl apply --server-side -k overlays/dev` (the same objects), both as
// whole processes against the same apiserver: a first apply, after the
// previous iteration's objects are deleted (the Namespace stays: without a
// namespace controller it could never finish terminating), and a re-apply
// that changes nothing. Run with make bench.

type benchTools struct {
	render, kubectl, kubeconfig string
}

func setupBench(b *testing.B) *benchTools {
	apitest.Skip(b)
	tools := &benchTools{render: filepath.Join(b.TempDir(), "render")}
	if out, err := exec.Command("go", "build", "-o", tools.render, "../../cmd/render").CombinedOutput(); err != nil {
		b.Fatalf("build render: %v\n%s", err, out)
	}
	var err error
	if tools.kubectl, err = exec.LookPath("kubectl"); err != nil {
		b.Fatal(err)
	}
	if tools.kubeconfig, err = env.Kubeconfig(b.TempDir()); err != nil {
		b.Fatal(err)
	}
	return tools
}

func (bt *benchTools) cmd(tool string) *exec.Cmd {
	if tool == "render" {
		return exec.Command(bt.render, "apply", "dev", "-f", "../../platform.yaml", "--wait=false", "--kubeconfig", bt.kubeconfig)
	}
	return exec.Command(bt.kubectl, "apply", "--server-side", "-k", "../../overlays/dev", "--kubeconfig", bt.kubeconfig)
}

// clean deletes the namespaced objects of overlays/dev.
func clean(b *testing.B) {
	objs, err := gen.Objects(buildRepoOverlay(b))
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range objs {
		if u.GetKind() == "Namespace" {
			continue
		}
		if err := env.Client.Delete(b.Context(), u); err != nil && !apierrors.IsNotFound(err) {
			b.Fatal(err)
		}
	}
}

func buildRepoOverlay(b *testing.B) resmap.ResMap {
	m, err := gen.Build(filesys.MakeFsOnDisk(), "../../overlays/dev")
	if err != nil {
		b.Fatal(err)
	}
	return m
}

func run(b *testing.B, c *exec.Cmd) {
	start := time.Now()
	out, err := c.CombinedOutput()
	if err != nil {
		b.Fatalf("%s: %v\n%s", c, err, out)
	}
	if os.Getenv("BENCH_DEBUG") != "" {
		b.Logf("%s took %s:\n%s", c.Args[0], time.Since(start), out)
	}
}

func BenchmarkFirstApply(b *testing.B) {
	bt := setupBench(b)
	for _, tool := range []string{"render", "kubectl"} {
		b.Run(tool, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				clean(b)
				b.StartTimer()
				run(b, bt.cmd(tool))
			}
		})
	}
}

// BenchmarkReapply also prints the ratio of the two, whose goal is at
// most 0.1.
func BenchmarkReapply(b *testing.B) {
	bt := setupBench(b)
	per := map[string]time.Duration{}
	for _, tool := range []string{"render", "kubectl"} {
		b.Run(tool, func(b *testing.B) {
			run(b, bt.cmd(tool))
			n := 0
			for b.Loop() {
				run(b, bt.cmd(tool))
				n++
			}
			per[tool] = b.Elapsed() / time.Duration(max(n, 1))
		})
	}
	if per["kubectl"] > 0 {
		b.Logf("no-op re-apply of dev: render apply --wait=false %s, kubectl apply --server-side -k %s: %.2fx (goal <= 0.10x)",
			per["render"].Round(time.Millisecond), per["kubectl"].Round(time.Millisecond), float64(per["render"])/float64(per["kubectl"]))
	}
}
