package gen

import (
	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// lbcWebhookConfig names both webhook configurations, as the chart does.
const lbcWebhookConfig = "aws-load-balancer-webhook"

// hook is one webhook of the v3.5.0 chart's webhook.yaml with its default
// values (the controller's +kubebuilder:webhook markers agree): which
// requests reach which path of the controller, and what happens when it
// cannot answer.
type hook struct {
	name, path string
	fail       admissionv1.FailurePolicyType
	group      string
	version    string
	resource   string
	ops        []admissionv1.OperationType
	// namespaces and objects select what the webhook sees; nil: everything.
	namespaces, objects *metav1.LabelSelector
	// equivalent sets matchPolicy Equivalent (the chart sets it on vingress).
	equivalent bool
	// match are CEL match conditions: requests they reject never reach the
	// webhook, whatever its failure policy.
	match []admissionv1.MatchCondition
}

// loadBalancerServicesOnly sends the Service webhook only what the
// controller mutates: its MutateCreate returns every Service that is not
// of type LoadBalancer unchanged (kubernetes-sigs/aws-load-balancer-controller
// v3.5.0 webhooks/core/service_mutator.go:42). The chart registers it for
// every Service with failurePolicy Fail, so while the webhook cannot be
// reached (no caBundle yet on a GitOps sync, the controller not running)
// no Service at all could be created; with this condition ClusterIP,
// NodePort and headless Services never wait for it, and a LoadBalancer
// Service still fails closed rather than going to the in-tree provider
// without the controller's loadBalancerClass.
var loadBalancerServicesOnly = []admissionv1.MatchCondition{{
	Name: "load-balancer-services-only", Expression: "object.spec.type == 'LoadBalancer'",
}}

// notController excludes the controller's own objects (its pods, its
// webhook Service), plus any further requirements.
func notController(more ...metav1.LabelSelectorRequirement) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchExpressions: append([]metav1.LabelSelectorRequirement{{
		Key: "app.kubernetes.io/name", Operator: metav1.LabelSelectorOpNotIn, Values: []string{lbcName},
	}}, more...)}
}

// labelled selects objects whose label key is one of values.
func labelled(key string, op metav1.LabelSelectorOperator, values ...string) metav1.LabelSelectorRequirement {
	return metav1.LabelSelectorRequirement{Key: key, Operator: op, Values: values}
}

func namespacesWith(req metav1.LabelSelectorRequirement) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{req}}
}

// The chart's default mutating webhooks, in its order. Pod mutation is
// opt-in per namespace (or per pod) by label.
func lbcMutatingHooks() []hook {
	const targetControl = "elbv2.k8s.aws/alb-target-control-agent-inject"
	const targetControlNS = "elbv2.k8s.aws/alb-target-control-agent-injection"
	create := []admissionv1.OperationType{admissionv1.Create}
	createUpdate := []admissionv1.OperationType{admissionv1.Create, admissionv1.Update}
	return []hook{
		{name: "mpod.elbv2.k8s.aws", path: "/mutate-v1-pod", fail: admissionv1.Ignore,
			resource: "pods", version: "v1", ops: create, objects: notController(),
			namespaces: namespacesWith(labelled(readinessGateLabel, metav1.LabelSelectorOpIn, "enabled"))},
		{name: "quicid.elbv2.k8s.aws", path: "/mutate-v1-pod-server-id", fail: admissionv1.Fail,
			resource: "pods", version: "v1", ops: create, objects: notController(),
			namespaces: namespacesWith(labelled("elbv2.k8s.aws/quic-server-id-inject", metav1.LabelSelectorOpIn, "enabled"))},
		{name: "mservice.elbv2.k8s.aws", path: "/mutate-v1-service", fail: admissionv1.Fail,
			resource: "services", version: "v1", ops: create, objects: notController(), match: loadBalancerServicesOnly},
		{name: "alb-target-control.namespace.elbv2.k8s.aws", path: "/mutate-alb-target-control-namespace-v1-pod", fail: admissionv1.Fail,
			resource: "pods", version: "v1", ops: create,
			namespaces: namespacesWith(labelled(targetControlNS, metav1.LabelSelectorOpIn, "enabled")),
			objects:    notController(labelled(targetControl, metav1.LabelSelectorOpNotIn, "false"))},
		{name: "alb-target-control.object.elbv2.k8s.aws", path: "/mutate-alb-target-control-object-v1-pod", fail: admissionv1.Fail,
			resource: "pods", version: "v1", ops: create,
			namespaces: namespacesWith(labelled(targetControlNS, metav1.LabelSelectorOpDoesNotExist)),
			objects:    notController(labelled(targetControl, metav1.LabelSelectorOpIn, "true"))},
		{name: "mtargetgroupbinding.elbv2.k8s.aws", path: "/mutate-elbv2-k8s-aws-v1beta1-targetgroupbinding", fail: admissionv1.Fail,
			group: "elbv2.k8s.aws", version: "v1beta1", resource: "targetgroupbindings", ops: createUpdate},
	}
}

