package gen

import (
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/eks-render/render/internal/config"
)

// metrics-server v0.8.1 in the workload cluster, as its release manifest
// (kubernetes-sigs/metrics-server manifests/base and components/release at
// tag v0.8.1) names and configures it, with two changes for Fargate and
// two for availability (docs/autoscaling.md says why it is rendered, not
// installed as the EKS community add-on):
//   - it serves on 10251, not 10250: a Fargate pod's IP is its node's,
//     whose kubelet already listens on 10250 ("View resource usage with
//     the Kubernetes Metrics Server", Considerations,
//     docs.aws.amazon.com/eks/latest/userguide/metrics-server.html);
//   - its pods carry app.kubernetes.io/name: metrics-server, which the
//     kube-system Fargate profile of a Fargate-only cluster selects
//     (config.MetricsServer);
//   - two replicas, spread over nodes where they can be, with a budget:
//     Fargate's OS patching evicts pods, and the autoscaler stops scaling
//     while the metrics API is down (the HA variant,
//     manifests/components/high-availability, with a preferred anti-affinity
//     so that a one-node group still schedules both).
const (
	msNamespace = "kube-system"
	msName      = config.MetricsServer
	msImage     = "registry.k8s.io/metrics-server/metrics-server:v0.8.1"
	msReplicas  = 2
	// msPort is the secure port: 10250 is taken on Fargate.
	msPort = 10251
	// msAPIService is the resource metrics API the HorizontalPodAutoscaler
	// reads pods' CPU from.
	msAPIService = "v1beta1.metrics.k8s.io"
	msAuthReader = "metrics-server-auth-reader"
	msDelegator  = "metrics-server:system:auth-delegator"
	msRole       = "system:metrics-server"
	msAggregated = "system:aggregated-metrics-reader"
)

// metricsServer returns metrics-server's objects for the workload cluster.
func (r *renderer) metricsServer() []any {
	objs := []any{
		&corev1.ServiceAccount{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
			ObjectMeta: r.msMeta(msName, msNamespace),
		},
	}
	objs = append(objs, r.msRBAC()...)
	return append(objs, r.msService(), r.msDeployment(), pdb(r.msMeta(msName, msNamespace), msSelector()), r.msAPIService())
}

// msLabels are the release manifest's common label and render's own.
func (r *renderer) msLabels() map[string]string {
	l := r.labels()
	l["app.kubernetes.io/name"] = msName
	l["k8s-app"] = msName
	return l
}

func msSelector() map[string]string { return map[string]string{"app.kubernetes.io/name": msName} }

func (r *renderer) msMeta(name, namespace string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: r.msLabels()}
}

// msRBAC is the release manifest's rbac.yaml: reading pods and nodes and
// the kubelets' metrics, delegating authentication and authorization to
// the apiserver, and a role that lets view, edit and admin read the
// metrics API.
func (r *renderer) msRBAC() []any {
	subject := []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: msName, Namespace: msNamespace}}
	read := []string{"get", "list", "watch"}
	aggregated := r.msMeta(msAggregated, "")
	for _, role := range []string{"view", "edit", "admin"} {
		aggregated.Labels["rbac.authorization.k8s.io/aggregate-to-"+role] = "true"
	}
	binding := func(meta metav1.ObjectMeta, kind, role string) any {
		if meta.Namespace != "" {
			return &rbacv1.RoleBinding{
				TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding"},
				ObjectMeta: meta, RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: kind, Name: role}, Subjects: subject,
			}
		}
		return &rbacv1.ClusterRoleBinding{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRoleBinding"},
			ObjectMeta: meta, RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: kind, Name: role}, Subjects: subject,
		}
	}
	return []any{
		&rbacv1.ClusterRole{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
			ObjectMeta: aggregated,
			Rules:      []rbacv1.PolicyRule{rule([]string{"metrics.k8s.io"}, []string{"pods", "nodes"}, read)},
		},
		&rbacv1.ClusterRole{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
			ObjectMeta: r.msMeta(msRole, ""),
			Rules: []rbacv1.PolicyRule{
				rule([]string{""}, []string{"nodes/metrics"}, []string{"get"}),
				rule([]string{""}, []string{"pods", "nodes"}, read),
			},
		},
		binding(r.msMeta(msAuthReader, msNamespace), "Role", "extension-apiserver-authentication-reader"),
		binding(r.msMeta(msDelegator, ""), "ClusterRole", "system:auth-delegator"),
		binding(r.msMeta(msRole, ""), "ClusterRole", msRole),
	}
}

func (r *renderer) msService() *corev1.Service {
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: r.msMeta(msName, msNamespace),
		Spec: corev1.ServiceSpec{
			Selector: msSelector(),
			Ports: []corev1.ServicePort{{
				Name: "https", Port: 443, Protocol: corev1.ProtocolTCP,
				TargetPort: intstr.FromString("https"), AppProtocol: ptrTo("https"),
			}},
		},
	}
}

