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
	changed func() bool
}

func (f *lockFlags) bind(cmd *cobra.Command) {
	cmd.Flags().DurationVar(&f.timeout, "lock-timeout", 0,
		"How long to wait while another run holds the environment's lock (default: 0, fail at once, without a terminal as in CI; the whole --timeout on a terminal).")
	f.changed = func() bool { return cmd.Flags().Changed("lock-timeout") }
}

// options are the lock options of a run whose --timeout is timeout.
func (f *lockFlags) options(ctx context.Context, streams IOStreams, configFile string, timeout time.Duration) apply.LockOptions {
	o := apply.DefaultLockOptions()
	o.Holder = orchestrate.Holder(ctx, configFile)
	switch {
	case f.changed():
		o.Wait = f.timeout
	case isTerminal(streams.ErrOut):
		o.Wait = timeout
	}
	return o
}
