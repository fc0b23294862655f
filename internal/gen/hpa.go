package gen

import (
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// appHPA is the game's HorizontalPodAutoscaler when app.autoscaling is on:
// it keeps the pods' average CPU use at the target share of their request,
// between the minimum and maximum replicas. It reads the CPU use from the
// resource metrics API, v1beta1.metrics.k8s.io, which metrics-server serves
// (metricsServer). The scaling behaviour is Kubernetes' default: scale up
// at once, scale down only after five minutes of lower load.
func (r *renderer) appHPA() []any {
	a := r.env.App.Autoscaling
	if a == nil {
		return nil
	}
	return []any{&autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta:   metav1.TypeMeta{APIVersion: "autoscaling/v2", Kind: "HorizontalPodAutoscaler"},
		ObjectMeta: r.appMeta(appName, appNamespace),
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: appName},
			MinReplicas:    ptrTo(int32(a.MinReplicas)),
			MaxReplicas:    int32(a.MaxReplicas),
			Metrics: []autoscalingv2.MetricSpec{{
				Type: autoscalingv2.ResourceMetricSourceType,
				Resource: &autoscalingv2.ResourceMetricSource{Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{
					Type: autoscalingv2.UtilizationMetricType, AverageUtilization: ptrTo(int32(a.TargetCPUUtilization)),
				}},
			}},
		},
	}}
}

// appReplicas is the Deployment's spec.replicas: the configured count, or
// nil when the autoscaler owns it. Server-side apply then leaves the field
// to the manager that last wrote it (the autoscaler, through the scale
// subresource), so a later apply neither resets the count nor conflicts.
func (r *renderer) appReplicas() *int32 {
	if r.env.App.Autoscaling != nil {
		return nil
	}
	return ptrTo(int32(r.env.App.Replicas))
}
