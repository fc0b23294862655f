package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/graph"
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
	// locks are the locks taken, for --output json.
	locks []apply.LockReport
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

// deletion is one cluster's part of a delete: its objects, in order.
type deletion struct {
	target string
	m      *apply.Manager
	objs   []*unstructured.Unstructured
	// last are deleted after objs: the ApplySet parent, then the Namespace.
	last []*unstructured.Unstructured
	// lock is the cluster's lock, held from before the objects were
	// gathered until last, which deletes the lock's namespace; nil when
	// there was nothing to lock.
	lock *apply.Lock
}

// lockCluster takes the lock of the cluster m reaches, in the namespace of
// set's parent, unless that namespace does not exist (nothing of the
// environment's is there to delete). The returned context ends if the
// lock is lost.
func (f *deleteFlags) lockCluster(ctx context.Context, m *apply.Manager, set apply.ApplySet, streams IOStreams) (*apply.Lock, context.Context, error) {
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetName(set.Parent.Namespace)
	if live, err := m.Existing(ctx, []*unstructured.Unstructured{ns}); err != nil || len(live) == 0 {
		return nil, ctx, err
	}
	l, runCtx, _, report, err := orchestrate.Lock(ctx, m, set, nil, f.lock.options(ctx, streams, f.file, f.timeout), streams.ErrOut)
	f.locks = append(f.locks, report)
	if err != nil {
		f.report(streams, nil)
	}
	return l, runCtx, err
}

// release gives back the part's lock, if it holds one.
func (d *deletion) release(ctx context.Context) error {
	if d.lock == nil {
		return nil
	}
	l := d.lock
	d.lock = nil
	return l.Release(context.WithoutCancel(ctx))
}

func (f *deleteFlags) run(ctx context.Context, streams IOStreams, name string) (err error) {
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
	// What render apply applied, with the same late values.
	r, err := orchestrate.Render(ctx, m, *env, committed, streams.ErrOut)
	if err != nil {
		return err
	}
	r.Announce(streams.ErrOut)
	late := r.Late
	lock, ctx, err := f.lockCluster(ctx, m, envApplySet(*env), streams)
	if err != nil {
		return err
	}
	mgmt, err := gather(ctx, m, "management cluster", r.Objects, envApplySet(*env))
	if err != nil {
		return errors.Join(err, releaseLock(ctx, lock))
	}
	mgmt.lock = lock
	defer func() { err = errors.Join(lockLost(ctx, err), mgmt.release(ctx)) }()
	if err := refuseProtected(mgmt.objs); err != nil {
		return err
	}
	parts := []*deletion{mgmt}
	if f.workload && late.ClusterEndpoint != "" {
		w, err := f.workloadDeletion(ctx, streams, *env, late)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, w.release(ctx)) }()
		parts = []*deletion{w, mgmt}
	} else if f.workload && hasKind(mgmt.objs, "Cluster") {
		fmt.Fprintf(streams.ErrOut, "warning: the endpoint of cluster %s is not known: its workload (and load balancers) cannot be deleted first\n", env.ClusterName)
	}
	total := 0
	for _, p := range parts {
		total += len(p.objs) + len(p.last)
	}
	if total == 0 {
		fmt.Fprintf(streams.ErrOut, "environment %s: nothing to delete\n", env.Name)
		return nil
	}
	if err := printPlan(streams.ErrOut, env.Name, parts); err != nil {
		return err
	}
	if err := f.confirm(streams, *env, total); err != nil {
		return err
	}
	start := time.Now()
	opts := apply.DeleteOptions{Wait: f.wait, Timeout: f.timeout, Interval: f.interval}
	var done []apply.Deletion
	for _, p := range parts {
		for i, objs := range [][]*unstructured.Unstructured{p.objs, p.last} {
			if i == 1 {
				// last deletes the namespace the lock is in.
				if err := p.release(ctx); err != nil {
					return err
				}
			}
			d, err := p.m.Delete(ctx, objs, opts)
			done = append(done, d...)
			if err != nil {
				f.report(streams, done)
				return fmt.Errorf("%s: %w", p.target, err)
			}
		}
	}
	f.report(streams, done)
	retained := 0
	for _, d := range done {
		if d.Retained && d.Action == apply.Deleted {
			retained++
		}
	}
	fmt.Fprintf(streams.ErrOut, "environment %s deleted: %d objects (%d AWS resources retained) in %s\n",
		env.Name, len(done), retained, time.Since(start).Round(time.Millisecond))
	return nil
}

