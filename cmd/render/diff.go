package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/diff"
	"github.com/eks-render/render/internal/orchestrate"
)

// errChanges is render diff's error (exit status 1) when the renderings differ.
var errChanges = errors.New("the renderings differ")

// diffExit gives render diff kubectl diff's exit codes: 1 for changes
// found (the report on stdout, so Main prints nothing), 2 for any error.
type diffExit struct{ error }

func (e diffExit) Unwrap() error { return e.error }

// Quiet reports whether the error is changes found.
func (e diffExit) Quiet() bool { return errors.Is(e.error, errChanges) }

// ExitCode returns 1 for changes found and 2 for every other error.
func (e diffExit) ExitCode() int {
	if e.Quiet() {
		return 1
	}
	return 2
}

// asDiffExit wraps err, if any, in diffExit.
func asDiffExit(err error) error {
	if err == nil {
		return nil
	}
	return diffExit{err}
}

type diffFlags struct {
	clusterFlags
	from, to string
	output   string
}

// NewDiffCommand builds `render diff`.
func NewDiffCommand(streams IOStreams) *cobra.Command {
	f := &diffFlags{}
	cmd := &cobra.Command{
		Use:   "diff ENV | diff --from <dir|git-rev> --to <dir|git-rev>",
		Short: "Show what applying would change, live or between two renderings",
		Long: `diff ENV compares ENV as rendered with the live management cluster (a
server-side dry run); diff --from --to compares every environment of two
configurations, each a directory holding platform.yaml or a git revision. Both
mark the fields AWS cannot change in place. With outputs/ENV.yaml committed,
diff ENV also reports, as BACKWARDS, what the committed files would move back
in AWS (fix: render outputs ENV && render gen). A step of the cluster's
authentication mode (EKS takes one at a time) has a section of its own, as an
upgrade has. See docs/operations.md.

Exit status, as kubectl diff: 0 no changes, 1 changes found, 2 any error.`,
		Example: `  render diff dev                        # what would render apply dev change?
  render diff --from main --to .         # this branch (the working tree) against main
  render diff --from main --to HEAD
  render diff --from origin/main --to HEAD -o markdown > comment.md   # for a pull request`,
		Args:              func(cmd *cobra.Command, args []string) error { return asDiffExit(cobra.MaximumNArgs(1)(cmd, args)) },
		ValidArgsFunction: f.completeEnv,
		RunE:              func(cmd *cobra.Command, args []string) error { return asDiffExit(f.run(cmd.Context(), streams, args)) },
	}
	f.bind(cmd, streams)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asDiffExit(err) })
	cmd.Flags().StringVar(&f.from, "from", "", "The old side: a directory holding platform.yaml, or a git revision.")
	cmd.Flags().StringVar(&f.to, "to", "", "The new side: a directory holding platform.yaml, or a git revision.")
	bindOutput(cmd, &f.output, diff.TextFormat.String(), diffFormats()...)
	return cmd
}

// diffFormats are diff.Formats as --output spells them.
func diffFormats() []string { return names(diff.Formats) }

func (f *diffFlags) run(ctx context.Context, streams IOStreams, args []string) error {
	if err := checkOutput(f.output, diffFormats()...); err != nil {
		return err
	}
	var r *diff.Report
	var err error
	switch {
	case len(args) == 1 && (f.from != "" || f.to != ""):
		return fmt.Errorf("a live diff of %s takes no --from or --to", args[0])
	case len(args) == 0 && (f.from == "" || f.to == ""):
		return fmt.Errorf("--from and --to are both required (or name an environment for a live diff)")
	case len(args) == 1:
		_, env, committed, m, oerr := f.open(args[0], apply.ManagerOptions{})
		if oerr != nil {
			return oerr
		}
		r, err = orchestrate.DiffLive(ctx, m, *env, committed, streams.ErrOut)
	default:
		r, err = f.DiffRenderings(ctx, f.from, f.to)
	}
	if err != nil {
		return err
	}
	if err := r.Write(streams.Out, diff.Format(f.output)); err != nil || !r.Changed {
		return err
	}
	return errChanges
}
