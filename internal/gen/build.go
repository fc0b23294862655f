package gen

import (
	"fmt"
	"path"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Build runs kustomize (krusty, in-process) on the kustomization in dir of
// fsys, as `kubectl kustomize dir` would.
func Build(fsys filesys.FileSystem, dir string) (resmap.ResMap, error) {
	opts := krusty.MakeDefaultOptions()
	opts.Reorder = krusty.ReorderOptionLegacy // as kubectl kustomize: Namespaces first
	k := krusty.MakeKustomizer(opts)
	m, err := k.Run(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	return m, nil
}

// InMemory returns a filesystem holding the tree under root.
func (t Tree) InMemory(root string) (filesys.FileSystem, error) {
	fsys := filesys.MakeFsInMemory()
	for _, p := range t.Paths() {
		if err := fsys.WriteFile(path.Join(root, p), t[p]); err != nil {
			return nil, fmt.Errorf("write %s: %w", p, err)
		}
	}
	return fsys, nil
}

// BuildEnv builds one environment's overlay from the tree: the management
// objects, or with workload the objects for the new cluster.
func (t Tree) BuildEnv(env string, workload bool) (resmap.ResMap, error) {
	fsys, err := t.InMemory("/")
	if err != nil {
		return nil, err
	}
	dir := path.Join("/", OverlaysDir, env)
	if workload {
		dir = path.Join(dir, WorkloadDir)
	}
	return Build(fsys, dir)
}

// Objects converts a build's resources into unstructured objects, through
// JSON so that numbers are int64 as the Kubernetes machinery expects.
func Objects(m resmap.ResMap) ([]*unstructured.Unstructured, error) {
	out := make([]*unstructured.Unstructured, 0, m.Size())
	for _, r := range m.Resources() {
		b, err := r.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.CurId(), err)
		}
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(b); err != nil {
			return nil, fmt.Errorf("%s: %w", r.CurId(), err)
		}
		out = append(out, u)
	}
	return out, nil
}
