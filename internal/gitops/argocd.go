package gitops

import (
	_ "embed"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Argo CD's API version, namespace, and the annotation that orders a sync.
const (
	ArgoCDAPIVersion = "argoproj.io/v1alpha1"
	ArgoCDNamespace  = "argocd"
	// SyncWaveAnnotation orders an Argo CD sync: lower waves first, each
	// healthy before the next. render gen --gitops argocd sets it to the
	// object's graph level.
	SyncWaveAnnotation = "argocd.argoproj.io/sync-wave"
	// InClusterServer is how an Application names the cluster Argo CD runs in.
	InClusterServer = "https://kubernetes.default.svc"
)

// HealthLua is the Argo CD health check of every ACK kind: Healthy on
// ACK.ResourceSynced=True, Degraded on ACK.Terminal=True, Progressing
// otherwise (with ACK.Recoverable's or ACK.ReferencesResolved's message
// when there is one, and with no status yet).
//
//go:embed health.lua
var HealthLua string

// HealthKey is the argocd-cm key of kind's health check.
func HealthKey(kind schema.GroupVersionKind) string {
	return "resource.customizations.health." + kind.Group + "_" + kind.Kind
}

// ArgoCDConfigMap returns the argocd-cm keys that add HealthLua for kinds,
// as a ConfigMap to merge into Argo CD's own (kubectl patch --type merge).
func ArgoCDConfigMap(kinds []schema.GroupVersionKind) *corev1.ConfigMap {
	data := make(map[string]string, len(kinds))
	for _, k := range kinds {
		data[HealthKey(k)] = HealthLua
	}
	return &corev1.ConfigMap{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: "argocd-cm", Namespace: ArgoCDNamespace, Labels: map[string]string{
			"app.kubernetes.io/name":    "argocd-cm",
			"app.kubernetes.io/part-of": "argocd",
		}},
		Data: data,
	}
}

// Application is Argo CD's argoproj.io/v1alpha1 Application, limited to the
// fields render sets.
type Application struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              ApplicationSpec `json:"spec"`
}

// ApplicationSpec is the spec of an Application.
type ApplicationSpec struct {
	Project     string                 `json:"project"`
	Source      *ApplicationSource     `json:"source"`
	Destination ApplicationDestination `json:"destination"`
	SyncPolicy  *SyncPolicy            `json:"syncPolicy,omitempty"`
}

// ApplicationSource is the repository directory an Application syncs.
type ApplicationSource struct {
	RepoURL        string `json:"repoURL"`
	TargetRevision string `json:"targetRevision"`
	Path           string `json:"path"`
}

// ApplicationDestination is the cluster (by server URL or by the name it is
// registered under) and default namespace an Application syncs to.
type ApplicationDestination struct {
	Server    string `json:"server,omitempty"`
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
}

// SyncPolicy is when and how an Application syncs.
type SyncPolicy struct {
	Automated   *SyncPolicyAutomated `json:"automated,omitempty"`
	SyncOptions []string             `json:"syncOptions,omitempty"`
	Retry       *RetryStrategy       `json:"retry,omitempty"`
}

// SyncPolicyAutomated syncs on every change; Prune deletes what left Git.
type SyncPolicyAutomated struct {
	Prune    bool `json:"prune"`
	SelfHeal bool `json:"selfHeal"`
}

// RetryStrategy retries a failed sync.
type RetryStrategy struct {
	Limit   int64    `json:"limit"`
	Backoff *Backoff `json:"backoff,omitempty"`
}

// Backoff is the delay between sync retries.
type Backoff struct {
	Duration    string `json:"duration,omitempty"`
	Factor      *int64 `json:"factor,omitempty"`
	MaxDuration string `json:"maxDuration,omitempty"`
}
