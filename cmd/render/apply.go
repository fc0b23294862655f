package main

import (
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

type applyFlags struct {
	clusterFlags
	dir            string
	wait           bool
	timeout        time.Duration
	interval       time.Duration
	forceConflicts bool
	output         string
	workload       bool
	ingressTimeout time.Duration
	kubeconfigOut  string
	prune          bool
	allowReplace   bool
	applySet       string
	lock           lockFlags
	revert         bool
	skipRestart    bool
}

// NewApplyCommand builds `render apply`.
func NewApplyCommand(streams IOStreams) *cobra.Command {
	f := &applyFlags{}
	cmd := &cobra.Command{
		Use:   "apply ENV | apply -k DIR",
		Short: "Server-side apply an environment in dependency order and wait for ACK",
		Long: `apply renders the environment's management objects (or takes the kustomization
in -k DIR) and server-side applies them with field manager "render" in
dependency order: each object the moment what it depends on is ready, as
watches report it (ACK.ResourceSynced, or kstatus Current; ACK.Terminal fails at
once). Once AWS knows the late values (VPC ID, OIDC issuer, account), it applies
the second phase; then, with --workload, the load balancer controller and the
2048 game on the new cluster, through a kubeconfig it writes, and prints the
Ingress hostname and the run's critical path. A field another manager owns
stops the run unless --force-conflicts. A raised cluster.version is upgraded
first, step by step: control plane, add-ons, node groups, then the workload's
pods on Fargate restart (--skip-restart). See docs/how-it-works.md and
docs/operations.md.

Progress goes to stderr; --output json prints the result on stdout. Exit status
0 only when every object is ready (with --wait=false: applied).`,
		Example: `  render apply dev
  render apply prod --timeout 45m --output json > result.json
  render apply -k overlays/dev --wait=false`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(cmd, streams, args) },
	}
	f.bind(cmd, streams)
	d := apply.DefaultApplyOptions()
	cmd.Flags().StringVarP(&f.dir, "kustomize", "k", "", "Apply the kustomization in this directory instead of rendering ENV.")
	cmd.Flags().BoolVar(&f.wait, "wait", d.Wait, "Wait for each level to be ready before the next, and for the last before exiting.")
	cmd.Flags().DurationVar(&f.timeout, "timeout", d.Timeout, "Give up after this long, listing what is not ready.")
	cmd.Flags().DurationVar(&f.interval, "poll-interval", d.Interval, "How often to poll where render polls: deleting, pruning, the Ingress hostname (applied objects are watched).")
	cmd.Flags().BoolVar(&f.forceConflicts, "force-conflicts", false, "Take over fields another field manager owns.")
	cmd.Flags().StringVar(&f.output, "output", "", `"json" prints the result on stdout.`)
	cmd.Flags().BoolVar(&f.workload, "workload", true, "Once the cluster is up, apply the workload (load balancer controller, 2048 game) to it.")
	cmd.Flags().StringVar(&f.kubeconfigOut, "kubeconfig-out", "", `Where to write the new cluster's kubeconfig (default "<cluster>.kubeconfig"; never your default kubeconfig).`)
	cmd.Flags().DurationVar(&f.ingressTimeout, "ingress-timeout", 5*time.Minute, "How long to wait for the Ingress hostname after the workload is ready.")
	cmd.Flags().BoolVar(&f.prune, "prune", false, "Delete what render applied before (its ApplySet) and no longer renders, in reverse dependency order.")
	cmd.Flags().BoolVar(&f.allowReplace, "allow-replace", false, "Recreate objects whose change AWS cannot make in place (and what depends on them): delete, wait until gone, create.")
	f.lock.bind(cmd)
	cmd.Flags().BoolVar(&f.skipRestart, "skip-restart", false, "After a Kubernetes version upgrade, leave the workload's Deployments on Fargate (their pods keep the old kubelet until replaced).")
	cmd.Flags().BoolVar(&f.revert, "revert-newer-changes", false, "With --prune, apply and prune even a rendering from a commit older than the one applied last (a deliberate rollback).")
	cmd.Flags().StringVar(&f.applySet, "applyset", "", `The ApplySet parent Secret as NAMESPACE/NAME (default "<env namespace>/render-applyset"; with -k, the one Namespace applied).`)
	return cmd
}

func (f *applyFlags) run(cmd *cobra.Command, streams IOStreams, args []string) error {
	if f.output != "" && f.output != "json" {
		return fmt.Errorf("--output %q: the only value is json", f.output)
	}
	src, err := f.source(args)
	if err != nil {
		return err
	}
	m, err := f.connect(apply.ManagerOptions{Progress: streams.ErrOut, Live: isTerminal(streams.ErrOut)})
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	if err := src.Render(ctx, m, streams.ErrOut); err != nil {
		return err
	}
	start := time.Now()
	res, err := orchestrate.Apply(ctx, m, src, orchestrate.ApplyOptions{
		Wait: f.wait, Timeout: f.timeout, Interval: f.interval, ForceConflicts: f.forceConflicts,
		Prune: f.prune, Revert: f.revert, AllowReplace: f.allowReplace, SkipRestart: f.skipRestart,
		Workload: f.workload, IngressTimeout: f.ingressTimeout, ConfigFile: f.file,
		Lock: func() apply.LockOptions { return f.lock.options(ctx, streams, f.file, f.timeout) },
		WriteKubeconfig: func(cluster string, kc []byte) error {
			return (&kubeconfigFlags{output: f.kubeconfigOut}).write(streams, cluster, kc)
		},
		Live: isTerminal(streams.ErrOut), Progress: streams.ErrOut,
	})
	if f.output == "json" {
		if jerr := json.NewEncoder(streams.Out).Encode(res); jerr != nil && err == nil {
			err = jerr
		}
	}
	if err == nil {
		fmt.Fprintf(streams.ErrOut, "%s, %s in %s\n", res.Summary(), readiness(f.wait), time.Since(start).Round(time.Millisecond))
	}
	return err
}

// isTerminal reports whether w is a terminal, for the live summary line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func readiness(wait bool) string {
	if wait {
		return "all ready"
	}
	return "not waited for"
}

// source is what to apply: the environment to render from the
// configuration (with its outputs file, if any), or the kustomization in
// --kustomize.
func (f *applyFlags) source(args []string) (*orchestrate.Source, error) {
	switch {
	case f.dir != "" && len(args) > 0:
		return nil, fmt.Errorf("give an environment or -k DIR, not both")
	case f.dir != "":
		return orchestrate.KustomizeSource(f.dir, f.applySet)
	case len(args) == 0:
		return nil, fmt.Errorf("name an environment (render apply dev) or a kustomization (-k DIR)")
	}
	_, env, committed, err := f.environment(args[0])
	if err != nil {
		return nil, err
	}
	return orchestrate.EnvSource(env, committed, f.applySet)
}
