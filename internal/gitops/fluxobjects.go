package gitops

import (
	"github.com/eks-render/render/internal/config"
)

// How often Flux looks at the repository and the clusters, and how long it
// waits for an environment: creating an EKS cluster takes 10 to 15 minutes.
const (
	fluxSourceInterval   = "1m"
	fluxInterval         = "10m"
	fluxRetryInterval    = "2m"
	fluxTimeout          = "30m"
	fluxWorkloadTimeout  = "10m"
	kubeconfigSecretKey  = "value"
	kubeconfigNameSuffix = "-kubeconfig"
)

// fluxObjects returns the GitRepository of the tree and, per environment,
// two Kustomizations: the management objects, applied in the cluster Flux
// runs in and waited for through healthCheckExprs, and the workload,
// applied to the new cluster through its kubeconfig Secret once the first
// is ready (dependsOn).
func fluxObjects(cfg *config.Config, opts Options) []object {
	source := cfg.Environments[0].Platform
	objs := []object{{kind: "GitRepository", namespace: FluxNamespace, name: source, value: &GitRepository{
		TypeMeta:   typeMeta(SourceAPIVersion, "GitRepository"),
		ObjectMeta: meta(source, FluxNamespace),
		Spec: GitRepositorySpec{URL: opts.RepoURL, Interval: fluxSourceInterval,
			Ref: &GitRepositoryRef{Branch: opts.Branch}},
	}}}
	ref := SourceReference{Kind: "GitRepository", Name: source}
	for _, env := range cfg.Environments {
		mgmt := &Kustomization{
			TypeMeta:   typeMeta(KustomizeAPIVersion, "Kustomization"),
			ObjectMeta: meta(env.ClusterName, FluxNamespace),
			Spec: KustomizationSpec{
				Interval: fluxInterval, RetryInterval: fluxRetryInterval, Timeout: fluxTimeout,
				Path: "./" + opts.overlayPath(env.Name, false), Prune: true, Wait: true, SourceRef: ref,
				HealthCheckExprs: HealthCheckExprs(Kinds()),
			},
		}
		workload := &Kustomization{
			TypeMeta:   typeMeta(KustomizeAPIVersion, "Kustomization"),
			ObjectMeta: meta(WorkloadName(env), FluxNamespace),
			Spec: KustomizationSpec{
				DependsOn: []DependencyReference{{Name: env.ClusterName}},
				Interval:  fluxInterval, RetryInterval: fluxRetryInterval, Timeout: fluxWorkloadTimeout,
				KubeConfig: &KubeConfigReference{SecretRef: &SecretKeyReference{
					Name: KubeconfigSecret(env), Key: kubeconfigSecretKey}},
				Path: "./" + opts.overlayPath(env.Name, true), Prune: true, Wait: true, SourceRef: ref,
			},
		}
		objs = append(objs,
			object{kind: "Kustomization", namespace: FluxNamespace, name: mgmt.Name, value: mgmt},
			object{kind: "Kustomization", namespace: FluxNamespace, name: workload.Name, value: workload})
	}
	return objs
}

// WorkloadName names what syncs an environment's workload: its Flux
// Kustomization or Argo CD Application.
func WorkloadName(env config.Environment) string { return env.ClusterName + "-workload" }

// KubeconfigSecret is the Secret in flux-system that holds the kubeconfig
// of env's new cluster, under the key "value".
func KubeconfigSecret(env config.Environment) string {
	return env.ClusterName + kubeconfigNameSuffix
}
