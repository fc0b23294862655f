package main

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/diff"
	"github.com/eks-render/render/internal/orchestrate"
	"github.com/eks-render/render/internal/schema"
)

// errChanges is returned by render diff when the renderings differ: like
// kubectl diff it exits 1 then, which is not a failure.
var errChanges = errors.New("the renderings differ")

// diffExit gives render diff kubectl diff's exit codes: 1 for changes,
// 2 for any error.
type diffExit struct{ err error }

func (e diffExit) Error() string { return e.err.Error() }
func (e diffExit) Unwrap() error { return e.err }

// Quiet reports whether Main should print nothing: changes found is the
// report on stdout, not an error.
func (e diffExit) Quiet() bool { return errors.Is(e.err, errChanges) }

// ExitCode returns 1 for changes found and 2 for every other error.
func (e diffExit) ExitCode() int {
	if errors.Is(e.err, errChanges) {
		return 1
	}
	return 2
}

type diffFlags struct {
	configFlags
	kube     *genericclioptions.ConfigFlags
	from, to string
	output   string
}

// NewDiffCommand builds `render diff`.
func NewDiffCommand(streams IOStreams) *cobra.Command {
	f := &diffFlags{kube: genericclioptions.NewConfigFlags(false)}
	cmd := &cobra.Command{
		Use:   "diff ENV | diff --from <dir|git-rev> --to <dir|git-rev>",
		Short: "Show what applying would change, live or between two renderings",
		Long: `diff ENV compares the environment's management objects as rendered from
platform.yaml with the live management cluster: each object is server-side
applied as a dry run (which also validates it), and the live object and the
result are cut down to the fields render sets, so fields the ACK controllers
fill in themselves and status never show. Objects that do not exist yet are
added; objects render applied (its ApplySet) and no longer renders are removed:
render apply --prune would delete them.

diff --from --to renders every environment of two configurations and compares
the objects by Kind/namespace/name. Each side is a directory holding
platform.yaml and, optionally, outputs/<env>.yaml with the late values, or a
git revision (main, HEAD~1, a commit) of the repository around the current
directory: its platform.yaml (the --config path) and outputs/ are read from git
without checking anything out. An environment on one side only is all added or
all removed.

Per environment it reports the objects added, changed and removed by kind;
the size of each side (NAT gateways, Elastic IPs, node groups, Fargate
profiles, log retention) and the change; a unified diff of each changed
object; and warnings for changed fields AWS will not update in place:
  REPLACE <path>         immutable (CEL): the apiserver rejects the update,
                         the object must be deleted and created again
  IGNORED BY ACK <path>  create-only: the update is accepted, the controller
                         ignores it and still reports Synced

Exit status, as kubectl diff: 0 no changes, 1 changes found, 2 any error.`,
		Example: `  # What would render apply dev change?
  render diff dev

  # What does this branch change against main? (the working tree: --to .)
  render diff --from main --to .
  render diff --from main --to HEAD

  # As a pull-request comment
  render diff --from origin/main --to HEAD -o markdown > comment.md`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.MaximumNArgs(1)(cmd, args); err != nil {
				return diffExit{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			run := func() error { return f.run(cmd.Context(), streams) }
			if len(args) == 1 {
				run = func() error { return f.live(cmd.Context(), streams, args[0]) }
			}
			if err := run(); err != nil {
				return diffExit{err}
			}
			return nil
		},
	}
	f.bind(cmd, streams)
	f.kube.AddFlags(cmd.Flags())
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return diffExit{err} })
	cmd.Flags().StringVar(&f.from, "from", "", "The old side: a directory holding platform.yaml, or a git revision.")
	cmd.Flags().StringVar(&f.to, "to", "", "The new side: a directory holding platform.yaml, or a git revision.")
	cmd.Flags().StringVarP(&f.output, "output", "o", diff.TextFormat.String(), "Report format: text, json or markdown.")
	return cmd
}

func (f *diffFlags) validate() error {
	if f.from == "" || f.to == "" {
		return fmt.Errorf("--from and --to are both required (or name an environment for a live diff)")
	}
	if !slices.Contains(diff.Formats, diff.Format(f.output)) {
		return fmt.Errorf("--output %q: want one of %v", f.output, diff.Formats)
	}
	return nil
}

func (f *diffFlags) run(ctx context.Context, streams IOStreams) error {
	if err := f.validate(); err != nil {
		return err
	}
	day, err := f.day()
	if err != nil {
		return err
	}
	from, err := orchestrate.DiffSide(ctx, "from", f.from, f.file, day, streams.ErrOut)
	if err != nil {
		return err
	}
	to, err := orchestrate.DiffSide(ctx, "to", f.to, f.file, day, streams.ErrOut)
	if err != nil {
		return err
	}
	s, err := schema.Load()
	if err != nil {
		return err
	}
	r, err := diff.Compare(from, to, s)
	if err != nil {
		return err
	}
	if err := r.Write(streams.Out, diff.Format(f.output)); err != nil {
		return err
	}
	if r.Changed {
		return errChanges
	}
	return nil
}

// live diffs environment name against the management cluster.
func (f *diffFlags) live(ctx context.Context, streams IOStreams, name string) error {
	if f.from != "" || f.to != "" {
		return fmt.Errorf("a live diff of %s takes no --from or --to", name)
	}
	if !slices.Contains(diff.Formats, diff.Format(f.output)) {
		return fmt.Errorf("--output %q: want one of %v", f.output, diff.Formats)
	}
	_, env, committed, err := f.environment(name)
	if err != nil {
		return err
	}
	m, err := connect(f.kube, apply.ManagerOptions{})
	if err != nil {
		return err
	}
	report, err := orchestrate.DiffLive(ctx, m, *env, committed, streams.ErrOut)
	if err != nil {
		return err
	}
	if err := report.Write(streams.Out, diff.Format(f.output)); err != nil {
		return err
	}
	if report.Changed {
		return errChanges
	}
	return nil
}
