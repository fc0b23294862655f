package gitops

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Flux's API versions and the namespace its controllers and objects live in.
const (
	KustomizeAPIVersion = "kustomize.toolkit.fluxcd.io/v1"
	SourceAPIVersion    = "source.toolkit.fluxcd.io/v1"
	FluxNamespace       = "flux-system"
)

// The CEL health expressions of every ACK kind. Flux evaluates inProgress,
// failed and current in that order and takes the first that is true; none
// true means in progress. inProgress is left out: evaluated first, it could
// only hide a Terminal object, and whatever is neither Synced nor Terminal
// (creating, Recoverable, references not resolved yet) is in progress
// anyway. An object the controller has not written a status to yet has no
// status to read: Flux cannot evaluate the expressions, counts the object
// as Unknown and keeps waiting, as for in progress.
const (
	// CurrentExpr: ACK.ResourceSynced=True (AWS matches the spec).
	CurrentExpr = "has(status.conditions) && status.conditions.exists(c, c.type == 'ACK.ResourceSynced' && c.status == 'True')"
	// FailedExpr: ACK.Terminal=True (no retry until the spec changes).
	FailedExpr = "has(status.conditions) && status.conditions.exists(c, c.type == 'ACK.Terminal' && c.status == 'True')"
)

// GitRepository is Flux's source.toolkit.fluxcd.io/v1 GitRepository,
// limited to the fields render sets.
type GitRepository struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              GitRepositorySpec `json:"spec"`
}

// GitRepositorySpec is the spec of a GitRepository.
type GitRepositorySpec struct {
	URL      string            `json:"url"`
	Interval string            `json:"interval"`
	Ref      *GitRepositoryRef `json:"ref,omitempty"`
}

// GitRepositoryRef is the revision a GitRepository follows.
type GitRepositoryRef struct {
	Branch string `json:"branch,omitempty"`
}

// Kustomization is Flux's kustomize.toolkit.fluxcd.io/v1 Kustomization,
// limited to the fields render sets.
type Kustomization struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              KustomizationSpec `json:"spec"`
}

// KustomizationSpec is the spec of a Kustomization.
type KustomizationSpec struct {
	DependsOn        []DependencyReference `json:"dependsOn,omitempty"`
	Interval         string                `json:"interval"`
	RetryInterval    string                `json:"retryInterval,omitempty"`
	Timeout          string                `json:"timeout,omitempty"`
	KubeConfig       *KubeConfigReference  `json:"kubeConfig,omitempty"`
	Path             string                `json:"path"`
	Prune            bool                  `json:"prune"`
	Wait             bool                  `json:"wait,omitempty"`
	SourceRef        SourceReference       `json:"sourceRef"`
	HealthCheckExprs []CustomHealthCheck   `json:"healthCheckExprs,omitempty"`
}

// DependencyReference names a Kustomization that must be ready first.
type DependencyReference struct {
	Name string `json:"name"`
}

// KubeConfigReference points at the kubeconfig of a remote cluster.
type KubeConfigReference struct {
	SecretRef *SecretKeyReference `json:"secretRef,omitempty"`
}

// SecretKeyReference is a key of a Secret in the Kustomization's namespace.
type SecretKeyReference struct {
	Name string `json:"name"`
	Key  string `json:"key,omitempty"`
}

// SourceReference names the Kustomization's source.
type SourceReference struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// CustomHealthCheck is one entry of healthCheckExprs.
type CustomHealthCheck struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Current    string `json:"current"`
	InProgress string `json:"inProgress,omitempty"`
	Failed     string `json:"failed,omitempty"`
}

// HealthCheckExprs returns the CEL health checks of kinds, in their order.
func HealthCheckExprs(kinds []schema.GroupVersionKind) []CustomHealthCheck {
	out := make([]CustomHealthCheck, len(kinds))
	for i, k := range kinds {
		apiVersion, kind := k.ToAPIVersionAndKind()
		out[i] = CustomHealthCheck{APIVersion: apiVersion, Kind: kind, Current: CurrentExpr, Failed: FailedExpr}
	}
	return out
}
