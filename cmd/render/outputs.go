package main

import (
	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

// NewOutputsCommand builds `render outputs ENV`.
func NewOutputsCommand(streams IOStreams) *cobra.Command {
	f := &clusterFlags{}
	var check bool
	cmd := &cobra.Command{
		Use:   "outputs ENV",
		Short: "Record the values AWS knows only after creation in outputs/ENV.yaml",
		Long: `outputs writes the values AWS knows only after creation (VPC ID, OIDC issuer,
endpoint, CA, account ID) to outputs/ENV.yaml. Commit it: render gen then
renders the second phase (docs/how-it-works.md).

With --check it writes nothing and exits 1 when the live values differ from
the committed file, naming each value (old → new): a scheduled drift alert
(docs/gitops.md, "CI jobs").`,
		Example: `  render outputs dev && render gen && git add outputs overlays && git commit -m "dev: second phase"
  render outputs prod --check      # exit 1 when outputs/prod.yaml is behind AWS`,
		Args:              f.envArg,
		ValidArgsFunction: f.completeEnv,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, env, committed, m, err := f.open(args[0], apply.ManagerOptions{})
			if err != nil {
				return err
			}
			if check {
				return orchestrate.CheckOutputs(cmd.Context(), m, cfg, *env, committed)
			}
			return orchestrate.WriteOutputs(cmd.Context(), m, cfg, *env, committed, streams.ErrOut)
		},
	}
	f.bind(cmd, streams)
	cmd.Flags().BoolVar(&check, "check", false, "Write nothing; exit 1 when the committed file differs from the live values, naming each (default: write the file).")
	return cmd
}