// The chart's default validating webhooks, in its order (vglobalaccelerator
// only comes with the GlobalAcceleratorController feature gate, off by
// default).
func lbcValidatingHooks() []hook {
	createUpdate := []admissionv1.OperationType{admissionv1.Create, admissionv1.Update}
	return []hook{
		{name: "vingressclassparams.elbv2.k8s.aws", path: "/validate-elbv2-k8s-aws-v1beta1-ingressclassparams", fail: admissionv1.Fail,
			group: "elbv2.k8s.aws", version: "v1beta1", resource: "ingressclassparams", ops: createUpdate, objects: notController()},
		{name: "vtargetgroupbinding.elbv2.k8s.aws", path: "/validate-elbv2-k8s-aws-v1beta1-targetgroupbinding", fail: admissionv1.Fail,
			group: "elbv2.k8s.aws", version: "v1beta1", resource: "targetgroupbindings", ops: createUpdate},
		{name: "vingress.elbv2.k8s.aws", path: "/validate-networking-v1-ingress", fail: admissionv1.Fail, equivalent: true,
			group: "networking.k8s.io", version: "v1", resource: "ingresses", ops: createUpdate},
	}
}

// clientConfig points at the webhook Service, without a caBundle: the
// applier injects it (InjectCAAnnotation).
func (h hook) clientConfig() admissionv1.WebhookClientConfig {
	return admissionv1.WebhookClientConfig{Service: &admissionv1.ServiceReference{
		Namespace: lbcNamespace, Name: lbcWebhookService, Path: ptrTo(h.path), Port: ptrTo(int32(lbcWebhookPort)),
	}}
}

func (h hook) rules() []admissionv1.RuleWithOperations {
	return []admissionv1.RuleWithOperations{{Operations: h.ops, Rule: admissionv1.Rule{
		APIGroups: []string{h.group}, APIVersions: []string{h.version}, Resources: []string{h.resource},
	}}}
}

func (h hook) matchPolicy() *admissionv1.MatchPolicyType {
	if h.equivalent {
		return ptrTo(admissionv1.Equivalent)
	}
	return nil
}

func (h hook) mutating() admissionv1.MutatingWebhook {
	return admissionv1.MutatingWebhook{
		Name: h.name, ClientConfig: h.clientConfig(), Rules: h.rules(),
		FailurePolicy: ptrTo(h.fail), MatchPolicy: h.matchPolicy(),
		NamespaceSelector: h.namespaces, ObjectSelector: h.objects, MatchConditions: h.match,
		SideEffects: ptrTo(admissionv1.SideEffectClassNone), AdmissionReviewVersions: []string{"v1"},
	}
}

func (h hook) validating() admissionv1.ValidatingWebhook {
	return admissionv1.ValidatingWebhook{
		Name: h.name, ClientConfig: h.clientConfig(), Rules: h.rules(),
		FailurePolicy: ptrTo(h.fail), MatchPolicy: h.matchPolicy(),
		NamespaceSelector: h.namespaces, ObjectSelector: h.objects, MatchConditions: h.match,
		SideEffects: ptrTo(admissionv1.SideEffectClassNone), AdmissionReviewVersions: []string{"v1"},
	}
}

// lbcWebhooks returns the mutating and the validating webhook
// configuration, each annotated with the Secret whose CA the applier injects.
func (r *renderer) lbcWebhooks() []any {
	meta := func() metav1.ObjectMeta {
		m := r.lbcMeta(lbcWebhookConfig, "")
		m.Annotations = map[string]string{InjectCAAnnotation: lbcNamespace + "/" + lbcTLSSecret}
		return m
	}
	mutating := &admissionv1.MutatingWebhookConfiguration{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "MutatingWebhookConfiguration"},
		ObjectMeta: meta(),
	}
	for _, h := range lbcMutatingHooks() {
		mutating.Webhooks = append(mutating.Webhooks, h.mutating())
	}
	validating := &admissionv1.ValidatingWebhookConfiguration{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingWebhookConfiguration"},
		ObjectMeta: meta(),
	}
	for _, h := range lbcValidatingHooks() {
		validating.Webhooks = append(validating.Webhooks, h.validating())
	}
	return []any{mutating, validating}
}
