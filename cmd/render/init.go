package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/config"
)

type initFlags struct {
	file string
	opts config.SkeletonOptions
}

// NewInitCommand builds `render init`.
func NewInitCommand(streams IOStreams) *cobra.Command {
	f := &initFlags{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented platform.yaml for a new platform",
		Long: `init writes a platform.yaml that renders as is: the name, region, account and
environments given, the admins who get cluster-admin, and the schema line
that lets editors complete and check the file. Every other field keeps its
default (see docs/configuration.md). init never overwrites a file.`,
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
	return cmd
}

func (f *initFlags) run(streams IOStreams) error {
	if f.opts.Name == "" {
		return fmt.Errorf("--name is required, e.g. --name shop")
	}
	if len(f.opts.Admins) == 0 {
		if f.opts.AccountID == "" {
			return fmt.Errorf("--admin is required without --account-id: an IAM role or user ARN to get cluster-admin")
		}
		f.opts.Admins = []string{"arn:aws:iam::" + f.opts.AccountID + ":role/PlatformAdmin"}
	}
	if _, err := os.Lstat(f.file); err == nil {
		return fmt.Errorf("%s exists; render init never overwrites a file", f.file)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	data, err := config.Skeleton(f.opts)
	if err != nil {
		return err
	}
	if dir := filepath.Dir(f.file); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	// O_EXCL: a file created since the check above is not overwritten either.
	out, err := os.OpenFile(f.file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := out.Write(data); err != nil {
		out.Close()
		os.Remove(f.file)
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	fmt.Fprintf(streams.ErrOut, "wrote %s; next: render gen\n", f.file)
	return nil
}
