package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/orchestrate"
)

type applyFlags struct {
	clusterFlags
	opts                  orchestrate.ApplyOptions
	dir, output, applySet string
}

// NewApplyCommand builds `render apply`.
func NewApplyCommand(streams IOStreams) *cobra.Command {
	f := &applyFlags{}
	cmd := &cobra.Command{
		Use:   "apply ENV | apply -k DIR",
		Short: "Server-side apply an environment in dependency order and wait for ACK",
		Long: `apply renders the environment's management objects (or takes the kustomization
in -k DIR) and server-side applies them with field manager "render" in
dependency order, each object once what it depends on is ready (watched); then
the second phase, once AWS knows the late values, and the workload on the new
cluster, and prints the run's critical path. A raised cluster.version is
upgraded first. Before the authentication mode step API_AND_CONFIG_MAP -> API,
which drops the aws-auth ConfigMap path, apply reads the cluster's aws-auth and
refuses the step while a principal there has no access entry (list it in
cluster.admins, or --allow-access-loss). When outputs/ENV.yaml exists, a run that succeeded rewrites
it and the tree from what AWS runs and names the files to commit
(--no-write-outputs: only warns). See docs/how-it-works.md and
docs/operations.md.

Progress goes to stderr; --output json prints the result on stdout. Exit status
0 only when every object is ready (with --wait=false: applied).`,
		Example: `  render apply dev
  render apply prod --timeout 45m --output json > result.json
  render apply -k overlays/dev --wait=false`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: f.completeEnv,
		RunE:              func(cmd *cobra.Command, args []string) error { return f.run(cmd, streams, args) },
	}
	f.bind(cmd, streams)
	d, o, fl := apply.DefaultApplyOptions(), &f.opts, cmd.Flags()
	fl.StringVarP(&f.dir, "kustomize", "k", "", "Apply the kustomization in this directory instead of rendering ENV.")
	fl.BoolVar(&o.Wait, "wait", d.Wait, "Wait for what each object depends on before applying it, and for everything before exiting.")
	fl.DurationVar(&o.Timeout, "timeout", d.Timeout, "Give up after this long, listing what is not ready.")
	fl.DurationVar(&o.Interval, "poll-interval", d.Interval, "How often to poll where render polls: deleting, pruning, the Ingress hostname (applied objects are watched).")
	fl.BoolVar(&o.ForceConflicts, "force-conflicts", false, "Take over fields another field manager owns.")
	bindOutput(cmd, &f.output, "text", "text", "json")
	fl.BoolVar(&o.Workload, "workload", true, "Once the cluster is up, apply the workload (load balancer controller, 2048 game) to it.")
	fl.StringVar(&o.KubeconfigOut, "kubeconfig-out", "", `Where to write the new cluster's kubeconfig (default "<cluster>.kubeconfig"; never your default kubeconfig).`)
	fl.DurationVar(&o.IngressTimeout, "ingress-timeout", 5*time.Minute, "How long to wait for the Ingress hostname after the workload is ready.")
	fl.BoolVar(&o.Prune, "prune", false, "Delete what render applied before (its ApplySet) and no longer renders, in reverse dependency order.")
	fl.BoolVar(&o.AllowAccessLoss, "allow-access-loss", false, "Take the authentication mode step to API even though principals of the cluster's aws-auth ConfigMap have no access entry (cluster.admins) and lose access; default false: refused, naming them.")
	fl.BoolVar(&o.AllowReplace, "allow-replace", false, "Recreate objects whose change AWS cannot make in place (and what depends on them): delete, wait until gone, create.")
	bindLock(cmd, &o.LockTimeout)
	fl.BoolVar(&o.KeepOutputs, "no-write-outputs", false, "Leave outputs/ENV.yaml and the tree as they are after the run (default: rewrite them from what AWS runs when outputs/ENV.yaml exists), with a warning when they are stale.")
	fl.BoolVar(&o.SkipRestart, "skip-restart", false, "After a Kubernetes version upgrade, leave the workload's Deployments on Fargate (their pods keep the old kubelet until replaced).")
	fl.BoolVar(&o.Revert, "revert-newer-changes", false, "With --prune, apply and prune even a rendering from a commit older than the one applied last (a deliberate rollback).")
	fl.StringVar(&f.applySet, "applyset", "", `The ApplySet parent Secret as NAMESPACE/NAME (default "<env namespace>/render-applyset"; with -k, the one Namespace applied).`)
	return cmd
}

func (f *applyFlags) run(cmd *cobra.Command, streams IOStreams, args []string) error {
	collectIfWaiting(f.opts.Wait)
	if err := checkOutput(f.output, "text", "json"); err != nil {
		return err
	}
	// git tells the lock which commit of platform.yaml this run is while
	// the run reads the file and the cluster.
	commit := orchestrate.ReadCommit(cmd.Context(), f.File)
	src, err := f.ApplySource(f.dir, args, f.applySet)
	if err != nil {
		return err
	}
	m, err := f.connect(apply.ManagerOptions{Progress: streams.ErrOut, Live: isTerminal(streams.ErrOut)})
	if err != nil {
		return err
	}
	go m.Discover()
	if err := src.Render(cmd.Context(), m, streams.ErrOut); err != nil {
		return err
	}
	start, o := time.Now(), f.opts
	o.ConfigFile, o.Commit, o.Live, o.Progress = f.File, commit, isTerminal(streams.ErrOut), streams.ErrOut
	if o.Day, err = f.Day(); err != nil {
		return err
	}
	res, err := orchestrate.Apply(cmd.Context(), m, src, o)
	if f.output == "json" {
		if jerr := json.NewEncoder(streams.Out).Encode(res); jerr != nil && err == nil {
			err = jerr
		}
	}
	switch {
	case err == nil:
		fmt.Fprintln(streams.ErrOut, o.Summary(res, time.Since(start)))
	case errors.Is(err, apply.ErrInterrupted) || errors.Is(context.Cause(cmd.Context()), apply.ErrInterrupted):
		fmt.Fprintf(streams.ErrOut, "stopped: %s; what was not applied is listed below (--output json: objects without an action)\n", res.Summary())
	}
	return err
}
