package gen

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/config"
)

// EnvObjects returns what building the environment's overlay gives, without
// kustomize: the management objects in the environment's namespace, with
// that Namespace first, or (workload) the objects for the new cluster.
// TestOverlaysBuildToTheRendering holds the two equal.
func EnvObjects(env config.Environment, late LateValues, workload bool) ([]*unstructured.Unstructured, error) {
	r, err := Render(env, late)
	if err != nil {
		return nil, err
	}
	if workload {
		return unstructuredAll(r.Workload, "")
	}
	return managementObjects(env, r)
}

// Management returns, from one rendering, what EnvObjects returns for the
// management cluster and what of it is not rendered yet for want of a late
// value (Rendering.ManagementPending): empty when the rendering is whole,
// and so may be pruned against.
func Management(env config.Environment, late LateValues) ([]*unstructured.Unstructured, []string, error) {
	r, err := Render(env, late)
	if err != nil {
		return nil, nil, err
	}
	objs, err := managementObjects(env, r)
	return objs, r.ManagementPending, err
}

// managementObjects is r's management objects in env's namespace, with
// that Namespace first.
func managementObjects(env config.Environment, r *Rendering) ([]*unstructured.Unstructured, error) {
	ns, err := toMap(namespaceObject(env))
	if err != nil {
		return nil, err
	}
	objs, err := unstructuredAll(r.Management, env.ClusterName)
	if err != nil {
		return nil, err
	}
	return append([]*unstructured.Unstructured{{Object: ns}}, objs...), nil
}

// namespaceObject is the Namespace of an environment's management objects.
func namespaceObject(env config.Environment) *corev1.Namespace {
	return &corev1.Namespace{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: metav1.ObjectMeta{Name: env.ClusterName, Labels: (&renderer{env: env}).labels(), Annotations: namespaceAnnotations(env)},
	}
}

func unstructuredAll(objs []any, namespace string) ([]*unstructured.Unstructured, error) {
	out := make([]*unstructured.Unstructured, len(objs))
	for i, o := range objs {
		m, err := toMap(o)
		if err != nil {
			return nil, err
		}
		u := &unstructured.Unstructured{Object: m}
		if namespace != "" {
			u.SetNamespace(namespace)
		}
		out[i] = u
	}
	return out, nil
}