// apiService is an apiregistration.k8s.io/v1 APIService, the fields
// render sets, shaped like k8s.io/kube-aggregator's
// pkg/apis/apiregistration/v1 types.go (a module render does not otherwise
// need, whose dependencies would double go.mod). Tests validate it with
// the real apiserver.
type apiService struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              apiServiceSpec `json:"spec"`
}

type apiServiceSpec struct {
	Service               *apiServiceRef `json:"service"`
	Group                 string         `json:"group"`
	Version               string         `json:"version"`
	InsecureSkipTLSVerify bool           `json:"insecureSkipTLSVerify"`
	GroupPriorityMinimum  int32          `json:"groupPriorityMinimum"`
	VersionPriority       int32          `json:"versionPriority"`
}

type apiServiceRef struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// msAPIService registers the resource metrics API with the aggregator, as
// the release manifest does: its serving certificate is self-signed (in
// --cert-dir), hence insecureSkipTLSVerify.
func (r *renderer) msAPIService() *apiService {
	return &apiService{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apiregistration.k8s.io/v1", Kind: "APIService"},
		ObjectMeta: r.msMeta(msAPIService, ""),
		Spec: apiServiceSpec{
			Service: &apiServiceRef{Name: msName, Namespace: msNamespace},
			Group:   "metrics.k8s.io", Version: "v1beta1",
			InsecureSkipTLSVerify: true, GroupPriorityMinimum: 100, VersionPriority: 100,
		},
	}
}

func (r *renderer) msDeployment() *appsv1.Deployment {
	podLabels := r.msLabels()
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: r.msMeta(msName, msNamespace),
		Spec: appsv1.DeploymentSpec{
			Replicas: ptrTo(int32(msReplicas)),
			Selector: &metav1.LabelSelector{MatchLabels: msSelector()},
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxUnavailable: ptrTo(intstr.FromInt32(0))}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: podLabels},
				Spec: corev1.PodSpec{
					ServiceAccountName: msName,
					PriorityClassName:  "system-cluster-critical",
					NodeSelector:       map[string]string{corev1.LabelOSStable: "linux"},
					Containers:         []corev1.Container{msContainer()},
					// A writable /tmp for the self-signed certificate.
					Volumes:  []corev1.Volume{{Name: "tmp-dir", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
					Affinity: spreadOverNodes(msSelector()),
				},
			},
		},
	}
}

// msContainer is the release manifest's container with the secure port
// moved off 10250. It still scrapes each kubelet on the port the node
// reports (--kubelet-use-node-status-port), 10250 on Fargate too.
func msContainer() corev1.Container {
	probe := func(path string) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
				Path: path, Port: intstr.FromString("https"), Scheme: corev1.URISchemeHTTPS,
			}},
			PeriodSeconds: 10, FailureThreshold: 3,
		}
	}
	readiness := probe("/readyz")
	readiness.InitialDelaySeconds = 20
	return corev1.Container{
		Name:            msName,
		Image:           msImage,
		ImagePullPolicy: corev1.PullIfNotPresent,
		Args: []string{
			"--cert-dir=/tmp",
			"--secure-port=" + strconv.Itoa(msPort),
			"--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
			"--kubelet-use-node-status-port",
			"--metric-resolution=15s",
		},
		Ports: []corev1.ContainerPort{{Name: "https", ContainerPort: msPort, Protocol: corev1.ProtocolTCP}},
		Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("100m"),
			corev1.ResourceMemory: resource.MustParse("200Mi"),
		}},
		ReadinessProbe: readiness,
		LivenessProbe:  probe("/livez"),
		SecurityContext: &corev1.SecurityContext{
			ReadOnlyRootFilesystem:   ptrTo(true),
			RunAsNonRoot:             ptrTo(true),
			RunAsUser:                ptrTo(int64(1000)),
			AllowPrivilegeEscalation: ptrTo(false),
			SeccompProfile:           &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		},
		VolumeMounts: []corev1.VolumeMount{{Name: "tmp-dir", MountPath: "/tmp"}},
	}
}

// spreadOverNodes prefers, without requiring, the pods selector matches
// on different nodes: on Fargate each pod is its own node anyway, and a
// one-node group must still run them all.
func spreadOverNodes(selector map[string]string) *corev1.Affinity {
	return &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{
		PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{{
			Weight: 100,
			PodAffinityTerm: corev1.PodAffinityTerm{
				LabelSelector: &metav1.LabelSelector{MatchLabels: selector},
				TopologyKey:   corev1.LabelHostname,
			},
		}},
	}}
}
