package main

import (
	"fmt"

	"github.com/spf13/cobra"

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
  render gen -o - --env dev | kubectl apply --server-side -f -
  render gen --gitops argocd --gitops-repo https://github.com/me/platform`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return f.run(streams) },
	}
	f.bind(cmd, streams)
	fl := cmd.Flags()
	fl.StringVar(&f.outDir, "out-dir", ".", "Directory to write base/ and overlays/ into.")
	fl.BoolVar(&f.check, "check", false, "Write nothing; exit 1 and list the stale files if the tree on disk differs.")
	fl.StringVarP(&f.output, "output", "o", "", `"-" prints one environment's built YAML to stdout instead of writing the tree.`)
	fl.StringVarP(&f.env, "env", "e", "", "Environment to print with -o - (default: the only one).")
	fl.BoolVar(&f.workload, "workload", false, "With -o -, print the workload for the new cluster instead of the management objects.")
	fl.StringVar(&f.tree.GitOps, "gitops", "", `GitOps tool to render for: "argocd" (sync waves, Applications) or "flux" (Kustomizations); default none.`)
	fl.StringVar(&f.tree.GitOpsDir, "gitops-dir", "", `Directory under --out-dir for the tool's objects (default "gitops/<tool>").`)
	fl.StringVar(&f.tree.GitOpsRepo, "gitops-repo", "", "Git repository URL the tool's objects follow; required with --gitops.")
	fl.StringVar(&f.tree.GitOpsBranch, "gitops-branch", "main", "Branch the tool's objects follow.")
	return cmd
}

func (f *genFlags) run(streams IOStreams) error {
	switch {
	case f.output != "" && f.output != "-":
		return fmt.Errorf("--output %q: the only value is \"-\" (stdout); use --out-dir to choose where the tree goes", f.output)
	case f.output == "" && (f.env != "" || f.workload):
		return fmt.Errorf("--env and --workload go with -o -")
	case f.check && f.output != "":
		return fmt.Errorf("--check and -o - cannot be combined")
	}
	if f.output == "-" {
		return f.WriteEnv(streams.Out, f.tree, f.env, f.workload)
	}
	return f.WriteTree(f.outDir, f.tree, f.check)
}
