package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
)

// BenchmarkRender is `render gen` minus process start: parse the example
// configuration, render every environment, lay out and encode the tree,
// and write it (unchanged after the first iteration, as in CI).
func BenchmarkRender(b *testing.B) {
	data, err := os.ReadFile("testdata/configs/example.yaml")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for b.Loop() {
		renderAndWrite(b, data, dir)
	}
}

// BenchmarkRender100Environments renders a configuration of 100
// environments; the target is well under a second.
func BenchmarkRender100Environments(b *testing.B) {
	data := hundredEnvironments(b)
	dir := b.TempDir()
	for b.Loop() {
		renderAndWrite(b, data, dir)
	}
}

// hundredEnvironments is testdata/hundred-environments.yaml.
func hundredEnvironments(b *testing.B) []byte {
	data, err := os.ReadFile("testdata/hundred-environments.yaml")
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func renderAndWrite(b *testing.B, data []byte, dir string) {
	cfg, err := config.Parse("platform.yaml", data, eksversion.ReferenceDay)
	if err != nil {
		b.Fatal(err)
	}
	out, err := Generate(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Write(dir, out.Files); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkKubectlKustomize is the yardstick: one `kubectl kustomize
// overlays/dev` of the example tree.
func BenchmarkKubectlKustomize(b *testing.B) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		b.Skip("kubectl not found")
	}
	dir := writeTree(b, generate(b, loadConfig(b, "testdata/configs/example.yaml")).Files)
	for b.Loop() {
		if out, err := exec.Command(kubectl, "kustomize", filepath.Join(dir, "overlays", "dev")).CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}

// BenchmarkBuildOverlay is the in-process equivalent: krusty on overlays/dev.
func BenchmarkBuildOverlay(b *testing.B) {
	tree := generate(b, loadConfig(b, "testdata/configs/example.yaml")).Files
	for b.Loop() {
		if _, err := tree.BuildEnv("dev", false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerate100Environments is the in-memory part of the above:
// parse, render, factor and encode, without the filesystem.
func BenchmarkGenerate100Environments(b *testing.B) {
	data := hundredEnvironments(b)
	for b.Loop() {
		cfg, err := config.Parse("platform.yaml", data, eksversion.ReferenceDay)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Generate(cfg, nil); err != nil {
			b.Fatal(err)
		}
	}
}
