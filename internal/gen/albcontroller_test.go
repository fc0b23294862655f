package gen

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	admissionv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/eks-render/render/internal/ack"
)

// typed decodes the built object kind/namespace/name of objs into T.
func typed[T any](t *testing.T, objs built, kind, namespace, name string) *T {
	t.Helper()
	for _, m := range objs {
		meta := m["metadata"].(map[string]any)
		ns, _ := meta["namespace"].(string)
		if m["kind"] == kind && ns == namespace && meta["name"] == name {
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			out := new(T)
			if err := json.Unmarshal(b, out); err != nil {
				t.Fatalf("%s/%s/%s: %v", kind, namespace, name, err)
			}
			return out
		}
	}
	t.Fatalf("no %s/%s/%s among the built objects", kind, namespace, name)
	return nil
}

// TestLoadBalancerControllerIsConsistent reads prod's built workload and
// management objects and checks that the controller's pieces point at each
// other: flags, IRSA role, webhook Service, TLS Secret and IngressClass.
func TestLoadBalancerControllerIsConsistent(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	tree := generate(t, cfg).Files
	work, mgmt := buildEnv(t, tree, "prod", true), buildEnv(t, tree, "prod", false)
	env := cfg.Environments[1]
	if env.Name != "prod" {
		t.Fatalf("environment 1 is %s, want prod", env.Name)
	}
	dep := typed[appsv1.Deployment](t, work, "Deployment", lbcNamespace, lbcName)
	pod := dep.Spec.Template
	c := pod.Spec.Containers[0]

	t.Run("passes cluster, class, region and VPC", func(t *testing.T) {
		want := []string{"--cluster-name=" + env.ClusterName, "--ingress-class=alb",
			"--aws-region=" + env.Region, "--aws-vpc-id=" + lateForTests["prod"].VPCID}
		if diff := cmp.Diff(want, c.Args); diff != "" {
			t.Errorf("args (-want +got):\n%s", diff)
		}
	})
	t.Run("runs as the IRSA role's service account", func(t *testing.T) {
		sa := typed[corev1.ServiceAccount](t, work, "ServiceAccount", lbcNamespace, pod.Spec.ServiceAccountName)
		role := typed[ack.Role](t, mgmt, "Role", env.ClusterName, albName)
		want := "arn:aws:iam::" + env.AccountID + ":role/" + role.Spec.Name
		if got := sa.Annotations["eks.amazonaws.com/role-arn"]; got != want {
			t.Errorf("role-arn = %q, want %q", got, want)
		}
		var trust policyDocument
		if err := json.Unmarshal([]byte(role.Spec.AssumeRolePolicyDocument), &trust); err != nil {
			t.Fatal(err)
		}
		subject, trusted := "system:serviceaccount:"+sa.Namespace+":"+sa.Name, ""
		for k, v := range trust.Statement[0].Condition["StringEquals"] {
			if strings.HasSuffix(k, ":sub") {
				trusted, _ = v.(string)
			}
		}
		if trusted != subject {
			t.Errorf("the role trusts %q, want %q", trusted, subject)
		}
	})
	t.Run("binds its roles to the service account", func(t *testing.T) {
		crb := typed[rbacv1.ClusterRoleBinding](t, work, "ClusterRoleBinding", "", lbcClusterRB)
		rb := typed[rbacv1.RoleBinding](t, work, "RoleBinding", lbcNamespace, lbcLeaderRB)
		typed[rbacv1.ClusterRole](t, work, "ClusterRole", "", crb.RoleRef.Name)
		typed[rbacv1.Role](t, work, "Role", lbcNamespace, rb.RoleRef.Name)
		want := []rbacv1.Subject{{Kind: "ServiceAccount", Name: pod.Spec.ServiceAccountName, Namespace: lbcNamespace}}
		if diff := cmp.Diff(want, crb.Subjects); diff != "" {
			t.Errorf("ClusterRoleBinding subjects (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, rb.Subjects); diff != "" {
			t.Errorf("RoleBinding subjects (-want +got):\n%s", diff)
		}
	})

	svc := typed[corev1.Service](t, work, "Service", lbcNamespace, lbcWebhookService)
	t.Run("the webhook Service reaches port 9443", func(t *testing.T) {
		if !labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(pod.Labels)) {
			t.Errorf("Service selector %v does not match pod labels %v", svc.Spec.Selector, pod.Labels)
		}
		var port int32
		for _, p := range c.Ports {
			if p.Name == svc.Spec.Ports[0].TargetPort.StrVal {
				port = p.ContainerPort
			}
		}
		if svc.Spec.Ports[0].Port != 443 || port != 9443 {
			t.Errorf("Service port %d -> container port %d, want 443 -> 9443", svc.Spec.Ports[0].Port, port)
		}
	})
	t.Run("mounts the TLS Secret where the webhook server reads it", func(t *testing.T) {
		if len(pod.Spec.Volumes) != 1 || pod.Spec.Volumes[0].Secret == nil ||
			pod.Spec.Volumes[0].Secret.SecretName != lbcTLSSecret {
			t.Fatalf("volumes = %+v, want the Secret %s", pod.Spec.Volumes, lbcTLSSecret)
		}
		want := []corev1.VolumeMount{{Name: pod.Spec.Volumes[0].Name, MountPath: "/tmp/k8s-webhook-server/serving-certs", ReadOnly: true}}
		if diff := cmp.Diff(want, c.VolumeMounts); diff != "" {
			t.Errorf("volume mounts (-want +got):\n%s", diff)
		}
	})
	t.Run("every webhook calls the Service and has no caBundle", func(t *testing.T) {
		mut := typed[admissionv1.MutatingWebhookConfiguration](t, work, "MutatingWebhookConfiguration", "", lbcWebhookConfig)
		val := typed[admissionv1.ValidatingWebhookConfiguration](t, work, "ValidatingWebhookConfiguration", "", lbcWebhookConfig)
		configs := map[string]string{"mutating": mut.Annotations[InjectCAAnnotation], "validating": val.Annotations[InjectCAAnnotation]}
		for name, inject := range configs {
			if inject != lbcNamespace+"/"+pod.Spec.Volumes[0].Secret.SecretName {
				t.Errorf("%s configuration: %s = %q, want the mounted Secret", name, InjectCAAnnotation, inject)
			}
		}
		var hooks []admissionv1.WebhookClientConfig
		var names []string
		for _, h := range mut.Webhooks {
			hooks, names = append(hooks, h.ClientConfig), append(names, h.Name)
		}
		for _, h := range val.Webhooks {
			hooks, names = append(hooks, h.ClientConfig), append(names, h.Name)
		}
		if len(hooks) != 9 {
			t.Errorf("%d webhooks, want the chart's 9: %v", len(hooks), names)
		}
		for i, cc := range hooks {
			s := cc.Service
			if s == nil || s.Name != svc.Name || s.Namespace != svc.Namespace || s.Port == nil || *s.Port != svc.Spec.Ports[0].Port {
				t.Errorf("%s: clientConfig.service = %+v, want %s/%s port 443", names[i], s, svc.Namespace, svc.Name)
			}
			if len(cc.CABundle) != 0 || cc.URL != nil {
				t.Errorf("%s: caBundle or url set; render apply injects the CA", names[i])
			}
		}
	})
	t.Run("the webhooks skip the controller's own objects", func(t *testing.T) {
		mservice := lbcMutatingHooks()[2]
		sel, err := metav1.LabelSelectorAsSelector(mservice.objects)
		if err != nil || mservice.name != "mservice.elbv2.k8s.aws" {
			t.Fatalf("%s object selector: %v", mservice.name, err)
		}
		if sel.Matches(labels.Set(svc.Labels)) || sel.Matches(labels.Set(pod.Labels)) {
			t.Error("mservice's object selector matches the controller's own Service or pods")
		}
	})
	t.Run("the 2048 Ingress names the IngressClass", func(t *testing.T) {
		ing := typed[networkingv1.Ingress](t, work, "Ingress", appNamespace, appName)
		class := typed[networkingv1.IngressClass](t, work, "IngressClass", "", *ing.Spec.IngressClassName)
		if class.Spec.Controller != "ingress.k8s.aws/alb" {
			t.Errorf("IngressClass controller = %q", class.Spec.Controller)
		}
	})
}

