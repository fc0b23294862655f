package main

import (
	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/orchestrate"
)

// NewInitCommand builds `render init`.
func NewInitCommand(streams IOStreams) *cobra.Command {
	var o config.SkeletonOptions
	in := orchestrate.Input{Now: streams.Now} // only for the day
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented platform.yaml for a new platform",
		Long: `init writes a platform.yaml that renders as is, with the schema line editors
complete from; other fields keep their defaults (docs/configuration.md). It
never overwrites a file.`,
		Example: `  render init --name shop --account-id 111122223333 --environments dev,prod
  render init --name lab --fargate-only -f lab/platform.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if o.Day, err = in.Day(); err != nil {
				return err
			}
			return orchestrate.Init(in.File, o, streams.ErrOut)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&in.File, "config", "f", "platform.yaml", "Path of the file to write; it must not exist.")
	fl.StringVar(&o.Name, "name", "", "Platform name (required); clusters are named <name>-<environment>.")
	fl.StringVar(&o.Region, "region", "us-west-2", "AWS region.")
	fl.StringVar(&o.AccountID, "account-id", "", "12-digit AWS account ID (default: none, ARNs use *).")
	fl.StringSliceVar(&o.Admins, "admin", nil, "IAM principal ARN given cluster-admin, repeatable (default: arn:aws:iam::<account-id>:role/PlatformAdmin, marked as a placeholder to replace).")
	fl.StringSliceVar(&o.Environments, "environments", []string{"dev"}, "Comma-separated environment names.")
	fl.BoolVar(&o.FargateOnly, "fargate-only", false, "No managed node group: everything, CoreDNS included, runs on Fargate.")
	fl.StringVar(&in.Today, "today", "", "Pin the newest Kubernetes version in EKS standard support on this day, YYYY-MM-DD (default: today, UTC).")
	return cmd
}
