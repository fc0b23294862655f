package main

import (
	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/orchestrate"
)

// NewBuildCommand builds `render build ENV`.
func NewBuildCommand(streams IOStreams) *cobra.Command {
	f := &configFlags{}
	var workload bool
	var output string
	cmd := &cobra.Command{
		Use:   "build ENV",
		Short: "Print one environment's fully built objects",
		Long: `build prints the environment's overlay as kubectl kustomize overlays/ENV would
for an up-to-date tree, rendered in memory; it writes no files. -o json prints
the objects as one v1 List.`,
		Example: `  render build dev | kubectl apply --server-side -f -
  render build prod --workload > prod-workload.yaml
  render build dev -o json | jq '.items[].kind'`,
		Args:              f.envArg,
		ValidArgsFunction: f.completeEnv,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, envFormats()...); err != nil {
				return err
			}
			return f.WriteEnv(streams.Out, orchestrate.TreeOptions{}, args[0], workload, orchestrate.Format(output))
		},
	}
	f.bind(cmd, streams)
	cmd.Flags().BoolVar(&workload, "workload", false, "Print the workload for the new cluster instead of the management objects.")
	bindOutput(cmd, &output, orchestrate.YAML.String(), envFormats()...)
	return cmd
}
