package gen

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/eks-render/render/internal/ack"
)

// TestMetricsServerServesTheAutoscaler checks the chain the autoscaler
// depends on in every environment of the example: the HorizontalPodAutoscaler
// reads a resource metric, which the APIService v1beta1.metrics.k8s.io
// serves through the metrics-server Service, whose port reaches the
// container on 10251 (not the kubelet's 10250, taken on Fargate); and on a
// Fargate-only cluster a Fargate profile selects metrics-server's pods.
func TestMetricsServerServesTheAutoscaler(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	tree := generate(t, cfg).Files
	for _, env := range cfg.Environments {
		t.Run(env.Name, func(t *testing.T) {
			work := buildEnv(t, tree, env.Name, true)
			if env.App.Autoscaling != nil {
				hpa := typed[autoscalingv2.HorizontalPodAutoscaler](t, work, "HorizontalPodAutoscaler", appNamespace, appName)
				if m := hpa.Spec.Metrics; len(m) != 1 || m[0].Type != autoscalingv2.ResourceMetricSourceType {
					t.Errorf("the autoscaler's metrics %+v, want one resource metric (metrics.k8s.io)", m)
				}
			}
			api := typed[apiService](t, work, "APIService", "", msAPIService)
			if api.Spec.Group != "metrics.k8s.io" || api.Spec.Version != "v1beta1" || api.Spec.Service == nil ||
				*api.Spec.Service != (apiServiceRef{Namespace: msNamespace, Name: msName}) {
				t.Errorf("APIService/%s = %+v, want metrics.k8s.io/v1beta1 served by Service/%s/%s", msAPIService, api.Spec, msNamespace, msName)
			}
			svc := typed[corev1.Service](t, work, "Service", msNamespace, msName)
			dep := typed[appsv1.Deployment](t, work, "Deployment", msNamespace, msName)
			pods := labels.Set(dep.Spec.Template.Labels)
			if !labels.SelectorFromSet(svc.Spec.Selector).Matches(pods) {
				t.Errorf("Service/%s/%s does not select metrics-server's pods", msNamespace, msName)
			}
			c := dep.Spec.Template.Spec.Containers[0]
			if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort.StrVal != c.Ports[0].Name || c.Ports[0].ContainerPort != 10251 {
				t.Errorf("Service port %+v, container ports %+v: want the Service to reach the container on 10251", svc.Spec.Ports, c.Ports)
			}
			if env.NodeGroup != nil {
				return
			}
			mgmt := buildEnv(t, tree, env.Name, false)
			selected := false
			for _, m := range mgmt {
				if m["kind"] != "FargateProfile" {
					continue
				}
				p := typed[ack.FargateProfile](t, mgmt, "FargateProfile", env.ClusterName, m["metadata"].(map[string]any)["name"].(string))
				for _, s := range p.Spec.Selectors {
					selected = selected || s.Namespace == msNamespace && labels.SelectorFromSet(s.Labels).Matches(pods)
				}
			}
			if !selected {
				t.Errorf("no Fargate profile of the Fargate-only %s selects metrics-server's pods", env.Name)
			}
		})
	}
}
