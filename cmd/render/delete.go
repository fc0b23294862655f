package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

type deleteFlags struct {
	clusterFlags
	opts   orchestrate.DeleteOptions
	output string
}

// NewDeleteCommand builds `render delete ENV`.
func NewDeleteCommand(streams IOStreams) *cobra.Command {
	f := &deleteFlags{}
	cmd := &cobra.Command{
		Use:   "delete ENV",
		Short: "Delete an environment in reverse dependency order, waiting for AWS",
		Long: `delete removes what ENV renders and what render's ApplySet records, nothing else:
the workload on the new cluster first (--workload), then the management objects
in reverse dependency order, waiting for AWS at each step. A cluster with
deletion protection is refused; prod, and any protected environment, needs --yes
or its name typed at a terminal. See docs/operations.md.`,
		Example: `  render delete dev
  render delete prod --yes --timeout 1h`,
		Args:              f.envArg,
		ValidArgsFunction: f.completeEnv,
		RunE:              func(cmd *cobra.Command, args []string) error { return f.run(cmd.Context(), streams, args[0]) },
	}
	f.bind(cmd, streams)
	d, o, fl := apply.DefaultDeleteOptions(), &f.opts, cmd.Flags()
	fl.BoolVar(&o.Yes, "yes", false, "Do not ask for confirmation (needed for prod when stdin is not a terminal).")
	fl.BoolVar(&o.Wait, "wait", d.Wait, "Wait for each step's objects to be gone before the next.")
	fl.DurationVar(&o.Timeout, "timeout", d.Timeout, "How long to wait for each step.")
	fl.DurationVar(&o.Interval, "poll-interval", d.Interval, "How often to check.")
	fl.BoolVar(&o.Workload, "workload", true, "Delete the workload on the new cluster first (without it, its load balancers stay in AWS and keep the VPC from being deleted).")
	bindOutput(cmd, &f.output, "text", "text", "json")
	bindLock(cmd, &o.LockTimeout)
	return cmd
}

// stdinIsTerminal tells whether a confirmation can be asked; tests replace it.
var stdinIsTerminal = func(r io.Reader) bool { return isTerminal(r) }

func (f *deleteFlags) run(ctx context.Context, streams IOStreams, name string) error {
	collectIfWaiting(f.opts.Wait)
	if err := checkOutput(f.output, "text", "json"); err != nil {
		return err
	}
	_, env, committed, m, err := f.open(name, apply.ManagerOptions{Progress: streams.ErrOut})
	if err != nil {
		return err
	}
	o := f.opts
	o.Prompt = orchestrate.Prompt{In: streams.In, Terminal: streams.In != nil && stdinIsTerminal(streams.In), Out: streams.ErrOut}
	o.ConfigFile, o.Live, o.Progress = f.File, isTerminal(streams.ErrOut), streams.ErrOut
	res, err := orchestrate.Delete(ctx, m, *env, committed, o)
	if f.output == "json" && res != nil {
		_ = json.NewEncoder(streams.Out).Encode(res)
	}
	return err
}
