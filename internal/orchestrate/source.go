package orchestrate

import (
	"context"
	"fmt"
	"io"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
)

// Source is what render apply applies: objects, and for an environment
// rendered from the configuration, the environment and its committed
// outputs.
type Source struct {
	Objects   []*unstructured.Unstructured
	Env       *config.Environment
	Committed Committed
	// ApplySet is the inventory the objects are recorded in.
	ApplySet apply.ApplySet
	// Complete is false while objects that need late values are missing
	// (Pending says which): such a rendering must not be pruned against.
	Complete bool
	Pending  []string
	// Late are the late values an environment was rendered with.
	Late config.LateValues
}

// EnvSource is environment env to be rendered (Source.Render), recorded in
// applySet ("NAMESPACE/NAME"), or in EnvApplySet when applySet is "".
func EnvSource(env *config.Environment, committed Committed, applySet string) (*Source, error) {
	src := &Source{Env: env, Committed: committed, ApplySet: EnvApplySet(*env)}
	if applySet != "" {
		var err error
		if src.ApplySet, err = ParseApplySet(applySet); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// ApplySource is what render apply applies: the kustomization in dir
// (-k DIR), else the environment named in args (ENV) as in reads it, with
// its outputs file, if any; applySet is --applyset.
func (in Input) ApplySource(dir string, args []string, applySet string) (*Source, error) {
	switch {
	case dir != "" && len(args) > 0:
		return nil, fmt.Errorf("give an environment or -k DIR, not both")
	case dir != "":
		return KustomizeSource(dir, applySet)
	case len(args) == 0:
		return nil, fmt.Errorf("name an environment (render apply dev) or a kustomization (-k DIR)")
	}
	_, env, committed, err := in.Environment(args[0])
	if err != nil {
		return nil, err
	}
	return EnvSource(env, committed, applySet)
}

// KustomizeSource is the kustomization in dir, taken as whole (what it
// lacks is pruned), recorded in applySet, or in the one Namespace it has.
func KustomizeSource(dir, applySet string) (*Source, error) {
	m, err := gen.Build(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, err
	}
	objs, err := gen.Objects(m)
	if err != nil {
		return nil, err
	}
	src := &Source{Objects: objs, Complete: true}
	if applySet != "" {
		src.ApplySet, err = ParseApplySet(applySet)
	} else {
		src.ApplySet, err = defaultApplySet(dir, objs)
	}
	return src, err
}

// Render renders the environment, if the source is one, with its late
// values (Render: committed, else live), and says where they came from.
func (s *Source) Render(ctx context.Context, m *apply.Manager, progress io.Writer) error {
	if s.Env == nil {
		return nil
	}
	r, err := Render(ctx, m, *s.Env, s.Committed, progress)
	if err != nil {
		return err
	}
	r.Announce(progress)
	s.Objects, s.Pending, s.Complete, s.Late = r.Objects, r.Pending, r.Complete(), r.Late
	return nil
}

func (s *Source) envName() string {
	if s.Env == nil {
		return "ENV"
	}
	return s.Env.Name
}

// ParseApplySet reads --applyset NAMESPACE/NAME.
func ParseApplySet(v string) (apply.ApplySet, error) {
	ns, name, ok := strings.Cut(v, "/")
	if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
		return apply.ApplySet{}, fmt.Errorf("--applyset %q: want NAMESPACE/NAME of the parent Secret", v)
	}
	return apply.ApplySet{Parent: types.NamespacedName{Namespace: ns, Name: name}}, nil
}

// defaultApplySet is the parent for objs applied with -k: in the one
// Namespace among them.
func defaultApplySet(dir string, objs []*unstructured.Unstructured) (apply.ApplySet, error) {
	var names []string
	for _, u := range objs {
		if u.GetKind() == "Namespace" && u.GroupVersionKind().Group == "" {
			names = append(names, u.GetName())
		}
	}
	if len(names) != 1 {
		return apply.ApplySet{}, fmt.Errorf("-k %s has %d Namespaces (%s): say where render keeps its inventory with --applyset NAMESPACE/NAME",
			dir, len(names), strings.Join(names, ", "))
	}
	return apply.ApplySet{Parent: types.NamespacedName{Namespace: names[0], Name: ApplySetName}}, nil
}
