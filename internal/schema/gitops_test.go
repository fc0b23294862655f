package schema

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

func TestLoadGitOps(t *testing.T) {
	s, err := LoadGitOps()
	if err != nil {
		t.Fatal(err)
	}
	for _, gvk := range []schema.GroupVersionKind{
		{Group: "kustomize.toolkit.fluxcd.io", Version: "v1", Kind: "Kustomization"},
		{Group: "source.toolkit.fluxcd.io", Version: "v1", Kind: "GitRepository"},
		{Group: "argoproj.io", Version: "v1alpha1", Kind: "Application"},
		{Group: "argoproj.io", Version: "v1alpha1", Kind: "AppProject"},
	} {
		if !s.Has(gvk) {
			t.Errorf("LoadGitOps has no %s", gvk)
		}
	}
	t.Run("keeps the ACK set apart", func(t *testing.T) {
		ack, err := Load()
		if err != nil {
			t.Fatal(err)
		}
		if ack.Has(schema.GroupVersionKind{Group: "argoproj.io", Version: "v1alpha1", Kind: "Application"}) {
			t.Error("Load serves Application; the GitOps CRDs must stay out of the ACK set")
		}
	})
	t.Run("rejects what the CRD's CEL rules forbid", func(t *testing.T) {
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(`{apiVersion: kustomize.toolkit.fluxcd.io/v1, kind: Kustomization,
  metadata: {name: k, namespace: flux-system},
  spec: {interval: 5m, prune: true, sourceRef: {kind: GitRepository, name: r},
    kubeConfig: {secretRef: {name: a}, configMapRef: {name: b}}}}`), &u.Object); err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(u); err == nil || !strings.Contains(err.Error(), "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef") {
			t.Errorf("Validate = %v, want the kubeConfig CEL rule", err)
		}
	})
}
