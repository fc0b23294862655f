package gitops

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/schema/schematest"
)

// examples returns what examples/flux and examples/argocd must hold: the
// objects render gen --gitops writes for the repository's platform.yaml,
// with the default options.
func examples(t *testing.T) (gen.Tree, []string) {
	t.Helper()
	cfg := loadConfig(t, filepath.Join(repoRoot, "platform.yaml"))
	all := gen.Tree{}
	var owned []string
	for _, tool := range []Tool{Flux, ArgoCD} {
		files, err := Files(cfg, tool, Options{RepoURL: ExampleRepoURL})
		if err != nil {
			t.Fatal(err)
		}
		dir := path.Join("examples", tool.String())
		for p, b := range files {
			all[path.Join(dir, p)] = b
		}
		owned = append(owned, dir)
	}
	return all, owned
}

// TestExamples keeps examples/ equal to what the code generates (`make
// examples`, or go test ./internal/gitops -run TestExamples -update,
// rewrites it) and checks the examples: every object valid against the
// derived Flux and Argo CD CRDs, every path they name present in the
// repository, every kustomization building.
func TestExamples(t *testing.T) {
	want, owned := examples(t)
	if *update {
		if _, err := gen.WriteOwned(repoRoot, owned, want); err != nil {
			t.Fatal(err)
		}
	}
	stale, err := gen.StaleOwned(repoRoot, owned, want)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Fatalf("examples/ is not what the code generates (run make examples):\n  %s", strings.Join(stale, "\n  "))
	}
	set, err := schematest.LoadGitOps()
	if err != nil {
		t.Fatal(err)
	}
	objs := map[string]*unstructured.Unstructured{}
	for _, p := range want.Paths() {
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal(want[p], &u.Object); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		objs[p] = u
	}
	for _, p := range want.Paths() {
		u := objs[p]
		t.Run(p, func(t *testing.T) {
			switch u.GetAPIVersion() {
			case "kustomize.config.k8s.io/v1beta1":
				checkKustomization(t, path.Dir(p), u)
			case "v1":
				checkConfigMap(t, want[p])
			default:
				if err := set.Validate(u); err != nil {
					t.Errorf("invalid against the derived CRDs: %v", err)
				}
				checkPaths(t, u, objs)
			}
		})
	}
}

// checkKustomization builds dir as kubectl apply -k would and checks that
// it lists every object of dir except argocd-cm.
func checkKustomization(t *testing.T, dir string, k *unstructured.Unstructured) {
	t.Helper()
	m, err := gen.Build(filesys.MakeFsOnDisk(), filepath.Join(repoRoot, filepath.FromSlash(dir)))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(repoRoot, filepath.FromSlash(dir)))
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, e := range entries {
		if e.Name() != "kustomization.yaml" && e.Name() != "configmap-argocd-cm.yaml" {
			want++
		}
	}
	if m.Size() != want {
		t.Errorf("kustomize build gives %d objects, want %d", m.Size(), want)
	}
}

// checkConfigMap decodes argocd-cm strictly and checks that it carries the
// health check of every kind.
func checkConfigMap(t *testing.T, b []byte) {
	t.Helper()
	cm := &corev1.ConfigMap{}
	if err := yaml.UnmarshalStrict(b, cm); err != nil {
		t.Fatal(err)
	}
	if cm.Name != "argocd-cm" || cm.Namespace != ArgoCDNamespace {
		t.Errorf("ConfigMap %s/%s, want %s/argocd-cm", cm.Namespace, cm.Name, ArgoCDNamespace)
	}
	for _, k := range Kinds() {
		if cm.Data[HealthKey(k)] != HealthLua {
			t.Errorf("no health check %s", HealthKey(k))
		}
	}
}

// checkPaths checks that what u points at exists: the overlay it syncs
// (a kustomization in the repository), its source and the Kustomizations it
// depends on.
func checkPaths(t *testing.T, u *unstructured.Unstructured, objs map[string]*unstructured.Unstructured) {
	t.Helper()
	var dir string
	switch u.GetKind() {
	case "Kustomization":
		dir, _, _ = unstructured.NestedString(u.Object, "spec", "path")
		src, _, _ := unstructured.NestedString(u.Object, "spec", "sourceRef", "name")
		if !has(objs, "GitRepository", src) {
			t.Errorf("sourceRef %s: no such GitRepository in the example", src)
		}
		deps, _, _ := unstructured.NestedSlice(u.Object, "spec", "dependsOn")
		for _, d := range deps {
			if name := d.(map[string]any)["name"].(string); !has(objs, "Kustomization", name) {
				t.Errorf("dependsOn %s: no such Kustomization in the example", name)
			}
		}
	case "Application":
		dir, _, _ = unstructured.NestedString(u.Object, "spec", "source", "path")
	default:
		return
	}
	if dir == "" {
		t.Fatal("names no path")
	}
	if _, err := os.Stat(filepath.Join(repoRoot, filepath.FromSlash(dir), "kustomization.yaml")); err != nil {
		t.Errorf("path %s is not a kustomization in the repository: %v", dir, err)
	}
}

func has(objs map[string]*unstructured.Unstructured, kind, name string) bool {
	for _, u := range objs {
		if u.GetKind() == kind && u.GetName() == name {
			return true
		}
	}
	return false
}
