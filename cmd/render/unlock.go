package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

type unlockFlags struct {
	configFlags
	kube     *genericclioptions.ConfigFlags
	workload bool
	force    bool
}

// NewUnlockCommand builds `render unlock ENV`.
func NewUnlockCommand(streams IOStreams) *cobra.Command {
	f := &unlockFlags{kube: genericclioptions.NewConfigFlags(false)}
	cmd := &cobra.Command{
		Use:   "unlock ENV",
		Short: "Remove the lock of an environment whose holder is gone",
		Long: `render apply and render delete lock an environment while they run: a Lease
named render-lock in the environment's namespace on the management cluster (and
in kube-system on the new cluster while they work there), renewed every 10s. A
run that dies stops renewing, and its lock expires 30s after the last renewal, so
the next run takes it over by itself; unlock is for not waiting.

unlock removes the lock and names its holder. A lock renewed within its lease is
alive, and unlock refuses it unless --force: the run holding it then notices
within seconds and stops. --workload unlocks the new cluster instead, reached as
render kubeconfig does.`,
		Example: `  render unlock dev
  render unlock dev --workload
  render unlock prod --force`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(cmd.Context(), streams, args[0]) },
	}
	f.bind(cmd, streams)
	f.kube.AddFlags(cmd.Flags())
	cmd.Flags().BoolVar(&f.workload, "workload", false, "Unlock the new cluster's lock (kube-system/render-lock) instead of the management cluster's.")
	cmd.Flags().BoolVar(&f.force, "force", false, "Remove the lock even though its holder still renews it; that run stops.")
	return cmd
}

func (f *unlockFlags) run(ctx context.Context, streams IOStreams, name string) error {
	_, env, committed, err := f.environment(name)
	if err != nil {
		return err
	}
	m, err := connect(f.kube, apply.ManagerOptions{})
	if err != nil {
		return err
	}
	set := orchestrate.EnvApplySet(*env)
	if f.workload {
		r, err := orchestrate.Render(ctx, m, *env, committed, streams.ErrOut)
		if err != nil {
			return err
		}
		if r.Late.ClusterEndpoint == "" || r.Late.ClusterCA == "" {
			return fmt.Errorf("the endpoint and CA of cluster %s are not known: there is no new cluster to unlock", env.ClusterName)
		}
		kc, err := orchestrate.Kubeconfig(*env, r.Late)
		if err != nil {
			return err
		}
		if m, err = orchestrate.WorkloadManager(*env, kc, apply.ManagerOptions{Progress: streams.ErrOut, Live: isTerminal(streams.ErrOut)}); err != nil {
			return err
		}
		set = orchestrate.WorkloadApplySet()
	}
	key := types.NamespacedName{Namespace: set.Parent.Namespace, Name: apply.LockName}
	h, err := m.Unlock(ctx, key, f.force)
	switch {
	case err != nil:
		return err
	case h == nil:
		fmt.Fprintf(streams.ErrOut, "Lease/%s/%s: not locked\n", key.Namespace, key.Name)
	default:
		fmt.Fprintf(streams.ErrOut, "unlocked: %s\n", h)
	}
	return nil
}
