package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

// lockFlags are the flags of the commands that take an environment's lock.
type lockFlags struct {
	timeout time.Duration
	cmd     *cobra.Command
}

func (f *lockFlags) bind(cmd *cobra.Command) {
	f.cmd = cmd
	cmd.Flags().DurationVar(&f.timeout, "lock-timeout", 0,
		"How long to wait while another run holds the environment's lock (default: 0, fail at once, without a terminal as in CI; the whole --timeout on a terminal).")
}

// options are the lock options of a run whose --timeout is timeout.
func (f *lockFlags) options(ctx context.Context, streams IOStreams, configFile string, timeout time.Duration) apply.LockOptions {
	var wait *time.Duration
	if f.cmd.Flags().Changed("lock-timeout") {
		wait = &f.timeout
	}
	o := apply.DefaultLockOptions()
	o.Holder = orchestrate.Holder(ctx, configFile)
	o.Wait = orchestrate.LockWait(wait, isTerminal(streams.ErrOut), timeout)
	return o
}
