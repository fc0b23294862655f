package gen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
)

// TestOverlaysBuildToTheRendering proves the factoring into base and
// overlays loses and invents nothing: building overlays/<env> gives exactly
// EnvObjects, what Render returned for that environment, in its namespace.
func TestOverlaysBuildToTheRendering(t *testing.T) {
	eachBuild(t, func(t *testing.T, _ *config.Config, env config.Environment, workload bool, got built) {
		objs, err := objectsForTest(env, lateForTests[env.Name], workload)
		if err != nil {
			t.Fatal(err)
		}
		want := decodeAll(t, encodeAll(t, objs))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("built overlay differs from the rendering (-want +got):\n%s", diff)
		}
	})
}

func encodeAll(t testing.TB, objs built) []byte {
	t.Helper()
	var b []byte
	for _, o := range objs {
		doc, err := encode("---\n", o)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, doc...)
	}
	return b
}

// TestKubectlKustomizeAgrees builds every overlay with kubectl kustomize
// (kubectl v1.32, kustomize v5.5) and compares with krusty in-process.
func TestKubectlKustomizeAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("runs kubectl; skipped with -short")
	}
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Fatal("kubectl is needed for this test (it is on the development and CI machines): ", err)
	}
	for name, cfg := range configs(t) {
		out := generate(t, cfg)
		dir := writeTree(t, out.Files)
		for _, env := range cfg.Environments {
			for _, sub := range []string{"", WorkloadDir} {
				t.Run(name+"/"+env.Name+"/"+sub, func(t *testing.T) {
					b, err := exec.Command(kubectl, "kustomize", filepath.Join(dir, OverlaysDir, env.Name, sub)).Output()
					if err != nil {
						t.Fatalf("kubectl kustomize: %v: %s", err, stderrOf(err))
					}
					want := buildEnv(t, out.Files, env.Name, sub != "")
					if diff := cmp.Diff(want, decodeAll(t, b)); diff != "" {
						t.Errorf("kubectl kustomize differs from krusty (-krusty +kubectl):\n%s", diff)
					}
				})
			}
		}
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

func writeTree(t testing.TB, tree Tree) string {
	t.Helper()
	dir := t.TempDir()
	for _, p := range tree.Paths() {
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(p)), tree[p]); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestUserNamePrefixKeepsReferences builds a user's own overlay on top of
// overlays/<env> that adds namePrefix and nameSuffix: with base's
// kustomizeconfig.yaml every reference follows the renamed object.
func TestUserNamePrefixKeepsReferences(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	tree := generate(t, cfg).Files
	for _, env := range cfg.Environments {
		t.Run(env.Name, func(t *testing.T) {
			objs := buildWithPrefix(t, tree, env.Name)
			renamed := 0
			for _, o := range objs {
				u := unstructured.Unstructured{Object: o}
				if strings.HasPrefix(u.GetName(), "acme-") && strings.HasSuffix(u.GetName(), "-blue") {
					renamed++
				}
			}
			if renamed < len(objs)-1 {
				t.Errorf("only %d of %d objects renamed", renamed, len(objs))
			}
			for _, p := range checkRefs(objs) {
				t.Error(p)
			}
		})
	}
	t.Run("without kustomizeconfig.yaml the references break", func(t *testing.T) {
		broken := Tree{}
		for p, b := range tree {
			broken[p] = b
		}
		broken[BaseDir+"/kustomization.yaml"] = []byte(strings.Replace(string(tree[BaseDir+"/kustomization.yaml"]), "configurations:\n- kustomizeconfig.yaml\n", "", 1))
		if len(checkRefs(buildWithPrefix(t, broken, "dev"))) == 0 {
			t.Error("checkRefs found nothing wrong without the nameReference configuration")
		}
	})
}

func buildWithPrefix(t *testing.T, tree Tree, env string) built {
	t.Helper()
	fsys, err := tree.InMemory("/repo")
	if err != nil {
		t.Fatal(err)
	}
	user := "resources:\n- ../repo/overlays/" + env + "\nnamePrefix: acme-\nnameSuffix: -blue\n"
	if err := fsys.WriteFile("/mine/kustomization.yaml", []byte(user)); err != nil {
		t.Fatal(err)
	}
	m, err := Build(fsys, "/mine")
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	return decodeAll(t, b)
}

// TestDeterministic renders the same tree twice, with GOMAXPROCS 1 and 8
// and from another working directory.
func TestDeterministic(t *testing.T) {
	data, err := os.ReadFile("testdata/configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	render := func() Tree {
		cfg, err := config.Parse("example.yaml", data, eksversion.ReferenceDay)
		if err != nil {
			t.Fatal(err)
		}
		return generate(t, cfg).Files
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	first := render()
	runtime.GOMAXPROCS(8)
	t.Chdir(t.TempDir())
	t.Setenv("TZ", "Asia/Kathmandu")
	t.Setenv("LC_ALL", "tr_TR.UTF-8")
	if diff := cmp.Diff(first, render()); diff != "" {
		t.Errorf("second rendering differs:\n%s", diff)
	}
}

// objectsForTest is EnvObjects as generic maps, for comparisons.
func objectsForTest(env config.Environment, late LateValues, workload bool) ([]map[string]any, error) {
	objs, err := EnvObjects(env, late, workload)
	if err != nil {
		return nil, fmt.Errorf("environment %s: %w", env.Name, err)
	}
	out := make([]map[string]any, len(objs))
	for i, u := range objs {
		out[i] = u.Object
	}
	return out, nil
}
