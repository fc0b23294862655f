package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/gcpolicy"
)

// IOStreams are the command's standard streams (data on Out; progress,
// warnings and errors on ErrOut) and its clock, time.Now when nil.
type IOStreams struct {
	In          io.Reader
	Out, ErrOut io.Writer
	Now         func() time.Time
}

// exitCoder is implemented by errors that choose their own exit code.
type exitCoder interface{ ExitCode() int }

// quiet is implemented by errors that only carry an exit code.
type quiet interface{ Quiet() bool }

// Main runs the command line and returns the process exit code. It alone
// prints errors, once, as "error: ...".
func Main(ctx context.Context, args []string, streams IOStreams) int {
	root := NewRootCommand(streams)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var sig *signalError
	if errors.As(context.Cause(ctx), &sig) && !errors.As(err, &sig) {
		// A run a signal stopped says so, and exits 128+n, whatever it
		// failed with on the way out.
		err = stopped(sig, err)
	}
	if err == nil {
		return 0
	}
	if q := quiet(nil); !errors.As(err, &q) || !q.Quiet() {
		msg, _ := asUnreachable(err)
		fmt.Fprintf(streams.ErrOut, "error: %v\n", msg)
	}
	var ec exitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return 1
}

// collectIfWaiting gives a command that waits for AWS (apply and delete with
// --wait: minutes, and the soak test's steady state) Go's default garbage
// collector back, rather than let its garbage grow to gcpolicy.Limit. Every
// other command keeps the collector off as gcpolicy's init left it: they
// allocate a few tens of MB and exit (docs/contributing.md, Performance).
func collectIfWaiting(wait bool) {
	if wait {
		gcpolicy.Restore()
	}
}

// stopped is err, the error of a run sig stopped, led by sig.
func stopped(sig *signalError, err error) error {
	if err == nil {
		return sig
	}
	return fmt.Errorf("%w: %w", sig, err)
}

// NewRootCommand builds the render command tree.
func NewRootCommand(streams IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "render",
		Short: "Render and apply an EKS-on-Fargate platform as Kubernetes objects",
		Long: `render turns one platform.yaml into ACK objects for a management cluster and the
workload for the new EKS cluster, as a kustomize tree (base/, overlays/<env>/),
and applies them. Documentation: docs/ in https://github.com/eks-render/render.

Every command prints data on stdout and progress on stderr; -o/--output takes a
format (text, json, markdown, yaml, ... as the command has them) and a file to
write is --out-file (docs/operations.md, Output).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	root.AddCommand(NewGenCommand(streams), NewBuildCommand(streams), NewApplyCommand(streams), NewOutputsCommand(streams),
		NewKubeconfigCommand(streams), NewImportCommand(streams), NewDiffCommand(streams), NewDeleteCommand(streams),
		NewUnlockCommand(streams), NewInitCommand(streams), NewVersionCommand(streams), NewGraphCommand(streams),
		NewBootstrapCommand(streams))
	return root
}
