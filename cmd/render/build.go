package main

import (
	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/orchestrate"
)

// NewBuildCommand builds `render build ENV`.
func NewBuildCommand(streams IOStreams) *cobra.Command {
	f := &configFlags{}
	var workload bool
	cmd := &cobra.Command{
		Use:   "build ENV",
		Short: "Print one environment's fully built objects",
		Long: `build prints the environment's overlay as kubectl kustomize overlays/ENV would
for an up-to-date tree, rendered in memory; it writes no files.`,
		Example: `  render build dev | kubectl apply --server-side -f -
  render build prod --workload > prod-workload.yaml`,
		Args: f.envArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.WriteEnv(streams.Out, orchestrate.TreeOptions{}, args[0], workload)
		},
	}
	f.bind(cmd, streams)
	cmd.Flags().BoolVar(&workload, "workload", false, "Print the workload for the new cluster instead of the management objects.")
	return cmd
}