// workloadDeletion gathers what to delete from the new cluster, through a
// kubeconfig like render kubeconfig's (not written to disk).
func (f *deleteFlags) workloadDeletion(ctx context.Context, streams IOStreams, env config.Environment, late config.LateValues) (*deletion, error) {
	kc, err := Kubeconfig(env, late)
	if err != nil {
		return nil, err
	}
	wm, err := workloadManager(env, kc, streams)
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w (--workload=false skips it, leaving its load balancers in AWS)", env.ClusterName, err)
	}
	objs, err := gen.EnvObjects(env, late, true)
	if err != nil {
		return nil, err
	}
	// The webhook certificate render apply made.
	objs = append(objs, apply.WebhookSecrets(objs)...)
	lock, _, err := f.lockCluster(ctx, wm, workloadApplySet(), streams)
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w", env.ClusterName, err)
	}
	d, err := gather(ctx, wm, "cluster "+env.ClusterName, objs, workloadApplySet())
	if err != nil {
		return nil, errors.Join(fmt.Errorf("%w (--workload=false skips the new cluster, leaving its load balancers in AWS)", err), releaseLock(ctx, lock))
	}
	d.lock = lock
	return d, nil
}

// releaseLock gives back l, if any.
func releaseLock(ctx context.Context, l *apply.Lock) error {
	if l == nil {
		return nil
	}
	return l.Release(context.WithoutCancel(ctx))
}

// gather returns the live objects among objs and the other members of set
// render applied, with set's parent and any Namespace among them last.
func gather(ctx context.Context, m *apply.Manager, target string, objs []*unstructured.Unstructured, set apply.ApplySet) (*deletion, error) {
	members, err := m.Members(ctx, set)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", target, err)
	}
	seen := map[string]bool{}
	var all []*unstructured.Unstructured
	for _, u := range append(objs, members...) {
		if !seen[graph.NameOf(u)] {
			seen[graph.NameOf(u)] = true
			all = append(all, u)
		}
	}
	live, err := m.Existing(ctx, all)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", target, err)
	}
	d := &deletion{target: target, m: m}
	var namespaces []*unstructured.Unstructured
	for _, u := range live {
		if u.GetKind() == "Namespace" && u.GroupVersionKind().Group == "" {
			namespaces = append(namespaces, u)
		} else {
			d.objs = append(d.objs, u)
		}
	}
	parent, err := m.Parent(ctx, set)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", target, err)
	}
	if parent != nil {
		d.last = append(d.last, parent)
	}
	// Only the environment's own Namespace goes, never kube-system.
	for _, ns := range namespaces {
		if ns.GetName() != "kube-system" && ns.GetName() != "default" {
			d.last = append(d.last, ns)
		}
	}
	return d, nil
}

// refuseProtected stops before anything is deleted when the EKS cluster
// has deletion protection: AWS would refuse, and the Cluster object would
// hang with its finalizer after everything it needs was deleted.
func refuseProtected(objs []*unstructured.Unstructured) error {
	for _, u := range objs {
		if u.GetKind() != "Cluster" || !apply.IsACK(u.GroupVersionKind().GroupKind()) {
			continue
		}
		if on, _, _ := unstructured.NestedBool(u.Object, "spec", "deletionProtection"); on {
			return fmt.Errorf("%s has deletion protection (spec.deletionProtection: true): AWS refuses to delete it. "+
				"Set cluster.deletionProtection: false for this environment in platform.yaml, render apply it, then delete", graph.NameOf(u))
		}
	}
	return nil
}

func hasKind(objs []*unstructured.Unstructured, kind string) bool {
	for _, u := range objs {
		if u.GetKind() == kind {
			return true
		}
	}
	return false
}

// printPlan lists, step by step, what will be deleted.
func printPlan(w io.Writer, env string, parts []*deletion) error {
	fmt.Fprintf(w, "render delete %s will delete, in this order:\n", env)
	n := 0
	for _, p := range parts {
		for _, objs := range [][]*unstructured.Unstructured{p.objs, p.last} {
			steps, err := apply.DeleteOrder(objs)
			if err != nil {
				return err
			}
			for _, step := range steps {
				n++
				fmt.Fprintf(w, "  %d. %s:\n", n, p.target)
				for _, u := range step {
					note := ""
					if apply.Retained(u) {
						note = " (AWS resource retained)"
					}
					fmt.Fprintf(w, "       %s%s\n", graph.NameOf(u), note)
				}
			}
		}
	}
	return nil
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

func (f *deleteFlags) report(streams IOStreams, done []apply.Deletion) {
	if f.output != "json" {
		return
	}
	if done == nil {
		done = []apply.Deletion{}
	}
	_ = json.NewEncoder(streams.Out).Encode(struct {
		Deleted []apply.Deletion   `json:"deleted"`
		Locks   []apply.LockReport `json:"locks,omitempty"`
	}{done, f.locks})
}
