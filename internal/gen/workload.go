package gen

import (
	"fmt"
	"maps"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/eks-render/render/internal/config"
)

// The 2048 game, as in the AWS Load Balancer Controller walkthrough.
const (
	appNamespace = config.AppNamespace
	appName      = "app-2048"
	appPort      = 80
	// subnetsAnnotation names the subnets of an Ingress's load balancer.
	subnetsAnnotation = "alb.ingress.kubernetes.io/subnets"
)

// workload returns the 2048 game for the new cluster: its namespace (Pod
// Security baseline enforced, restricted warned: see README), Deployment,
// Service, an internet-facing ALB Ingress with IP targets (the only kind
// Fargate pods can be), and its PodDisruptionBudget and autoscaler when
// it has them.
func (r *renderer) workload() ([]any, error) {
	cpu, err := resource.ParseQuantity(r.env.App.CPU)
	if err != nil {
		return nil, fmt.Errorf("app.cpu %q: %w", r.env.App.CPU, err)
	}
	mem, err := resource.ParseQuantity(r.env.App.Memory)
	if err != nil {
		return nil, fmt.Errorf("app.memory %q: %w", r.env.App.Memory, err)
	}
	ns := &corev1.Namespace{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: r.appMeta(appNamespace, ""),
	}
	ns.Labels["pod-security.kubernetes.io/enforce"] = "baseline"
	ns.Labels["pod-security.kubernetes.io/warn"] = "restricted"
	ns.Labels["pod-security.kubernetes.io/audit"] = "restricted"
	// The load balancer controller's pod webhook (mpod.elbv2.k8s.aws, which
	// lbcMutatingHooks selects by this label) gives the game's pods a
	// readiness gate that turns true only once the pod is a healthy target
	// of the ALB, so a rollout or a scale-in never leaves the target group
	// with only initial or draining targets. It works with target-type ip
	// only, which the Ingress sets (kubernetes-sigs/aws-load-balancer-controller
	// docs/deploy/pod_readiness_gate.md at v3.5.0, 11eb202c).
	ns.Labels[readinessGateLabel] = "enabled"
	objs := append([]any{ns, r.deployment(cpu, mem), r.service(), r.ingress()}, r.appPDB()...)
	return append(objs, r.appHPA()...), nil
}

// readinessGateLabel on a namespace asks the load balancer controller to
// inject pod readiness gates into its pods.
const readinessGateLabel = "elbv2.k8s.aws/pod-readiness-gate-inject"

func (r *renderer) appMeta(name, namespace string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: r.labels()}
}

func selector() map[string]string { return map[string]string{"app.kubernetes.io/name": appName} }

func (r *renderer) deployment(cpu, mem resource.Quantity) *appsv1.Deployment {
	podLabels := r.labels()
	podLabels["app.kubernetes.io/name"] = appName
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: r.appMeta(appName, appNamespace),
		Spec: appsv1.DeploymentSpec{
			Replicas: r.appReplicas(),
			Selector: &metav1.LabelSelector{MatchLabels: selector()},
			// Surge before removing a pod: even one replica stays up.
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxSurge: ptrTo(intstr.FromInt32(1)), MaxUnavailable: ptrTo(intstr.FromInt32(0)),
				}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: podLabels},
				Spec: corev1.PodSpec{
					AutomountServiceAccountToken: ptrTo(false),
					SecurityContext: &corev1.PodSecurityContext{
						SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
					},
					Containers: []corev1.Container{r.container(cpu, mem)},
					TopologySpreadConstraints: []corev1.TopologySpreadConstraint{{
						MaxSkew: 1, TopologyKey: corev1.LabelTopologyZone,
						WhenUnsatisfiable: corev1.ScheduleAnyway,
						LabelSelector:     &metav1.LabelSelector{MatchLabels: selector()},
					}},
				},
			},
		},
	}
}

