package main

import (
	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

// NewUnlockCommand builds `render unlock ENV`.
func NewUnlockCommand(streams IOStreams) *cobra.Command {
	f := &clusterFlags{}
	var workload, force bool
	cmd := &cobra.Command{
		Use:   "unlock ENV",
		Short: "Remove the lock of an environment whose holder is gone",
		Long: `unlock removes the lock render apply and render delete hold on an environment,
naming its holder. A lock still renewed needs --force (that run then stops); a
dead run's lock expires by itself. See docs/operations.md.`,
		Example: `  render unlock dev
  render unlock dev --workload
  render unlock prod --force`,
		Args:              f.envArg,
		ValidArgsFunction: f.completeEnv,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, env, committed, m, err := f.open(args[0], apply.ManagerOptions{})
			if err != nil {
				return err
			}
			return orchestrate.Unlock(cmd.Context(), m, *env, committed, workload, force, isTerminal(streams.ErrOut), streams.ErrOut)
		},
	}
	f.bind(cmd, streams)
	cmd.Flags().BoolVar(&workload, "workload", false, "Unlock the new cluster's lock (kube-system/render-lock) instead of the management cluster's.")
	cmd.Flags().BoolVar(&force, "force", false, "Remove the lock even though its holder still renews it; that run stops.")
	return cmd
}
