package orchestrate

import (
	"context"
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/types"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
)

// Unlock removes the lock of env's run (render unlock): in the management
// cluster m or, with workload, in the new cluster, reached with the late
// values Render finds. Without force it removes only a lock whose holder
// stopped renewing it. It says on progress what it did.
func Unlock(ctx context.Context, m *apply.Manager, env config.Environment, committed Committed, workload, force, live bool, progress io.Writer) error {
	set := EnvApplySet(env)
	if workload {
		r, err := Render(ctx, m, env, committed, progress)
		if err != nil {
			return err
		}
		if r.Late.ClusterEndpoint == "" || r.Late.ClusterCA == "" {
			return fmt.Errorf("the endpoint and CA of cluster %s are not known: there is no new cluster to unlock", env.ClusterName)
		}
		kc, err := Kubeconfig(env, r.Late)
		if err != nil {
			return err
		}
		if m, err = WorkloadManager(env, kc, apply.ManagerOptions{Progress: progress, Live: live, RequestTimeout: m.RequestTimeout()}); err != nil {
			return err
		}
		set = WorkloadApplySet()
	}
	key := types.NamespacedName{Namespace: set.Parent.Namespace, Name: apply.LockName}
	h, err := m.Unlock(ctx, key, force)
	switch {
	case err != nil:
		return err
	case h == nil:
		fmt.Fprintf(progress, "Lease/%s/%s: not locked\n", key.Namespace, key.Name)
	default:
		fmt.Fprintf(progress, "unlocked: %s\n", h)
	}
	return nil
}