// container runs the image's nginx, which starts as root to bind port 80
// and drops to an unprivileged worker: it keeps only the capabilities that
// needs and cannot gain more.
func (r *renderer) container(cpu, mem resource.Quantity) corev1.Container {
	return corev1.Container{
		Name:  appName,
		Image: r.env.App.Image,
		Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: appPort, Protocol: corev1.ProtocolTCP}},
		Resources: corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: cpu, corev1.ResourceMemory: mem},
			Limits:   corev1.ResourceList{corev1.ResourceMemory: mem},
		},
		ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{
			HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromString("http")},
		}},
		SecurityContext: &corev1.SecurityContext{
			AllowPrivilegeEscalation: ptrTo(false),
			Capabilities: &corev1.Capabilities{
				Drop: []corev1.Capability{"ALL"},
				Add:  []corev1.Capability{"CHOWN", "NET_BIND_SERVICE", "SETGID", "SETUID"},
			},
		},
	}
}

func (r *renderer) service() *corev1.Service {
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: r.appMeta(appName, appNamespace),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: selector(),
			Ports: []corev1.ServicePort{{
				Name: "http", Port: appPort, TargetPort: intstr.FromString("http"), Protocol: corev1.ProtocolTCP,
			}},
		},
	}
}

func (r *renderer) ingress() *networkingv1.Ingress {
	meta := r.appMeta(appName, appNamespace)
	meta.Annotations = map[string]string{
		"alb.ingress.kubernetes.io/scheme":      "internet-facing",
		"alb.ingress.kubernetes.io/target-type": "ip",
	}
	if e := r.env.Network.Existing; e != nil {
		// ACK cannot tag subnets it does not own, so the controller is not
		// left to discover them by kubernetes.io/role/elb: the Ingress names
		// them, as a comma-separated list of IDs
		// (kubernetes-sigs/aws-load-balancer-controller v3.5.0
		// docs/guide/ingress/annotations.md, "subnets"; at least two, in
		// different zones).
		meta.Annotations[subnetsAnnotation] = strings.Join(e.PublicSubnetIDs, ",")
	}
	maps.Copy(meta.Annotations, r.tlsAnnotations())
	prefix := networkingv1.PathTypePrefix
	return &networkingv1.Ingress{
		TypeMeta:   metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "Ingress"},
		ObjectMeta: meta,
		Spec: networkingv1.IngressSpec{
			IngressClassName: ptrTo("alb"),
			Rules: []networkingv1.IngressRule{{IngressRuleValue: networkingv1.IngressRuleValue{
				HTTP: &networkingv1.HTTPIngressRuleValue{Paths: []networkingv1.HTTPIngressPath{{
					Path: "/", PathType: &prefix,
					Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{
						Name: appName, Port: networkingv1.ServiceBackendPort{Name: "http"},
					}},
				}}},
			}}},
		},
	}
}

// tlsAnnotations ask the load balancer controller, when app.tls is set, for
// an HTTPS listener on 443 with the certificate and security policy, and
// for port 80 to redirect to it (kubernetes-sigs/aws-load-balancer-controller
// v3.5.0 docs/guide/ingress/annotations.md: listen-ports, certificate-arn,
// ssl-policy, ssl-redirect). Without ssl-policy the controller would take
// ELBSecurityPolicy-2016-08 (pkg/config/controller_config.go:49).
func (r *renderer) tlsAnnotations() map[string]string {
	tls := r.env.App.TLS
	if tls == nil {
		return nil
	}
	return map[string]string{
		"alb.ingress.kubernetes.io/listen-ports":    `[{"HTTP": 80}, {"HTTPS": 443}]`,
		"alb.ingress.kubernetes.io/certificate-arn": tls.CertificateARN,
		"alb.ingress.kubernetes.io/ssl-policy":      tls.SSLPolicy,
		"alb.ingress.kubernetes.io/ssl-redirect":    "443",
	}
}

func ptrTo[T any](v T) *T { return &v }
