package main

import (
	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

// NewOutputsCommand builds `render outputs ENV`.
func NewOutputsCommand(streams IOStreams) *cobra.Command {
	f := &clusterFlags{}
	cmd := &cobra.Command{
		Use:   "outputs ENV",
		Short: "Record the values AWS knows only after creation in outputs/ENV.yaml",
		Long: `outputs writes the values AWS knows only after creation (VPC ID, OIDC issuer,
endpoint, CA, account ID) to outputs/ENV.yaml. Commit it: render gen then
renders the second phase (docs/how-it-works.md).`,
		Example:           `  render outputs dev && render gen && git add outputs overlays && git commit -m "dev: second phase"`,
		Args:              f.envArg,
		ValidArgsFunction: f.completeEnv,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, env, committed, m, err := f.open(args[0], apply.ManagerOptions{})
			if err != nil {
				return err
			}
			return orchestrate.WriteOutputs(cmd.Context(), m, cfg, *env, committed, streams.ErrOut)
		},
	}
	f.bind(cmd, streams)
	return cmd
}