// TestLoadBalancerControllerWaits checks which late values the controller
// needs and where the account may come from.
func TestLoadBalancerControllerWaits(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	const vpc, lateAccount = "vpc-0123456789abcdef0", "444455556666"
	tests := []struct {
		name        string
		fileAccount string
		late        LateValues
		wantPending string // "" when the controller is rendered
		wantARN     string
	}{
		{"waits for the VPC ID", "111122223333", LateValues{}, "waits for the VPC ID", ""},
		{"waits for the account ID", "", LateValues{VPCID: vpc}, "waits for the account ID", ""},
		{"waits for both", "", LateValues{}, "waits for the VPC ID and account ID", ""},
		{"takes the account from the file", "111122223333", LateValues{VPCID: vpc, AccountID: lateAccount},
			"", "arn:aws:iam::111122223333:role/demo-dev-alb-controller"},
		{"takes the account from the late values", "", LateValues{VPCID: vpc, AccountID: lateAccount},
			"", "arn:aws:iam::444455556666:role/demo-dev-alb-controller"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cfg.Environments[0]
			env.AccountID = tt.fileAccount
			r, err := Render(env, tt.late)
			if err != nil {
				t.Fatal(err)
			}
			var sa *corev1.ServiceAccount
			controller := 0 // objects of the controller
			for _, o := range r.Workload {
				if s, ok := o.(*corev1.ServiceAccount); ok && s.Name == lbcName {
					sa = s
				}
				if m, ok := o.(metav1.Object); ok && m.GetLabels()["app.kubernetes.io/name"] == lbcName {
					controller++
				}
			}
			pending := strings.Join(r.Pending, "\n")
			want := "Deployment/kube-system/aws-load-balancer-controller and the rest of the AWS Load Balancer Controller: " + tt.wantPending
			if tt.wantPending != "" {
				if !slices.Contains(r.Pending, want) || sa != nil {
					t.Errorf("pending:\n%s\nwant the line %q and no controller (service account rendered: %t)", pending, want, sa != nil)
				}
				if controller != 0 {
					t.Errorf("%d of the controller's objects rendered, want none", controller)
				}
				return
			}
			if strings.Contains(pending, "Load Balancer Controller") || sa == nil {
				t.Fatalf("pending:\n%s\nwant the controller rendered", pending)
			}
			if got := sa.Annotations["eks.amazonaws.com/role-arn"]; got != tt.wantARN {
				t.Errorf("role-arn = %q, want %q", got, tt.wantARN)
			}
		})
	}
}

