package gen

import (
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/graph"
)

// annotateLevels sets annotation key on every object of every environment
// to its level in graph.Levels of what the environment's overlay builds to:
// the management objects in the environment's namespace with that
// Namespace (level 0, annotated in overlay), and the workload as it is. So
// the levels are the ones render apply orders by.
func annotateLevels(envs []config.Environment, rendered []renderedEnv, key string) error {
	for i, env := range envs {
		ns, err := toMap(namespaceObject(env))
		if err != nil {
			return err
		}
		if err := annotateSet(rendered[i].management, ns, env.ClusterName, key); err != nil {
			return fmt.Errorf("environment %s: %w", env.Name, err)
		}
		if err := annotateSet(rendered[i].workload, nil, "", key); err != nil {
			return fmt.Errorf("environment %s workload: %w", env.Name, err)
		}
	}
	return nil
}

// annotateSet annotates objs with their levels, computed on copies placed
// in namespace (when set) beside the Namespace object ns (when not nil).
func annotateSet(objs []map[string]any, ns map[string]any, namespace, key string) error {
	set := make([]*unstructured.Unstructured, 0, len(objs)+1)
	byCopy := map[*unstructured.Unstructured]map[string]any{}
	if ns != nil {
		set = append(set, &unstructured.Unstructured{Object: ns})
	}
	for _, o := range objs {
		u := (&unstructured.Unstructured{Object: o}).DeepCopy()
		if namespace != "" && u.GetNamespace() == "" {
			u.SetNamespace(namespace)
		}
		byCopy[u] = o
		set = append(set, u)
	}
	levels, err := graph.New(set).Levels()
	if err != nil {
		return err
	}
	for n, level := range levels {
		for _, u := range level {
			if o, ok := byCopy[u]; ok {
				setAnnotation(o, key, strconv.Itoa(n))
			}
		}
	}
	return nil
}

// setAnnotation sets one annotation on a generic object.
func setAnnotation(o map[string]any, key, value string) {
	meta, _ := o["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		o["metadata"] = meta
	}
	ann, _ := meta["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
		meta["annotations"] = ann
	}
	ann[key] = value
}
