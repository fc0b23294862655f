package gen

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// TestDisruptionBudgets checks that the load balancer controller and
// metrics-server always have a budget keeping one replica up, and the game
// one exactly when it
// can run more than one replica (a fixed count, or an autoscaler's
// maximum); each selects its Deployment's pods.
func TestDisruptionBudgets(t *testing.T) {
	// example's prod has the load balancer controller; trio's staging has
	// an autoscaler from one to three replicas.
	checkDisruptionBudgets(t, "testdata/configs/example.yaml", "prod")
	checkDisruptionBudgets(t, "testdata/configs/trio.yaml", "")
}

// checkDisruptionBudgets checks the budgets of file's environments;
// lbcEnv must have the load balancer controller.
func checkDisruptionBudgets(t *testing.T, file, lbcEnv string) {
	cfg := loadConfig(t, file)
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
				most := maxReplicas(t, work, dep)
				if pdb.Spec.MaxUnavailable == nil || pdb.Spec.MaxUnavailable.IntValue() != 1 || most < 2 {
					t.Errorf("PodDisruptionBudget/%s/%s: maxUnavailable %v with at most %d replicas, want 1 of at least 2",
						namespace, name, pdb.Spec.MaxUnavailable, most)
				}
			}
			if env.App.MaxReplicas() > 1 {
				check(appNamespace, appName)
			} else if budgets["PodDisruptionBudget/"+appNamespace+"/"+appName] {
				t.Errorf("a budget for the game's single replica")
			}
			check(msNamespace, msName)
			if budgets["Deployment/"+lbcNamespace+"/"+lbcName] {
				check(lbcNamespace, lbcName)
			} else if env.Name == lbcEnv {
				t.Error("prod renders no load balancer controller: nothing checked")
			}
		})
	}
}

// maxReplicas is the most replicas dep can run: its autoscaler's maximum
// when one targets it (and then render must leave spec.replicas unset),
// else spec.replicas.
func maxReplicas(t *testing.T, work built, dep *appsv1.Deployment) int {
	t.Helper()
	for _, m := range work {
		if key(m) != "HorizontalPodAutoscaler/"+dep.Namespace+"/"+dep.Name {
			continue
		}
		hpa := typed[autoscalingv2.HorizontalPodAutoscaler](t, work, "HorizontalPodAutoscaler", dep.Namespace, dep.Name)
		if dep.Spec.Replicas != nil {
			t.Errorf("Deployment/%s/%s sets spec.replicas %d under an autoscaler", dep.Namespace, dep.Name, *dep.Spec.Replicas)
		}
		return int(hpa.Spec.MaxReplicas)
	}
	return int(*dep.Spec.Replicas)
}
