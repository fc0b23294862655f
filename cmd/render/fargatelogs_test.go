package main

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/graph"
)

// watchFargateLogging records, on the new cluster, when the Fargate log
// router's ConfigMap and each Deployment are first seen, and returns a
// check to call after render apply: EKS configures a Fargate pod's log
// router from the ConfigMap as it is when the pod starts ("Any changes to
// a ConfigMap are applied to new Pods only", EKS User Guide,
// fargate-logging.adoc), so the ConfigMap, with the shape EKS requires,
// must exist before any Deployment makes pods.
func watchFargateLogging(t *testing.T, workload *apitest.Env, cluster string) func() {
	t.Helper()
	var seen firstSeen
	cmName := graph.Name("ConfigMap", graph.FargateLogging.Namespace, graph.FargateLogging.ConfigMap)
	kinds := []*unstructured.Unstructured{{}, {}}
	kinds[0].SetAPIVersion("v1")
	kinds[0].SetKind("ConfigMap")
	kinds[1].SetAPIVersion("apps/v1")
	kinds[1].SetKind("Deployment")
	apitest.WatchKinds(t, workload.Config, kinds, func(typ watch.EventType, u *unstructured.Unstructured) {
		if typ == watch.Added && (u.GetKind() == "Deployment" || graph.NameOf(u) == cmName) {
			seen.add(graph.NameOf(u))
		}
	})
	return func() {
		t.Helper()
		order, _ := seen.list()
		if len(order) < 2 || order[0] != cmName || !strings.Contains(strings.Join(order, " "), "Deployment/2048-game/app-2048") {
			t.Errorf("created on the new cluster in the order %v; want %s first, then the Deployments", order, cmName)
		}
		var ns corev1.Namespace
		var cm corev1.ConfigMap
		ctx := t.Context()
		if err := workload.Client.Get(ctx, client.ObjectKey{Name: graph.FargateLogging.Namespace}, &ns); err != nil || ns.Labels["aws-observability"] != "enabled" {
			t.Errorf("Namespace/%s: %v, labels %v; want the label aws-observability: enabled", graph.FargateLogging.Namespace, err, ns.Labels)
		}
		if err := workload.Client.Get(ctx, client.ObjectKey{Namespace: graph.FargateLogging.Namespace, Name: graph.FargateLogging.ConfigMap}, &cm); err != nil {
			t.Fatalf("%s: %v", cmName, err)
		}
		out := cm.Data["output.conf"]
		for _, want := range []string{"[OUTPUT]\n", "    Name cloudwatch_logs\n", "    log_group_name /aws/eks/" + cluster + "/fargate\n", "    auto_create_group false\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s output.conf lacks %q:\n%s", cmName, want, out)
			}
		}
	}
}
