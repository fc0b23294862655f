package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

type unlockFlags struct {
	clusterFlags
	workload bool
	force    bool
}

// NewUnlockCommand builds `render unlock ENV`.
func NewUnlockCommand(streams IOStreams) *cobra.Command {
	f := &unlockFlags{}
	cmd := &cobra.Command{
		Use:   "unlock ENV",
		Short: "Remove the lock of an environment whose holder is gone",
		Long: `unlock removes the Lease render-lock that render apply and render delete hold
on an environment, and names its holder. A lock renewed within its lease is
alive: unlock refuses it unless --force (that run then stops). A dead run's lock
expires by itself 30s after its last renewal. See docs/operations.md.`,
		Example: `  render unlock dev
  render unlock dev --workload
  render unlock prod --force`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(cmd.Context(), streams, args[0]) },
	}
	f.bind(cmd, streams)
	cmd.Flags().BoolVar(&f.workload, "workload", false, "Unlock the new cluster's lock (kube-system/render-lock) instead of the management cluster's.")
	cmd.Flags().BoolVar(&f.force, "force", false, "Remove the lock even though its holder still renews it; that run stops.")
	return cmd
}

func (f *unlockFlags) run(ctx context.Context, streams IOStreams, name string) error {
	_, env, committed, err := f.Environment(name)
	if err != nil {
		return err
	}
	m, err := f.connect(apply.ManagerOptions{})
	if err != nil {
		return err
	}
	return orchestrate.Unlock(ctx, m, *env, committed, f.workload, f.force, isTerminal(streams.ErrOut), streams.ErrOut)
}
