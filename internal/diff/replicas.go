package diff

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Replicas is how many pods an application Deployment of the workload (one
// outside kube-system: the 2048 game) may run: its HorizontalPodAutoscaler's
// minReplicas and maxReplicas, or its fixed spec.replicas as both.
type Replicas struct {
	Min        int64 `json:"min"`
	Max        int64 `json:"max"`
	Autoscaled bool  `json:"autoscaled"`
}

// String returns e.g. "2" or "3-10 (autoscaled)"; "-" when there is no
// application Deployment.
func (r Replicas) String() string {
	switch {
	case r.Autoscaled:
		return fmt.Sprintf("%d-%d (autoscaled)", r.Min, r.Max)
	case r.Max == 0:
		return "-"
	}
	return fmt.Sprint(r.Max)
}

// replicasOf reads the application Deployment's replicas from workload
// objects, the first by namespace and name when there are several.
func replicasOf(objs []*unstructured.Unstructured) Replicas {
	var dep *unstructured.Unstructured
	for _, u := range objs {
		if u.GetKind() != "Deployment" || u.GetNamespace() == "kube-system" {
			continue
		}
		if dep == nil || u.GetNamespace()+"/"+u.GetName() < dep.GetNamespace()+"/"+dep.GetName() {
			dep = u
		}
	}
	if dep == nil {
		return Replicas{}
	}
	for _, u := range objs {
		target, _, _ := unstructured.NestedString(u.Object, "spec", "scaleTargetRef", "name")
		kind, _, _ := unstructured.NestedString(u.Object, "spec", "scaleTargetRef", "kind")
		if u.GetKind() == "HorizontalPodAutoscaler" && u.GetNamespace() == dep.GetNamespace() && kind == "Deployment" && target == dep.GetName() {
			lo := number(u.Object, "spec", "minReplicas")
			if _, set, _ := unstructured.NestedFieldNoCopy(u.Object, "spec", "minReplicas"); !set {
				lo = 1 // the API's default
			}
			return Replicas{Min: lo, Max: number(u.Object, "spec", "maxReplicas"), Autoscaled: true}
		}
	}
	n := number(dep.Object, "spec", "replicas")
	if _, set, _ := unstructured.NestedFieldNoCopy(dep.Object, "spec", "replicas"); !set {
		n = 1 // the API's default
	}
	return Replicas{Min: n, Max: n}
}
