package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/orchestrate"
)

// NewBootstrapCommand builds `render bootstrap ENV`.
func NewBootstrapCommand(streams IOStreams) *cobra.Command {
	f := &configFlags{}
	var output, outFile string
	cmd := &cobra.Command{
		Use:   "bootstrap ENV",
		Short: "Print the CloudFormation template that prepares another account for ACK",
		Long: `bootstrap prints, for an environment whose accountID is not the management
cluster's, the CloudFormation template (YAML) to deploy once in that account,
with CloudFormation or a StackSet: the IAM role <name>-ack that the management
cluster's ACK controllers assume there (cross-account resource management),
trusted only by the controllers' roles (spec.management.controllers), allowed
the AWS calls of the kinds every environment in that account renders, and no
other. It needs no cluster; docs/operations.md, "Another account", shows the
one-time step. An environment in the management account is an error.`,
		Example: `  render bootstrap prod > prod-bootstrap.yaml
  aws cloudformation deploy --stack-name shop-ack --template-file prod-bootstrap.yaml \
    --capabilities CAPABILITY_NAMED_IAM --profile prod
  render bootstrap prod --out-file prod-bootstrap.yaml`,
		Args:              f.envArg,
		ValidArgsFunction: f.completeEnv,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "yaml"); err != nil {
				return err
			}
			cfg, err := f.Load()
			if err != nil {
				return err
			}
			tmpl, err := gen.Bootstrap(cfg, args[0])
			if err != nil {
				return err
			}
			if outFile == "" {
				_, err = streams.Out.Write(tmpl)
				return err
			}
			if err := orchestrate.WriteAtomic(outFile, tmpl, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(streams.ErrOut, "wrote %s\n", outFile)
			return nil
		},
	}
	f.bind(cmd, streams)
	bindOutput(cmd, &output, "yaml", "yaml")
	cmd.Flags().StringVar(&outFile, "out-file", "", "Path to write the template to (default: print it on stdout).")
	return cmd
}
