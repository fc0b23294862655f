package gen

import (
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// pdb keeps all but one of the pods that selector matches running through
// voluntary disruptions: a node drain, and the Fargate OS patching, which
// evicts pods through the eviction API and so respects the budget
// (docs.aws.amazon.com/eks/latest/userguide/fargate-pod-patching.html).
func pdb(meta metav1.ObjectMeta, selector map[string]string) *policyv1.PodDisruptionBudget {
	return &policyv1.PodDisruptionBudget{
		TypeMeta:   metav1.TypeMeta{APIVersion: "policy/v1", Kind: "PodDisruptionBudget"},
		ObjectMeta: meta,
		Spec: policyv1.PodDisruptionBudgetSpec{
			MaxUnavailable: ptrTo(intstr.FromInt32(1)),
			Selector:       &metav1.LabelSelector{MatchLabels: selector},
		},
	}
}

// lbcPDB keeps one of the load balancer controller's two replicas up: its
// webhooks fail closed, so with both evicted at once no Ingress (and no
// LoadBalancer Service) could be written.
func (r *renderer) lbcPDB() *policyv1.PodDisruptionBudget {
	return pdb(r.lbcMeta(lbcName, lbcNamespace), lbcSelector())
}

// appPDB is the game's budget, rendered whenever it can run more than one
// replica (a fixed count above one, or an autoscaler whose maximum is):
// with one, maxUnavailable 1 would allow nothing less than a full outage,
// and a budget that allowed none would block every drain. While the
// autoscaler runs a single replica the budget allows its eviction, so it
// never blocks a drain or Fargate's patching either.
func (r *renderer) appPDB() []any {
	if r.env.App.MaxReplicas() < 2 {
		return nil
	}
	return []any{pdb(r.appMeta(appName, appNamespace), selector())}
}
