package graph

import "k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

// Name is how every message names an object: Kind/namespace/name, or
// Kind/name for a cluster-scoped one.
func Name(kind, namespace, name string) string {
	if namespace == "" {
		return kind + "/" + name
	}
	return kind + "/" + namespace + "/" + name
}

// NameOf names an unstructured object.
func NameOf(u *unstructured.Unstructured) string {
	return Name(u.GetKind(), u.GetNamespace(), u.GetName())
}
