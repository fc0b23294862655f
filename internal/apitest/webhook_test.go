package apitest_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen/gentest"
)

// TestServicesWithoutTheWebhookCA applies the load balancer controller's
// MutatingWebhookConfiguration as a GitOps tool syncs it: without a
// caBundle and with no controller answering. A ClusterIP Service (the
// game's) must still be created; a LoadBalancer Service, which the
// controller would mutate, fails closed. The webhooks are narrowed to the
// test's namespace so that other tests' Services are never affected.
func TestServicesWithoutTheWebhookCA(t *testing.T) {
	apitest.Skip(t)
	ctx := t.Context()
	ns := env.Namespace(t)
	hooks := renderedWebhooks(t)
	hooks.SetName("lbc-no-ca-" + ns)
	webhooks, _, _ := unstructured.NestedSlice(hooks.Object, "webhooks")
	for i := range webhooks {
		w := webhooks[i].(map[string]any)
		w["namespaceSelector"] = map[string]any{"matchLabels": map[string]any{"kubernetes.io/metadata.name": ns}}
	}
	if err := unstructured.SetNestedSlice(hooks.Object, webhooks, "webhooks"); err != nil {
		t.Fatal(err)
	}
	if err := env.Client.Create(ctx, hooks); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Client.Delete(ctx, hooks) })
	service := func(name string, typ corev1.ServiceType) error {
		return env.Client.Create(ctx, &corev1.Service{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
			Spec:       corev1.ServiceSpec{Type: typ, Ports: []corev1.ServicePort{{Port: 80}}},
		})
	}
	if err := service("cluster-ip", corev1.ServiceTypeClusterIP); err != nil {
		t.Errorf("ClusterIP Service without the webhook's CA: %v", err)
	}
	// spec.type is defaulted before mutating admission, so the condition
	// never meets a missing field.
	if err := service("no-type", ""); err != nil {
		t.Errorf("Service without spec.type without the webhook's CA: %v", err)
	}
	if err := service("load-balancer", corev1.ServiceTypeLoadBalancer); err == nil {
		t.Error("LoadBalancer Service created without the webhook answering, want failure policy Fail")
	}
}

// renderedWebhooks returns prod's MutatingWebhookConfiguration as render
// gen writes it once the VPC ID is known.
func renderedWebhooks(t *testing.T) *unstructured.Unstructured {
	t.Helper()
	late := config.LateValues{VPCID: "vpc-0123456789abcdef0", AccountID: "111122223333"}
	for _, u := range gentest.EnvObjects(t, "prod", late, true) {
		if u.GetKind() == "MutatingWebhookConfiguration" {
			return u
		}
	}
	t.Fatal("no MutatingWebhookConfiguration rendered")
	return nil
}
