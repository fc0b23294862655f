package gitops

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/graph"
)

// built builds every overlay (management and workload) of a tree.
func built(t *testing.T, cfg *config.Config, files gen.Tree) map[string][]*unstructured.Unstructured {
	t.Helper()
	out := map[string][]*unstructured.Unstructured{}
	for _, env := range cfg.Environments {
		for _, workload := range []bool{false, true} {
			m, err := files.BuildEnv(env.Name, workload)
			if err != nil {
				t.Fatal(err)
			}
			objs, err := gen.Objects(m)
			if err != nil {
				t.Fatal(err)
			}
			out[env.Name+map[bool]string{false: "", true: "/workload"}[workload]] = objs
		}
	}
	return out
}

// TestSyncWavesAreGraphLevels builds every overlay rendered with sync waves
// and checks that each object's wave is its level in graph.Levels of the
// built overlay, the order render apply applies in, and that the waves are
// all that changed.
func TestSyncWavesAreGraphLevels(t *testing.T) {
	for name, cfg := range testConfigs(t) {
		for phase, late := range map[string]map[string]gen.LateValues{"first phase": nil, "second phase": allLate(cfg)} {
			t.Run(name+" "+phase, func(t *testing.T) {
				t.Parallel()
				waved, err := gen.GenerateWith(cfg, late, gen.Options{LevelAnnotation: SyncWaveAnnotation})
				if err != nil {
					t.Fatal(err)
				}
				plain, err := gen.Generate(cfg, late)
				if err != nil {
					t.Fatal(err)
				}
				want := built(t, cfg, plain.Files)
				for target, objs := range built(t, cfg, waved.Files) {
					checkWaves(t, target, objs)
					for _, u := range objs {
						ann := u.GetAnnotations()
						delete(ann, SyncWaveAnnotation)
						if len(ann) == 0 {
							ann = nil
						}
						u.SetAnnotations(ann)
					}
					if diff := cmp.Diff(want[target], objs); diff != "" {
						t.Errorf("%s: without the waves, the build differs from the default one (-want +got):\n%s", target, diff)
					}
				}
			})
		}
	}
}

func checkWaves(t *testing.T, target string, objs []*unstructured.Unstructured) {
	t.Helper()
	levels, err := graph.New(objs).Levels()
	if err != nil {
		t.Fatal(err)
	}
	for n, level := range levels {
		for _, u := range level {
			if got := u.GetAnnotations()[SyncWaveAnnotation]; got != strconv.Itoa(n) {
				t.Errorf("%s: %s has sync wave %q, want %d", target, graph.NameOf(u), got, n)
			}
		}
	}
}

// TestAddonWaves checks the orders AWS needs beyond references as Argo CD
// applies them: the coredns add-on in a later wave than the Fargate
// profiles that select its pods and every node group (at least one of
// them), a node group later than vpc-cni.
func TestAddonWaves(t *testing.T) {
	checked := 0
	for name, cfg := range testConfigs(t) {
		waved, err := gen.GenerateWith(cfg, allLate(cfg), gen.Options{LevelAnnotation: SyncWaveAnnotation})
		if err != nil {
			t.Fatal(err)
		}
		for target, objs := range built(t, cfg, waved.Files) {
			wave := map[string]int{}
			for _, u := range objs {
				w, _ := strconv.Atoi(u.GetAnnotations()[SyncWaveAnnotation])
				wave[u.GetKind()+"/"+u.GetName()] = w
			}
			coredns, ok := wave["Addon/coredns"]
			if !ok {
				if _, ok := wave["Cluster/"+cfg.Environments[0].Platform]; ok {
					t.Errorf("%s %s: no coredns add-on in the second phase", name, target)
				}
				continue
			}
			checked++
			compute := 0
			for _, u := range objs {
				k := u.GetKind() + "/" + u.GetName()
				if u.GetKind() == "FargateProfile" && graph.Selects(u, graph.CoreDNSPods) || u.GetKind() == "Nodegroup" {
					compute++
					if wave[k] >= coredns {
						t.Errorf("%s %s: %s in wave %d, coredns in %d", name, target, k, wave[k], coredns)
					}
				}
				if u.GetKind() == "Nodegroup" && wave[k] <= wave["Addon/vpc-cni"] {
					t.Errorf("%s %s: %s in wave %d, vpc-cni in %d", name, target, k, wave[k], wave["Addon/vpc-cni"])
				}
			}
			if compute == 0 {
				t.Errorf("%s %s: no Fargate profile or node group runs coredns", name, target)
			}
		}
	}
	if checked < 3 {
		t.Errorf("coredns found in only %d renderings", checked)
	}
}
