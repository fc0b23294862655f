package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/gitops"
	"github.com/eks-render/render/internal/orchestrate"
)

type genFlags struct {
	configFlags
	tree                orchestrate.TreeOptions
	outDir, output, env string
	check, workload     bool
}

// NewGenCommand builds `render gen`.
func NewGenCommand(streams IOStreams) *cobra.Command {
	f := &genFlags{}
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Write base/ and overlays/<env>/ from platform.yaml",
		Long: `gen renders every environment into base/ (what all environments share) and
overlays/<env>/ (with a workload/ kustomization for the new EKS cluster), the
same bytes on every run; it refuses to replace files it did not write. --gitops
adds a GitOps tool's objects (docs/gitops.md); pass the same flags to --check.

Exit status: 0 on success (with --check: the tree is up to date), 1 on any
error (with --check: a file is stale; the stale files are listed).`,
		Example: `  render gen
  render gen --check
  render gen -o yaml --env dev | kubectl apply --server-side -f -
  render gen --gitops argocd --gitops-repo https://github.com/me/platform`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return f.run(streams) },
	}
	f.bind(cmd, streams)
	fl := cmd.Flags()
	fl.StringVar(&f.outDir, "out-dir", ".", "Directory to write base/ and overlays/ into.")
	fl.BoolVar(&f.check, "check", false, "Write nothing; exit 1 and list the stale files if the tree on disk differs.")
	fl.StringVarP(&f.output, "output", "o", "", "Print one environment's built objects on stdout in this format, yaml or json, instead of writing the tree (default: write the tree).")
	completeFlag(cmd, "output", envFormats()...)
	fl.StringVarP(&f.env, "env", "e", "", "Environment to print with -o (default: the only one).")
	if err := cmd.RegisterFlagCompletionFunc("env", func(c *cobra.Command, _ []string, s string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return f.completeEnv(c, nil, s)
	}); err != nil {
		panic(err) // the flag is bound above; impossible
	}
	fl.BoolVar(&f.workload, "workload", false, "With -o, print the workload for the new cluster instead of the management objects.")
	fl.StringVar(&f.tree.GitOps, "gitops", "", `GitOps tool to render for: "argocd" (sync waves, Applications) or "flux" (Kustomizations); default none.`)
	completeFlag(cmd, "gitops", gitops.ArgoCD.String(), gitops.Flux.String())
	fl.StringVar(&f.tree.GitOpsDir, "gitops-dir", "", `Directory under --out-dir for the tool's objects (default "gitops/<tool>").`)
	fl.StringVar(&f.tree.GitOpsRepo, "gitops-repo", "", "Git repository URL the tool's objects follow; required with --gitops.")
	fl.StringVar(&f.tree.GitOpsBranch, "gitops-branch", "main", "Branch the tool's objects follow.")
	return cmd
}

func (f *genFlags) run(streams IOStreams) error {
	if f.output == "-" {
		// -o - meant "YAML on stdout" before -o took a format everywhere.
		fmt.Fprintln(streams.ErrOut, "warning: -o - is deprecated; use -o yaml")
		f.output = orchestrate.YAML.String()
	}
	switch {
	case f.output != "" && checkOutput(f.output, envFormats()...) != nil:
		return fmt.Errorf("%w; the tree goes under --out-dir", checkOutput(f.output, envFormats()...))
	case f.output == "" && (f.env != "" || f.workload):
		return fmt.Errorf("--env and --workload go with -o")
	case f.check && f.output != "":
		return fmt.Errorf("--check and -o cannot be combined")
	}
	if f.output != "" {
		return f.WriteEnv(streams.Out, f.tree, f.env, f.workload, orchestrate.Format(f.output))
	}
	return f.WriteTree(f.outDir, f.tree, f.check)
}
