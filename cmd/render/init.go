package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/ci"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/orchestrate"
	"github.com/eks-render/render/internal/version"
)

// NewInitCommand builds `render init`.
func NewInitCommand(streams IOStreams) *cobra.Command {
	var o config.SkeletonOptions
	in := orchestrate.Input{Now: streams.Now} // only for the day
	var provider, renderVersion string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented platform.yaml for a new platform",
		Long: `init writes a platform.yaml that renders as is, with the schema line editors
complete from; other fields keep their defaults (docs/configuration.md). It
never overwrites a file: when one exists it writes none.

With --ci github it also writes the three GitHub Actions workflows of a
render-and-commit repository into .github/workflows/ (render-check.yml,
render-diff.yml, render-outputs.yml), with --ci gitlab the same jobs as
.gitlab-ci.yml, next to platform.yaml, pinned to this render's version
(render version; a build from a checkout needs --render-version). See
docs/gitops.md, "CI jobs".`,
		Example: `  render init --name shop --account-id 111122223333 --environments dev,prod
  render init --name lab --fargate-only -f lab/platform.yaml
  render init --name shop --account-id 111122223333 --ci github`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if o.Day, err = in.Day(); err != nil {
				return err
			}
			files, err := ciFiles(provider, renderVersion)
			if err != nil {
				return err
			}
			return orchestrate.Init(in.File, o, files, streams.ErrOut)
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
	fl.StringVar(&provider, "ci", "", "Also write the CI jobs for this service: github or gitlab (default: none).")
	fl.StringVar(&renderVersion, "render-version", "", "The render version the CI jobs install, v1.2.3 or a commit (default: this render's, from render version).")
	return cmd
}

// ciFiles returns the CI jobs --ci asks for, pinned to v or else to the
// running render's version; none without --ci.
func ciFiles(provider, v string) (map[string][]byte, error) {
	if provider == "" {
		if v != "" {
			return nil, fmt.Errorf("--render-version without --ci: it pins the CI jobs")
		}
		return nil, nil
	}
	p, err := ci.ParseProvider(provider)
	if err != nil {
		return nil, err
	}
	if v == "" {
		if v, err = pinnableVersion(); err != nil {
			return nil, err
		}
	}
	return ci.Files(p, v)
}

// pinnableVersion is the running render's version as go install takes
// it: the module version, else the commit of a clean checkout's build.
func pinnableVersion() (string, error) {
	info, err := version.Read()
	if err != nil {
		return "", err
	}
	switch {
	case info.Version != "(devel)":
		return info.Version, nil
	case info.Revision != "" && !info.Modified:
		return info.Revision, nil
	}
	return "", fmt.Errorf("this render (%s) has no version to pin the CI jobs to; pass --render-version v1.2.3", info.Version)
}
