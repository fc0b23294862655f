package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/gitops"
	"github.com/eks-render/render/internal/orchestrate"
)

// configFlags are the flags every command that reads platform.yaml takes.
type configFlags struct {
	file   string
	today  string
	now    func() time.Time
	errOut io.Writer // where warnings go
}

func (f *configFlags) bind(cmd *cobra.Command, streams IOStreams) {
	f.errOut, f.now = streams.ErrOut, streams.Now
	cmd.Flags().StringVarP(&f.file, "config", "f", "platform.yaml", "Path of the platform configuration file.")
	cmd.Flags().StringVar(&f.today, "today", "", "Check cluster.version against the EKS calendar as on this day, YYYY-MM-DD (default: today, UTC).")
}

// day is the day cluster.version is checked on: --today, else the clock.
func (f *configFlags) day() (eksversion.Day, error) {
	if f.today != "" {
		d, err := eksversion.ParseDay(f.today)
		if err != nil {
			return eksversion.Day{}, fmt.Errorf("--today: %w", err)
		}
		return d, nil
	}
	now := f.now
	if now == nil {
		now = time.Now
	}
	return eksversion.DayOf(now()), nil
}

// load reads and validates the configuration file.
func (f *configFlags) load() (*config.Config, error) {
	day, err := f.day()
	if err != nil {
		return nil, err
	}
	return orchestrate.LoadConfig(f.file, day, f.errOut)
}

// tree renders every environment's tree with the GitOps choices o.
func (f *configFlags) tree(o orchestrate.TreeOptions) (*config.Config, *gen.Output, []string, error) {
	day, err := f.day()
	if err != nil {
		return nil, nil, nil, err
	}
	o.Day = day
	return orchestrate.Tree(f.file, f.errOut, o)
}

// environment loads the configuration and finds environment name and its
// committed outputs file, if any.
func (f *configFlags) environment(name string) (*config.Config, *config.Environment, orchestrate.Committed, error) {
	day, err := f.day()
	if err != nil {
		return nil, nil, orchestrate.Committed{}, err
	}
	return orchestrate.Environment(f.file, name, day, f.errOut)
}

type genFlags struct {
	configFlags
	outDir   string
	check    bool
	output   string
	env      string
	workload bool
	// gitops is the --gitops tool ("" for none); gitopsDir, gitopsRepo
	// and gitopsBranch say where its objects go and what they follow.
	gitops, gitopsDir, gitopsRepo, gitopsBranch string
}

// NewGenCommand builds `render gen`.
func NewGenCommand(streams IOStreams) *cobra.Command {
	f := &genFlags{}
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Write base/ and overlays/<env>/ from platform.yaml",
		Long: `gen renders every environment of the configuration file into a kustomize tree:
base/ (what all environments share) and overlays/<env>/ (what differs, and a
workload/ kustomization for the new EKS cluster). render owns base/ and
overlays/: it replaces them whole, atomically, refuses if either holds a file it
did not write, and writes byte-identical output, so CI can check it with --check.
Objects that need a value AWS knows only after creation wait for it (stderr says
which). --gitops argocd or flux adds sync waves or Kustomizations and the tool's
objects in gitops/<tool>/ (docs/gitops.md); pass the same flags to --check.

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
	cmd.Flags().StringVar(&f.outDir, "out-dir", ".", "Directory to write base/ and overlays/ into.")
	cmd.Flags().BoolVar(&f.check, "check", false, "Write nothing; exit 1 and list the stale files if the tree on disk differs.")
	cmd.Flags().StringVarP(&f.output, "output", "o", "", `"-" prints one environment's built YAML to stdout instead of writing the tree.`)
	cmd.Flags().StringVarP(&f.env, "env", "e", "", "Environment to print with -o - (default: the only one).")
	cmd.Flags().BoolVar(&f.workload, "workload", false, "With -o -, print the workload for the new cluster instead of the management objects.")
	cmd.Flags().StringVar(&f.gitops, "gitops", "", `GitOps tool to render for: "argocd" (sync waves, Applications) or "flux" (Kustomizations); default none.`)
	cmd.Flags().StringVar(&f.gitopsDir, "gitops-dir", "", `Directory under --out-dir for the tool's objects (default "gitops/<tool>").`)
	cmd.Flags().StringVar(&f.gitopsRepo, "gitops-repo", gitops.DefaultRepoURL, "Git repository URL the tool's objects follow.")
	cmd.Flags().StringVar(&f.gitopsBranch, "gitops-branch", "main", "Branch the tool's objects follow.")
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
	case f.gitops == "" && f.gitopsDir != "":
		return fmt.Errorf("--gitops-dir goes with --gitops")
	}
	cfg, out, owned, err := f.tree(orchestrate.TreeOptions{
		GitOps: f.gitops, GitOpsDir: f.gitopsDir, GitOpsRepo: f.gitopsRepo, GitOpsBranch: f.gitopsBranch})
	if err != nil {
		return err
	}
	if f.output == "-" {
		return printEnv(streams, cfg, out.Files, f.env, f.workload)
	}
	return orchestrate.WriteTree(f.outDir, owned, out, f.check, streams.ErrOut)
}

// printEnv builds one environment's overlay and prints it.
func printEnv(streams IOStreams, cfg *config.Config, t gen.Tree, env string, workload bool) error {
	b, err := orchestrate.BuildEnv(cfg, t, env, workload)
	if err != nil {
		return err
	}
	_, err = streams.Out.Write(b)
	return err
}
