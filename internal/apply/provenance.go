package apply

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Annotations of render's ApplySet parent that record what rendering it
// was last applied from, so that a run from an older rendering does not
// prune what a newer one added.
const (
	// RenderingAnnotation is the digest of the rendered objects.
	RenderingAnnotation = "render.eks-render.dev/rendering"
	// CommitAnnotation is the git commit of platform.yaml, when known.
	CommitAnnotation = "render.eks-render.dev/commit"
	// provenanceManager owns those two annotations, apart from the
	// inventory that FieldManager applies, so that neither apply removes
	// what the other wrote.
	provenanceManager = FieldManager + "-provenance"
)

// Provenance identifies a rendering: the digest of its objects and the
// commit of the configuration it came from ("" when unknown).
type Provenance struct {
	Digest string `json:"digest,omitempty"`
	Commit string `json:"commit,omitempty"`
}

// Provenance returns what s's parent records; zero if it records nothing
// or does not exist.
func (m *Manager) Provenance(ctx context.Context, s ApplySet) (Provenance, error) {
	p := &corev1.Secret{}
	switch err := m.client.Get(ctx, s.Parent, p); {
	case apierrors.IsNotFound(err):
		return Provenance{}, nil
	case err != nil:
		return Provenance{}, fmt.Errorf("applyset parent %s: %w", s, err)
	}
	return Provenance{Digest: p.Annotations[RenderingAnnotation], Commit: p.Annotations[CommitAnnotation]}, nil
}

// RecordProvenance writes pr into s's parent, which must exist, unless it
// records pr already.
func (m *Manager) RecordProvenance(ctx context.Context, s ApplySet, pr Provenance) error {
	cur, err := m.Provenance(ctx, s)
	if err != nil || cur == pr {
		return err
	}
	annotations := map[string]any{RenderingAnnotation: pr.Digest}
	if pr.Commit != "" {
		annotations[CommitAnnotation] = pr.Commit
	}
	p := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": s.Parent.Name, "namespace": s.Parent.Namespace, "annotations": annotations},
	}}
	if err := m.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(p), client.FieldOwner(provenanceManager), client.ForceOwnership); err != nil {
		return fmt.Errorf("applyset parent %s: %w", s, err)
	}
	return nil
}
