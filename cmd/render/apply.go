package main

import (
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
	"github.com/eks-render/render/internal/orchestrate"
)

type applyFlags struct {
	configFlags
	kube           *genericclioptions.ConfigFlags
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
}

// NewApplyCommand builds `render apply`.
func NewApplyCommand(streams IOStreams) *cobra.Command {
	f := &applyFlags{kube: genericclioptions.NewConfigFlags(false)}
	cmd := &cobra.Command{
		Use:   "apply ENV | apply -k DIR",
		Short: "Server-side apply an environment in dependency order and wait for ACK",
		Long: `apply builds the environment's management objects (from platform.yaml, or the
kustomization in -k DIR) and server-side applies them with field manager "render",
in dependency order: a Namespace before what is in it, an object after every
object it references. Each object is applied the moment everything it depends
on is ready, as watches report it: ACK.ResourceSynced=True for ACK kinds,
kstatus Current for the others. An object that turns ACK.Terminal fails the run
at once with the controller's message. The run ends with its critical path: the
chain of objects that decided how long it took.

A field another field manager owns is a conflict: apply stops and names the
manager, unless --force-conflicts. Fields the ACK controllers fill in themselves
are never set by render, so they are never fought over. A second apply of the
same input changes nothing.

When waiting brought values AWS knows only after creation (the VPC ID, the OIDC
issuer, the account), apply renders the environment again and applies the second
phase (FlowLog, OIDC provider, IRSA roles). Then, with --workload (default), it
writes the new cluster's kubeconfig (as render kubeconfig does: aws eks
get-token, mode 0600) and applies the workload through it: the AWS Load Balancer
Controller, whose webhook
CA and certificate it creates once in Secret kube-system/aws-load-balancer-tls,
and the 2048 game; it waits for them and prints the Ingress hostname.

Progress goes to stderr, one line per object state change; --output json prints
the result on stdout. Exit status 0 only when every object is ready (or, with
--wait=false, applied).`,
		Example: `  render apply dev
  render apply prod --timeout 45m --output json > result.json
  render apply -k overlays/dev --wait=false`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(cmd, streams, args) },
	}
	f.bind(cmd, streams)
	f.kube.AddFlags(cmd.Flags())
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
	m, err := connect(f.kube, apply.ManagerOptions{Progress: streams.ErrOut, Live: isTerminal(streams.ErrOut)})
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
		Prune: f.prune, Revert: f.revert, AllowReplace: f.allowReplace,
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
		fmt.Fprintf(streams.ErrOut, "%s, %s in %s\n", summary(res), readiness(f.wait), time.Since(start).Round(time.Millisecond))
	}
	return err
}

// summary says how many objects the run covered and what it did to them,
// on both clusters: "34 objects, 30 changed (26 created, 4 configured)".
func summary(res *apply.Result) string {
	c := res.Counts()
	s := fmt.Sprintf("%d objects, %d changed", res.Len(), c.Changed())
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{c.Created, apply.Created}, {c.Configured, apply.Configured}, {c.Recreated, apply.Recreated}, {c.Pruned, apply.Pruned}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
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
