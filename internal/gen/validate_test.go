package gen

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	sigsjson "sigs.k8s.io/json"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/schema/schematest"
)

// builtinTypes are the Kubernetes kinds render emits, for strict decoding:
// the real apiserver's validation is not available offline, but an unknown
// or misspelled field, or a wrong type, fails to decode.
var builtinTypes = map[string]func() any{
	"v1/Namespace":                                    func() any { return &corev1.Namespace{} },
	"v1/ConfigMap":                                    func() any { return &corev1.ConfigMap{} },
	"v1/Service":                                      func() any { return &corev1.Service{} },
	"v1/ServiceAccount":                               func() any { return &corev1.ServiceAccount{} },
	"apps/v1/Deployment":                              func() any { return &appsv1.Deployment{} },
	"autoscaling/v2/HorizontalPodAutoscaler":          func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"networking.k8s.io/v1/Ingress":                    func() any { return &networkingv1.Ingress{} },
	"networking.k8s.io/v1/IngressClass":               func() any { return &networkingv1.IngressClass{} },
	"policy/v1/PodDisruptionBudget":                   func() any { return &policyv1.PodDisruptionBudget{} },
	"rbac.authorization.k8s.io/v1/ClusterRole":        func() any { return &rbacv1.ClusterRole{} },
	"rbac.authorization.k8s.io/v1/ClusterRoleBinding": func() any { return &rbacv1.ClusterRoleBinding{} },
	"rbac.authorization.k8s.io/v1/Role":               func() any { return &rbacv1.Role{} },
	"rbac.authorization.k8s.io/v1/RoleBinding":        func() any { return &rbacv1.RoleBinding{} },
	"admissionregistration.k8s.io/v1/MutatingWebhookConfiguration": func() any {
		return &admissionv1.MutatingWebhookConfiguration{}
	},
	"admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration": func() any {
		return &admissionv1.ValidatingWebhookConfiguration{}
	},
	// render's own struct (metricsserver.go); apitest's
	// TestKubectlApplyOverlays has the real apiserver validate it.
	"apiregistration.k8s.io/v1/APIService": func() any { return &apiService{} },
	"apiextensions.k8s.io/v1/CustomResourceDefinition": func() any {
		return &apiextensionsv1.CustomResourceDefinition{}
	},
}

func loadSchemas(t testing.TB) *schematest.Set {
	t.Helper()
	s, err := schematest.Load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validateObject checks one built object: an ACK kind against its real CRD
// schema, a built-in kind by strict decoding.
func validateObject(s *schematest.Set, m map[string]any) error {
	u := &unstructured.Unstructured{Object: m}
	if s.Has(u.GroupVersionKind()) {
		return s.Validate(u)
	}
	newObj, ok := builtinTypes[u.GetAPIVersion()+"/"+u.GetKind()]
	if !ok {
		return errors.New(key(m) + ": render emits no such kind")
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	strict, err := sigsjson.UnmarshalStrict(b, newObj())
	return errors.Join(append(strict, err)...)
}

func TestBuiltObjectsValidate(t *testing.T) {
	s := loadSchemas(t)
	eachBuild(t, func(t *testing.T, _ *config.Config, env config.Environment, workload bool, objs built) {
		if len(objs) < 4 {
			t.Fatalf("only %d objects", len(objs))
		}
		for _, m := range objs {
			if err := validateObject(s, m); err != nil {
				t.Errorf("%s: %v", key(m), err)
			}
			ns := m["metadata"].(map[string]any)["namespace"]
			if !workload && m["kind"] != "Namespace" && ns != env.ClusterName {
				t.Errorf("%s: namespace %v, want %s", key(m), ns, env.ClusterName)
			}
		}
	})
}

func TestValidatorRejects(t *testing.T) {
	s := loadSchemas(t)
	cfg := loadConfig(t, "testdata/configs/example.yaml")
	objs := buildEnv(t, generate(t, cfg).Files, "dev", false)
	find := func(kind string) map[string]any {
		for _, m := range objs {
			if m["kind"] == kind {
				return deepCopy(t, m)
			}
		}
		t.Fatalf("no %s", kind)
		return nil
	}
	t.Run("a misspelled field", func(t *testing.T) {
		m := find("Subnet")
		spec := m["spec"].(map[string]any)
		spec["cidrBlok"] = spec["cidrBlock"]
		delete(spec, "cidrBlock")
		wantInvalid(t, s, m, `unknown field "spec.cidrBlok"`)
	})
	t.Run("EC2 tags as a map", func(t *testing.T) {
		m := find("VPC")
		m["spec"].(map[string]any)["tags"] = map[string]any{"Name": "x"}
		wantInvalid(t, s, m, "spec.tags")
	})
	t.Run("EKS tags as a list", func(t *testing.T) {
		m := find("Cluster")
		m["spec"].(map[string]any)["tags"] = []any{map[string]any{"key": "a", "value": "b"}}
		wantInvalid(t, s, m, "spec.tags")
	})
	t.Run("a built-in kind with an unknown field", func(t *testing.T) {
		m := find("Namespace")
		m["spec"] = map[string]any{"finalizer": []any{"x"}}
		wantInvalid(t, s, m, `unknown field "spec.finalizer"`)
	})
}

func wantInvalid(t *testing.T, s *schematest.Set, m map[string]any, substr string) {
	t.Helper()
	err := validateObject(s, m)
	if err == nil || !strings.Contains(err.Error(), substr) {
		t.Errorf("validate %s = %v, want an error about %s", key(m), err, substr)
	}
}

func deepCopy(t testing.TB, m map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
