package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/orchestrate"
)

type deleteFlags struct {
	configFlags
	kube     *genericclioptions.ConfigFlags
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
	f := &deleteFlags{kube: genericclioptions.NewConfigFlags(false)}
	cmd := &cobra.Command{
		Use:   "delete ENV",
		Short: "Delete an environment in reverse dependency order, waiting for AWS",
		Long: `delete removes an environment: first, with --workload (default), what render applied
to the new cluster (the Ingress first, so the load balancer controller, still
running, deletes the ALB; then its webhooks; then the rest), then the management
objects in reverse dependency order: Fargate profiles, node group and access
entries, the Cluster, IAM, logs, the network, and the Namespace last. Each step
waits until its objects are gone: for ACK kinds, until the controller removed its
finalizer, having deleted the AWS resource. Objects annotated
services.k8s.aws/deletion-policy: retain are deleted from Kubernetes but their AWS
resources stay; they are reported as retained.

What is deleted: what the environment renders (with the values AWS knows only
after creation, read from the live cluster) and every other object render's
ApplySet records as applied by render. Nothing else.

An EKS cluster with deletion protection (cluster.deletionProtection, on by default
for prod) is refused before anything is deleted. The environment prod, and any with
deletion protection in platform.yaml, needs --yes or the environment's name typed at
an interactive prompt.`,
		Example: `  render delete dev
  render delete prod --yes --timeout 1h`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(cmd.Context(), streams, args[0]) },
	}
	f.bind(cmd, streams)
	f.kube.AddFlags(cmd.Flags())
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
	m, err := connect(f.kube, apply.ManagerOptions{Progress: streams.ErrOut})
	if err != nil {
		return err
	}
	var locks []apply.LockReport
	done, report, err := orchestrate.Delete(ctx, m, *env, committed, orchestrate.DeleteOptions{
		Wait: f.wait, Timeout: f.timeout, Interval: f.interval, Workload: f.workload,
		Lock:    func() apply.LockOptions { return f.lock.options(ctx, streams, f.file, f.timeout) },
		Locked:  func(l apply.LockReport) { locks = append(locks, l) },
		Confirm: func(total int) error { return f.confirm(streams, *env, total) },
		Live:    isTerminal(streams.ErrOut), Progress: streams.ErrOut,
	})
	if report || len(locks) > 0 {
		f.report(streams, done, locks)
	}
	return err
}

// confirm asks for the environment's name when it is prod or protected,
// unless --yes. Without a terminal to ask on, it refuses.
func (f *deleteFlags) confirm(streams IOStreams, env config.Environment, total int) error {
	if f.yes || (env.Name != "prod" && !env.Cluster.DeletionProtection) {
		return nil
	}
	if streams.In == nil || !stdinIsTerminal(streams.In) {
		return fmt.Errorf("refusing to delete environment %s (%d objects) without confirmation: rerun with --yes, or on a terminal to type its name", env.Name, total)
	}
	fmt.Fprintf(streams.ErrOut, "Type the environment's name (%s) to delete it: ", env.Name)
	line, err := bufio.NewReader(streams.In).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("not confirmed: %w", err)
	}
	if got := strings.TrimSpace(line); got != env.Name {
		return fmt.Errorf("not confirmed: typed %q, not %q; nothing deleted", got, env.Name)
	}
	return nil
}

// report prints, with --output json, what was deleted and the locks taken.
func (f *deleteFlags) report(streams IOStreams, done []apply.Deletion, locks []apply.LockReport) {
	if f.output != "json" {
		return
	}
	if done == nil {
		done = []apply.Deletion{}
	}
	_ = json.NewEncoder(streams.Out).Encode(struct {
		Deleted []apply.Deletion   `json:"deleted"`
		Locks   []apply.LockReport `json:"locks,omitempty"`
	}{done, locks})
}
