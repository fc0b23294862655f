package gen

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// TestDisruptionBudgets checks that the load balancer controller always
// has a budget keeping one replica up, and the game one exactly when it
// runs more than one replica; each selects its Deployment's pods.
func TestDisruptionBudgets(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	tree := generate(t, cfg).Files
	for _, env := range cfg.Environments {
		t.Run(env.Name, func(t *testing.T) {
			work := buildEnv(t, tree, env.Name, true)
			budgets := map[string]bool{} // every object, by Kind/namespace/name
			for _, m := range work {
				budgets[key(m)] = true
			}
			check := func(namespace, name string) {
				dep := typed[appsv1.Deployment](t, work, "Deployment", namespace, name)
				pdb := typed[policyv1.PodDisruptionBudget](t, work, "PodDisruptionBudget", namespace, name)
				sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
				if err != nil || !sel.Matches(labels.Set(dep.Spec.Template.Labels)) {
					t.Errorf("PodDisruptionBudget/%s/%s does not select its Deployment's pods (%v)", namespace, name, err)
				}
				if pdb.Spec.MaxUnavailable == nil || pdb.Spec.MaxUnavailable.IntValue() != 1 || *dep.Spec.Replicas < 2 {
					t.Errorf("PodDisruptionBudget/%s/%s: maxUnavailable %v with %d replicas, want 1 of at least 2",
						namespace, name, pdb.Spec.MaxUnavailable, *dep.Spec.Replicas)
				}
			}
			if env.App.Replicas > 1 {
				check(appNamespace, appName)
			} else if budgets["PodDisruptionBudget/"+appNamespace+"/"+appName] {
				t.Errorf("a budget for the game's single replica")
			}
			if budgets["Deployment/"+lbcNamespace+"/"+lbcName] {
				check(lbcNamespace, lbcName)
			} else if env.Name == "prod" {
				t.Error("prod renders no load balancer controller: nothing checked")
			}
		})
	}
}
