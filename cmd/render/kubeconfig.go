package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

// NewKubeconfigCommand builds `render kubeconfig ENV`.
func NewKubeconfigCommand(streams IOStreams) *cobra.Command {
	f := &clusterFlags{}
	var output, outFile string
	var overwrite bool
	cmd := &cobra.Command{
		Use:   "kubeconfig ENV",
		Short: "Write a kubeconfig for the environment's new EKS cluster",
		Long: `kubeconfig writes a kubeconfig (mode 0600) for the environment's EKS cluster,
authenticating with "aws eks get-token" (docs/operations.md), or with -o yaml
prints it on stdout. It never replaces your default kubeconfig unless
--overwrite.`,
		Example: `  render kubeconfig dev                       # writes demo-dev.kubeconfig
  render kubeconfig prod --out-file ~/.kube/demo-prod
  render kubeconfig dev -o yaml > dev.kubeconfig
  KUBECONFIG=demo-dev.kubeconfig kubectl get nodes`,
		Args:              f.envArg,
		ValidArgsFunction: f.completeEnv,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "" && checkOutput(output, "yaml") != nil {
				// --output PATH wrote the file before -o took a format everywhere.
				fmt.Fprintf(streams.ErrOut, "warning: --output PATH is deprecated; use --out-file %s\n", output)
				output, outFile = "", output
			}
			_, env, committed, err := f.Environment(args[0])
			if err != nil {
				return err
			}
			connect := func() (*apply.Manager, error) { return f.connect(apply.ManagerOptions{}) }
			kc, err := orchestrate.EnvKubeconfig(cmd.Context(), *env, committed, connect)
			if err != nil {
				return err
			}
			if output != "" {
				_, err = streams.Out.Write(kc)
				return err
			}
			return orchestrate.WriteKubeconfig(outFile, env.ClusterName, kc, overwrite, streams.ErrOut)
		},
	}
	f.bind(cmd, streams)
	cmd.Flags().StringVarP(&output, "output", "o", "", "Output format: yaml prints the kubeconfig on stdout instead of writing a file (default: write --out-file).")
	completeFlag(cmd, "output", "yaml")
	cmd.Flags().StringVar(&outFile, "out-file", "", `Path to write (default "<cluster>.kubeconfig" in the current directory).`)
	cmd.Flags().BoolVar(&overwrite, "overwrite", false, "Allow replacing your default kubeconfig file.")
	return cmd
}
