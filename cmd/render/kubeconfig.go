package main

import (
	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

// NewKubeconfigCommand builds `render kubeconfig ENV`.
func NewKubeconfigCommand(streams IOStreams) *cobra.Command {
	f := &clusterFlags{}
	var output string
	var overwrite bool
	cmd := &cobra.Command{
		Use:   "kubeconfig ENV",
		Short: "Write a kubeconfig for the environment's new EKS cluster",
		Long: `kubeconfig writes a kubeconfig (mode 0600) for the environment's EKS cluster,
authenticating with "aws eks get-token" (docs/operations.md). It never replaces
your default kubeconfig unless --overwrite.`,
		Example: `  render kubeconfig dev                       # writes demo-dev.kubeconfig
  render kubeconfig prod --output ~/.kube/demo-prod
  KUBECONFIG=demo-dev.kubeconfig kubectl get nodes`,
		Args: f.envArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, env, committed, err := f.Environment(args[0])
			if err != nil {
				return err
			}
			connect := func() (*apply.Manager, error) { return f.connect(apply.ManagerOptions{}) }
			kc, err := orchestrate.EnvKubeconfig(cmd.Context(), *env, committed, connect)
			if err != nil {
				return err
			}
			return orchestrate.WriteKubeconfig(output, env.ClusterName, kc, overwrite, streams.ErrOut)
		},
	}
	f.bind(cmd, streams)
	cmd.Flags().StringVar(&output, "output", "", `Path to write (default "<cluster>.kubeconfig" in the current directory).`)
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "Allow replacing your default kubeconfig file.")
	return cmd
}
