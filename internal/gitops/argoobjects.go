package gitops

import (
	"github.com/eks-render/render/internal/config"
)

// argoRetry retries a failed sync (a Degraded wave: an ACK.Terminal object)
// with back-off: 30s, 1m, 2m, ... up to 10m between tries.
func argoRetry() *RetryStrategy {
	factor := int64(2)
	return &RetryStrategy{Limit: 10, Backoff: &Backoff{Duration: "30s", Factor: &factor, MaxDuration: "10m"}}
}

// argoObjects returns argocd-cm's health checks and, per environment, two
// Applications: the management objects, synced into the cluster Argo CD
// runs in wave by wave, and the workload, synced to the new cluster once it
// is registered in Argo CD under the cluster's name.
func argoObjects(cfg *config.Config, opts Options) []object {
	cm := ArgoCDConfigMap(Kinds())
	objs := []object{{kind: "ConfigMap", namespace: cm.Namespace, name: cm.Name, value: cm, notApplied: true}}
	for _, env := range cfg.Environments {
		mgmt := application(env.ClusterName, opts, opts.overlayPath(env.Name, false),
			ApplicationDestination{Server: InClusterServer, Namespace: env.ClusterName})
		workload := application(WorkloadName(env), opts, opts.overlayPath(env.Name, true),
			ApplicationDestination{Name: env.ClusterName})
		objs = append(objs,
			object{kind: "Application", namespace: ArgoCDNamespace, name: mgmt.Name, value: mgmt},
			object{kind: "Application", namespace: ArgoCDNamespace, name: workload.Name, value: workload})
	}
	return objs
}

// application syncs path automatically, server-side like render apply,
// pruning what left Git.
func application(name string, opts Options, path string, dest ApplicationDestination) *Application {
	return &Application{
		TypeMeta:   typeMeta(ArgoCDAPIVersion, "Application"),
		ObjectMeta: meta(name, ArgoCDNamespace),
		Spec: ApplicationSpec{
			Project:     "default",
			Source:      &ApplicationSource{RepoURL: opts.RepoURL, TargetRevision: opts.Branch, Path: path},
			Destination: dest,
			SyncPolicy: &SyncPolicy{
				Automated:   &SyncPolicyAutomated{Prune: true, SelfHeal: true},
				SyncOptions: []string{"ServerSideApply=true"},
				Retry:       argoRetry(),
			},
		},
	}
}
