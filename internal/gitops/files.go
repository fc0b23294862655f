package gitops

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/api/types"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
)

// Tool is a GitOps tool render gen --gitops writes for.
type Tool string

// The tools.
const (
	Flux   Tool = "flux"
	ArgoCD Tool = "argocd"
)

// String returns the tool's name as the flag takes it.
func (t Tool) String() string { return string(t) }

// ParseTool reads a --gitops value.
func ParseTool(s string) (Tool, error) {
	switch t := Tool(s); t {
	case Flux, ArgoCD:
		return t, nil
	}
	return "", fmt.Errorf("--gitops %q: want %s or %s", s, Flux, ArgoCD)
}

// Options say where the tool finds the tree.
type Options struct {
	// RepoURL is the Git repository holding the tree; required, never
	// defaulted: a guess would point a user's GitOps tool at someone
	// else's repository.
	RepoURL string
	// Branch is the branch to follow (default "main").
	Branch string
	// TreeDir is the directory of base/ and overlays/ in the repository,
	// slash-separated (default ".", the root).
	TreeDir string
}

// ExampleRepoURL is this project's repository, which the examples follow
// (examples/); never a default for anyone else's tree.
const ExampleRepoURL = "https://github.com/eks-render/render"

// errNoRepo is Files' error without Options.RepoURL.
var errNoRepo = errors.New("--gitops-repo is required with --gitops: the URL of the Git repository that holds this tree, e.g. https://github.com/you/platform")

func (o Options) withDefaults() Options {
	if o.Branch == "" {
		o.Branch = "main"
	}
	if o.TreeDir == "" {
		o.TreeDir = "."
	}
	return o
}

// overlayPath is the repository path of environment env's overlay, or of
// its workload.
func (o Options) overlayPath(env string, workload bool) string {
	p := path.Join(o.TreeDir, gen.OverlaysDir, env)
	if workload {
		p = path.Join(p, gen.WorkloadDir)
	}
	return p
}

// Files returns the tool's objects for every environment of cfg, one file
// each (named <kind>-<name>.yaml, as in the tree), and a kustomization.yaml
// listing what is applied with kubectl apply -k. Paths are relative to the
// directory they are written to.
func Files(cfg *config.Config, tool Tool, opts Options) (gen.Tree, error) {
	if opts.RepoURL == "" {
		return nil, errNoRepo
	}
	opts = opts.withDefaults()
	var objs []object
	switch tool {
	case Flux:
		objs = fluxObjects(cfg, opts)
	case ArgoCD:
		objs = argoObjects(cfg, opts)
	default:
		return nil, fmt.Errorf("unknown GitOps tool %q", tool)
	}
	t := gen.Tree{}
	var resources []string
	for _, o := range objs {
		name := fileName(o.kind, o.name)
		b, err := gen.EncodeFile(cfg, o.value)
		if err != nil {
			return nil, fmt.Errorf("encode %s/%s/%s: %w", o.kind, o.namespace, o.name, err)
		}
		t[name] = b
		if !o.notApplied {
			resources = append(resources, name)
		}
	}
	sort.Strings(resources)
	k := types.Kustomization{
		TypeMeta:  types.TypeMeta{APIVersion: types.KustomizationVersion, Kind: types.KustomizationKind},
		Resources: resources,
	}
	b, err := gen.EncodeFile(cfg, k)
	if err != nil {
		return nil, fmt.Errorf("encode kustomization.yaml: %w", err)
	}
	t["kustomization.yaml"] = b
	return t, nil
}

// object is one typed object of Files, with what names its file.
type object struct {
	kind, namespace, name string
	value                 any
	// notApplied keeps the object out of kustomization.yaml: argocd-cm is
	// merged into Argo CD's own ConfigMap, not applied whole.
	notApplied bool
}

func fileName(kind, name string) string {
	return strings.ToLower(kind) + "-" + name + ".yaml"
}

func typeMeta(apiVersion, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
}

func meta(name, namespace string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: map[string]string{"app.kubernetes.io/managed-by": "render"}}
}
