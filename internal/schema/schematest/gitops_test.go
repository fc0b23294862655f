package schematest

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

func TestLoadGitOps(t *testing.T) {
	s, err := LoadGitOps()
	if err != nil {
		t.Fatal(err)
	}
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