// TestLoadBalancerControllerRunsOnFargate checks that in a Fargate-only
// environment a Fargate profile selects the controller's pods, which would
// otherwise wait for a node: the game's (config systemSelectors), so that
// the game needs one profile.
func TestLoadBalancerControllerRunsOnFargate(t *testing.T) {
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	env := cfg.Environments[0]
	if env.NodeGroup != nil {
		t.Fatalf("environment %s has a node group; want a Fargate-only one", env.Name)
	}
	r, err := Render(env, LateValues{VPCID: "vpc-0123456789abcdef0"})
	if err != nil {
		t.Fatal(err)
	}
	var podLabels map[string]string
	for _, o := range r.Workload {
		if d, ok := o.(*appsv1.Deployment); ok && d.Name == lbcName {
			podLabels = d.Spec.Template.Labels
		}
	}
	if podLabels == nil {
		t.Fatal("no controller Deployment")
	}
	for _, o := range r.Management {
		p, ok := o.(*ack.FargateProfile)
		if !ok {
			continue
		}
		for _, s := range p.Spec.Selectors {
			if s.Namespace == lbcNamespace && labels.SelectorFromSet(s.Labels).Matches(labels.Set(podLabels)) {
				if p.Spec.Name != "game-2048" {
					t.Errorf("selected by profile %s, want game-2048", p.Spec.Name)
				}
				return
			}
		}
	}
	t.Errorf("no Fargate profile selects kube-system pods labelled %v", podLabels)
}

// TestGamePodsGetReadinessGates checks that the load balancer controller's
// pod webhook selects the game's namespace and that the game's targets are
// pods (target-type ip), the only kind the gate works for.
func TestGamePodsGetReadinessGates(t *testing.T) {
	tree := generate(t, loadConfig(t, "testdata/configs/example.yaml")).Files
	work := buildEnv(t, tree, "prod", true)
	ns := typed[corev1.Namespace](t, work, "Namespace", "", appNamespace)
	hooks := typed[admissionv1.MutatingWebhookConfiguration](t, work, "MutatingWebhookConfiguration", "", lbcWebhookConfig)
	var selected bool
	for _, h := range hooks.Webhooks {
		if h.Name != "mpod.elbv2.k8s.aws" {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(h.NamespaceSelector)
		if err != nil {
			t.Fatal(err)
		}
		selected = sel.Matches(labels.Set(ns.Labels))
	}
	if !selected {
		t.Errorf("the pod webhook does not select Namespace %s (labels %v)", appNamespace, ns.Labels)
	}
	ing := typed[networkingv1.Ingress](t, work, "Ingress", appNamespace, appName)
	if got := ing.Annotations["alb.ingress.kubernetes.io/target-type"]; got != "ip" {
		t.Errorf("Ingress target-type %q, want ip", got)
	}
}
