package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/orchestrate"
)

type initFlags struct {
	file string
	opts config.SkeletonOptions
	cfg  configFlags // only for the day (--today, the clock)
}

// NewInitCommand builds `render init`.
func NewInitCommand(streams IOStreams) *cobra.Command {
	f := &initFlags{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented platform.yaml for a new platform",
		Long: `init writes a platform.yaml that renders as is, with the schema line editors
complete from; other fields keep their defaults (docs/configuration.md). It
never overwrites a file.`,
		Example: `  render init --name shop --account-id 111122223333 --environments dev,prod
  render init --name lab --fargate-only -f lab/platform.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return f.run(streams) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.file, "config", "f", "platform.yaml", "Path of the file to write; it must not exist.")
	fl.StringVar(&f.opts.Name, "name", "", "Platform name (required); clusters are named <name>-<environment>.")
	fl.StringVar(&f.opts.Region, "region", "us-west-2", "AWS region.")
	fl.StringVar(&f.opts.AccountID, "account-id", "", "12-digit AWS account ID (default: none, ARNs use *).")
	fl.StringSliceVar(&f.opts.Admins, "admin", nil, "IAM principal ARN given cluster-admin, repeatable (default arn:aws:iam::<account-id>:role/PlatformAdmin).")
	fl.StringSliceVar(&f.opts.Environments, "environments", []string{"dev"}, "Comma-separated environment names.")
	fl.BoolVar(&f.opts.FargateOnly, "fargate-only", false, "No managed node group: everything, CoreDNS included, runs on Fargate.")
	fl.StringVar(&f.cfg.today, "today", "", "Pin the newest Kubernetes version in EKS standard support on this day, YYYY-MM-DD (default: today, UTC).")
	f.cfg.now = streams.Now
	return cmd
}

func (f *initFlags) run(streams IOStreams) error {
	if f.opts.Name == "" {
		return fmt.Errorf("--name is required, e.g. --name shop")
	}
	if len(f.opts.Admins) == 0 && f.opts.AccountID == "" {
		return fmt.Errorf("--admin is required without --account-id: an IAM role or user ARN to get cluster-admin")
	}
	day, err := f.cfg.day()
	if err != nil {
		return err
	}
	f.opts.Day = day
	return orchestrate.Init(f.file, f.opts, streams.ErrOut)
}
