package gen

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/schema"
)

// The AWS Load Balancer Controller v3.5.0 in the workload cluster. Names,
// ports and paths follow the project's Helm chart at that tag with release
// name aws-load-balancer-controller in kube-system.
const (
	lbcNamespace      = "kube-system"
	lbcName           = config.LoadBalancerController
	lbcImage          = "public.ecr.aws/eks/aws-load-balancer-controller:v3.5.0"
	lbcReplicas       = 2
	lbcIngressClass   = "alb"
	lbcController     = "ingress.k8s.aws/alb"
	lbcWebhookService = "aws-load-balancer-webhook-service"
	lbcWebhookPort    = 443
	lbcWebhookTarget  = 9443
	lbcMetricsPort    = 8080
	lbcHealthPort     = 61779 // the controller's default --health-probe-bind-addr
	// lbcTLSSecret holds the webhook server's certificate (tls.crt, tls.key)
	// and CA (ca.crt). render apply creates it; it is never rendered.
	lbcTLSSecret = "aws-load-balancer-tls"
	// lbcCertDir is where controller-runtime's webhook server looks for
	// tls.crt and tls.key when --webhook-cert-dir is not given.
	lbcCertDir = "/tmp/k8s-webhook-server/serving-certs"
)

// InjectCAAnnotation on a webhook configuration names the TLS Secret
// (namespace/name) whose ca.crt the applier writes into every webhook's
// clientConfig.caBundle; render leaves caBundle empty so that its output
// stays deterministic.
const InjectCAAnnotation = "eks-render.dev/inject-ca-from"

// loadBalancerController returns the controller's objects for the workload
// cluster once the VPC ID (from network.existing, else a late value) and
// the account ID are known (Fargate pods have no
// instance metadata to find the VPC; the service account names the IRSA
// role's ARN); otherwise a line saying what it waits for.
func (r *renderer) loadBalancerController() (objs []any, pending string, err error) {
	var missing []string
	if r.vpcID() == "" {
		missing = append(missing, "VPC ID")
	}
	account := r.lateAccount()
	if account == "" {
		missing = append(missing, "account ID")
	}
	if len(missing) > 0 {
		return nil, fmt.Sprintf("Deployment/%s/%s and the rest of the AWS Load Balancer Controller: waits for the %s",
			lbcNamespace, lbcName, strings.Join(missing, " and ")), nil
	}
	crds, err := r.lbcCRDs()
	if err != nil {
		return nil, "", err
	}
	objs = append(crds, r.lbcServiceAccount(account))
	objs = append(objs, r.lbcRBAC()...)
	objs = append(objs, r.lbcDeployment(), r.lbcPDB(), r.lbcService(), r.lbcIngressClass())
	return append(objs, r.lbcWebhooks()...), "", nil
}

// lateAccount is the account ID from the configuration or, failing that,
// from the late values; "" while neither gives it.
func (r *renderer) lateAccount() string {
	if r.env.AccountID != "" {
		return r.env.AccountID
	}
	return r.late.AccountID
}

// lbcRoleARN is the ARN of the controller's IRSA role (irsaRole).
func (r *renderer) lbcRoleARN(account string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/%s-%s", r.env.Partition, account, r.env.ClusterName, albName)
}

// lbcLabels are the labels of every controller object; the name label is
// also what the webhooks' object selectors exclude, so that the webhook
// Service and the controller's own pods never wait for the webhook.
func (r *renderer) lbcLabels() map[string]string {
	l := r.labels()
	l["app.kubernetes.io/name"] = lbcName
	return l
}

func lbcSelector() map[string]string { return map[string]string{"app.kubernetes.io/name": lbcName} }

func (r *renderer) lbcMeta(name, namespace string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: r.lbcLabels()}
}

// lbcCRDs returns the controller's CRDs as derived into internal/schema.
func (r *renderer) lbcCRDs() ([]any, error) {
	crds, err := schema.ReadCRDs(schema.ALBDir)
	if err != nil {
		return nil, fmt.Errorf("aws load balancer controller crds: %w", err)
	}
	out := make([]any, len(crds))
	for i, crd := range crds {
		crd.TypeMeta = metav1.TypeMeta{APIVersion: "apiextensions.k8s.io/v1", Kind: "CustomResourceDefinition"}
		crd.Labels = r.lbcLabels()
		out[i] = crd
	}
	return out, nil
}

func (r *renderer) lbcServiceAccount(account string) *corev1.ServiceAccount {
	meta := r.lbcMeta(lbcName, lbcNamespace)
	meta.Annotations = map[string]string{"eks.amazonaws.com/role-arn": r.lbcRoleARN(account)}
	return &corev1.ServiceAccount{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
		ObjectMeta: meta,
		// The controller talks to the API server; EKS projects the IRSA
		// token next to the service account token.
		AutomountServiceAccountToken: ptrTo(true),
	}
}

