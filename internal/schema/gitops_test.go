package schema

import (
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
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
}
