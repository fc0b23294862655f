package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

type deleteFlags struct {
	clusterFlags
	yes      bool
	wait     bool
	timeout  time.Duration
	interval time.Duration
	workload bool
	output   string
	lock     lockFlags
}

// NewDeleteCommand builds `render delete ENV`.
func NewDeleteCommand(streams IOStreams) *cobra.Command {
	f := &deleteFlags{}
	cmd := &cobra.Command{
		Use:   "delete ENV",
		Short: "Delete an environment in reverse dependency order, waiting for AWS",
		Long: `delete removes what ENV renders and what render's ApplySet records, nothing else:
first the workload on the new cluster (--workload), then the management objects
in reverse dependency order, each step waiting until AWS deleted its resources
(unless deletion-policy: retain). A cluster with deletion protection is refused;
prod, and any protected environment, needs --yes or its name typed at a
terminal. See docs/operations.md.`,
		Example: `  render delete dev
  render delete prod --yes --timeout 1h`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(cmd.Context(), streams, args[0]) },
	}
	f.bind(cmd, streams)
	d := apply.DefaultDeleteOptions()
	cmd.Flags().BoolVar(&f.yes, "yes", false, "Do not ask for confirmation (needed for prod when stdin is not a terminal).")
	cmd.Flags().BoolVar(&f.wait, "wait", d.Wait, "Wait for each step's objects to be gone before the next.")
	cmd.Flags().DurationVar(&f.timeout, "timeout", d.Timeout, "How long to wait for each step.")
	cmd.Flags().DurationVar(&f.interval, "poll-interval", d.Interval, "How often to check.")
	cmd.Flags().BoolVar(&f.workload, "workload", true, "Delete the workload on the new cluster first (without it, its load balancers stay in AWS and keep the VPC from being deleted).")
	cmd.Flags().StringVar(&f.output, "output", "", `"json" prints what was deleted on stdout.`)
	f.lock.bind(cmd)
	return cmd
}

// stdinIsTerminal tells whether a confirmation can be asked for; tests
// replace it.
var stdinIsTerminal = func(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (f *deleteFlags) run(ctx context.Context, streams IOStreams, name string) error {
	if f.output != "" && f.output != "json" {
		return fmt.Errorf("--output %q: the only value is json", f.output)
	}
	_, env, committed, err := f.environment(name)
	if err != nil {
		return err
	}
	m, err := f.connect(apply.ManagerOptions{Progress: streams.ErrOut})
	if err != nil {
		return err
	}
	prompt := orchestrate.Prompt{In: streams.In, Terminal: streams.In != nil && stdinIsTerminal(streams.In), Out: streams.ErrOut}
	var locks []apply.LockReport
	done, report, err := orchestrate.Delete(ctx, m, *env, committed, orchestrate.DeleteOptions{
		Wait: f.wait, Timeout: f.timeout, Interval: f.interval, Workload: f.workload,
		Lock:    func() apply.LockOptions { return f.lock.options(ctx, streams, f.file, f.timeout) },
		Locked:  func(l apply.LockReport) { locks = append(locks, l) },
		Confirm: func(total int) error { return orchestrate.ConfirmDelete(*env, total, f.yes, prompt) },
		Live:    isTerminal(streams.ErrOut), Progress: streams.ErrOut,
	})
	if f.output == "json" && (report || len(locks) > 0) {
		if done == nil {
			done = []apply.Deletion{}
		}
		_ = json.NewEncoder(streams.Out).Encode(struct {
			Deleted []apply.Deletion   `json:"deleted"`
			Locks   []apply.LockReport `json:"locks,omitempty"`
		}{done, locks})
	}
	return err
}