// lbcArgs are the controller's flags: region and VPC explicitly, since
// Fargate pods cannot reach instance metadata.
func (r *renderer) lbcArgs() []string {
	return []string{
		"--cluster-name=" + r.env.ClusterName,
		"--ingress-class=" + lbcIngressClass,
		"--aws-region=" + r.env.Region,
		"--aws-vpc-id=" + r.vpcID(),
	}
}

func (r *renderer) lbcDeployment() *appsv1.Deployment {
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: r.lbcMeta(lbcName, lbcNamespace),
		Spec: appsv1.DeploymentSpec{
			Replicas: ptrTo(int32(lbcReplicas)),
			Selector: &metav1.LabelSelector{MatchLabels: lbcSelector()},
			// Surge first: the webhooks (failurePolicy Fail for Services and
			// Ingresses) keep a ready endpoint during a rollout.
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxSurge: ptrTo(intstr.FromInt32(1)), MaxUnavailable: ptrTo(intstr.FromInt32(0)),
				}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: r.lbcLabels()},
				Spec: corev1.PodSpec{
					ServiceAccountName: lbcName,
					PriorityClassName:  "system-cluster-critical",
					// Pod Security restricted; fsGroup as the chart.
					SecurityContext: &corev1.PodSecurityContext{
						RunAsNonRoot:   ptrTo(true),
						FSGroup:        ptrTo(int64(65534)),
						SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
					},
					Containers:                    []corev1.Container{r.lbcContainer()},
					TerminationGracePeriodSeconds: ptrTo(int64(10)),
					Volumes: []corev1.Volume{{Name: "cert", VolumeSource: corev1.VolumeSource{
						Secret: &corev1.SecretVolumeSource{SecretName: lbcTLSSecret},
					}}},
					// Spread the two replicas (the chart's default affinity).
					Affinity: spreadOverNodes(lbcSelector()),
				},
			},
		},
	}
}

func (r *renderer) lbcContainer() corev1.Container {
	probe := func(path string, initialDelay int32) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: path, Port: intstr.FromInt32(lbcHealthPort), Scheme: corev1.URISchemeHTTP,
			}},
			InitialDelaySeconds: initialDelay, TimeoutSeconds: 10, FailureThreshold: 2,
		}
	}
	readiness := probe("/readyz", 10)
	readiness.SuccessThreshold = 1
	return corev1.Container{
		Name:  lbcName,
		Image: lbcImage,
		Args:  r.lbcArgs(),
		Ports: []corev1.ContainerPort{
			{Name: "webhook-server", ContainerPort: lbcWebhookTarget, Protocol: corev1.ProtocolTCP},
			{Name: "metrics-server", ContainerPort: lbcMetricsPort, Protocol: corev1.ProtocolTCP},
		},
		// Fargate sizes the pod from its requests (the chart sets none).
		Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("100m"),
			corev1.ResourceMemory: resource.MustParse("128Mi"),
		}},
		VolumeMounts:   []corev1.VolumeMount{{Name: "cert", MountPath: lbcCertDir, ReadOnly: true}},
		LivenessProbe:  probe("/healthz", 30),
		ReadinessProbe: readiness,
		SecurityContext: &corev1.SecurityContext{
			AllowPrivilegeEscalation: ptrTo(false),
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
			ReadOnlyRootFilesystem:   ptrTo(true),
			RunAsNonRoot:             ptrTo(true),
			SeccompProfile:           &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
	}
}

// lbcService fronts the webhook server. It carries the controller's name
// label, which mservice's object selector excludes: creating it must not
// call the webhook it serves.
func (r *renderer) lbcService() *corev1.Service {
	meta := r.lbcMeta(lbcWebhookService, lbcNamespace)
	meta.Labels["app.kubernetes.io/component"] = "webhook"
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: meta,
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: lbcSelector(),
			Ports: []corev1.ServicePort{{
				Name: "webhook-server", Port: lbcWebhookPort, Protocol: corev1.ProtocolTCP,
				TargetPort: intstr.FromString("webhook-server"),
			}},
		},
	}
}

// lbcIngressClass is the class the 2048 Ingress names.
func (r *renderer) lbcIngressClass() *networkingv1.IngressClass {
	return &networkingv1.IngressClass{
		TypeMeta:   metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "IngressClass"},
		ObjectMeta: r.lbcMeta(lbcIngressClass, ""),
		Spec:       networkingv1.IngressClassSpec{Controller: lbcController},
	}
}
