package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/diff"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/graph"
	"github.com/eks-render/render/internal/orchestrate"
	"github.com/eks-render/render/internal/schema"
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
level by level: a Namespace before what is in it, an object after every object
it references. Before each next level it waits until the previous one is ready:
ACK.ResourceSynced=True for ACK kinds, kstatus Current for the others. An object
that turns ACK.Terminal fails the run at once with the controller's message.

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
	cmd.Flags().DurationVar(&f.interval, "poll-interval", d.Interval, "How often to poll object status.")
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
	if err := src.render(ctx, m, streams); err != nil {
		return err
	}
	start := time.Now()
	lock, runCtx, res, report, err := orchestrate.Lock(ctx, m, src.applySet, src.objs, f.lock.options(ctx, streams, f.file, f.timeout), streams.ErrOut)
	var refusal string
	if err == nil && f.prune && src.env != nil {
		if refusal, err = f.checkStale(runCtx, m, src, streams); err != nil {
			refusal = err.Error()
			err = errors.Join(err, lock.Release(context.WithoutCancel(ctx)))
		}
	}
	if err == nil {
		var applied *apply.Result
		applied, err = f.applyPhases(runCtx, m, src, streams)
		err = lockLost(runCtx, err)
		if rerr := lock.Release(context.WithoutCancel(ctx)); rerr != nil && err == nil {
			err = rerr
		}
		// The Namespace the lock needed, created first, stays created.
		if res == nil {
			res = applied
		} else {
			res.Absorb(applied)
		}
	}
	if res == nil {
		res = apply.NewResult()
	}
	res.SetLock(report)
	if refusal != "" {
		res.SetRefused(refusal)
	}
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

// applyPhases applies the first phase and, when waiting brought late
// values the rendering lacked (the VPC ID, the OIDC issuer, the account),
// renders the environment again with them and applies the second phase:
// the same objects plus those that needed the values. The result covers
// both phases and the workload, each object once.
func (f *applyFlags) applyPhases(ctx context.Context, m *apply.Manager, src *applySource, streams IOStreams) (*apply.Result, error) {
	// The CRD facts load (about 0.1 s) while Apply checks kinds and lists.
	type loaded struct {
		s   *schema.Set
		err error
	}
	facts := make(chan loaded, 1)
	go func() { s, err := schema.Load(); facts <- loaded{s, err} }()
	opts := apply.ApplyOptions{Wait: f.wait, Timeout: f.timeout, Interval: f.interval, ForceConflicts: f.forceConflicts,
		ApplySet: &src.applySet,
		Check: func(live, desired []*unstructured.Unstructured) ([]string, error) {
			l := <-facts
			facts <- l
			if l.err != nil {
				return nil, l.err
			}
			return replacements(live, desired, l.s, f.allowReplace)
		},
		Fixed: func(gvk k8sschema.GroupVersionKind, path string) bool {
			l := <-facts
			facts <- l
			return l.s != nil && fixedField(l.s, gvk, path)
		}}
	// Prune only with the whole rendering: the first phase lacks what
	// needs late values, and pruning it would delete the second phase.
	opts.Prune = f.prune && src.complete
	if f.prune && !src.complete && (src.env == nil || !f.wait) {
		return nil, fmt.Errorf("--prune needs the whole rendering, which needs values AWS knows only after creation (%s): "+
			"apply with --wait, or commit outputs/%s.yaml (render outputs) first", strings.Join(src.pending, "; "), src.envName())
	}
	res, err := m.Apply(ctx, src.objs, opts)
	if err != nil || src.env == nil || !f.wait {
		if err == nil && src.complete {
			err = f.record(ctx, m, src, src.objs)
		}
		return res, err
	}
	r, err := orchestrate.Render(ctx, m, *src.env, src.committed, streams.ErrOut)
	if err != nil {
		return res, err
	}
	if f.prune && !opts.Prune && !r.Complete() {
		return res, fmt.Errorf("not pruned: values AWS should know by now are still missing (%s)", strings.Join(r.Pending, "; "))
	}
	if len(r.Objects) != len(src.objs) || (f.prune && !opts.Prune) {
		if n := len(r.Objects) - len(src.objs); n > 0 {
			fmt.Fprintf(streams.ErrOut, "second phase: %d objects that needed values AWS knows only now\n", n)
		}
		opts.Prune = f.prune
		second, err := m.Apply(ctx, r.Objects, opts)
		res.Absorb(second)
		if err != nil {
			return res, err
		}
	}
	if r.Complete() {
		if err := f.record(ctx, m, src, r.Objects); err != nil {
			return res, err
		}
	}
	if f.workload {
		err = f.applyWorkload(ctx, *src.env, r.Late, res, streams)
	}
	return res, err
}

// provenance identifies the rendering objs of src: its digest and, for an
// environment whose platform.yaml is committed, the commit.
func (f *applyFlags) provenance(ctx context.Context, src *applySource, objs []*unstructured.Unstructured) (apply.Provenance, error) {
	digest, err := orchestrate.Digest(objs)
	if err != nil {
		return apply.Provenance{}, err
	}
	p := apply.Provenance{Digest: digest}
	if src.env != nil {
		p.Commit, _ = configCommit(ctx, f.file)
	}
	return p, nil
}

// record writes, once a complete rendering is applied, what it was into
// the ApplySet parent, for the stale-rendering check of later runs.
func (f *applyFlags) record(ctx context.Context, m *apply.Manager, src *applySource, objs []*unstructured.Unstructured) error {
	p, err := f.provenance(ctx, src, objs)
	if err != nil {
		return err
	}
	return m.RecordProvenance(ctx, src.applySet, p)
}

// checkStale refuses a pruning run from a rendering older than the one
// applied last (orchestrate.CheckStale): the whole run with an error when
// applying would revert newer changes, else just the prune, whose reason
// it returns. It says on stderr when the check could not be made.
func (f *applyFlags) checkStale(ctx context.Context, m *apply.Manager, src *applySource, streams IOStreams) (string, error) {
	ours, err := f.provenance(ctx, src, src.objs)
	if err != nil {
		return "", err
	}
	if !src.complete {
		ours.Digest = ""
	}
	recorded, err := m.Provenance(ctx, src.applySet)
	if err != nil {
		return "", err
	}
	d, err := orchestrate.CheckStale(ours, recorded, func(a, b string) (bool, error) { return isAncestor(ctx, f.file, a, b) }, f.revert)
	if err != nil {
		return "", err
	}
	if d.Note != "" {
		fmt.Fprintln(streams.ErrOut, d.Note)
	}
	if !d.Prune {
		f.prune = false
		return d.Note, nil
	}
	return "", nil
}

// replacements finds the changes that touch a field AWS cannot change in
// place: the apiserver would reject a CEL-immutable one half-way through,
// and the controller would silently ignore a create-only one (render diff
// shows the same). Without allow it stops the run before anything is
// applied, listing them and what recreating them would take; with allow it
// names the objects to recreate.
func replacements(live, desired []*unstructured.Unstructured, s *schema.Set, allow bool) ([]string, error) {
	e, err := diff.CompareLive("", diff.ManagementTarget, live, desired, nil, s)
	if err != nil {
		return nil, err
	}
	var lines, names []string
	seen := map[string]bool{}
	for _, w := range e.Warnings() {
		lines = append(lines, fmt.Sprintf("  %s %s %s", w.Reason, w.Object, w.Path))
		if !seen[w.Object] {
			seen[w.Object] = true
			names = append(names, w.Object)
		}
	}
	if len(names) == 0 || allow {
		return names, nil
	}
	all, err := apply.Recreation(desired, names, func(gvk k8sschema.GroupVersionKind, path string) bool { return fixedField(s, gvk, path) })
	if err != nil {
		return nil, err
	}
	var also []string
	for _, u := range all {
		if n := graph.NameOf(u); !seen[n] {
			also = append(also, "  "+n)
		}
	}
	msg := fmt.Sprintf("refusing to apply changes AWS cannot make in place (render diff shows them):\n%s\n", strings.Join(lines, "\n"))
	if len(also) > 0 {
		msg += fmt.Sprintf("recreating them also recreates what depends on them:\n%s\n", strings.Join(also, "\n"))
	}
	return nil, fmt.Errorf("%srerun with --allow-replace to delete those %d objects (their AWS resources go too), wait until they are gone, and create them again",
		msg, len(all))
}

// fixedField reports whether path (ack.RefFields notation) of gvk cannot
// change once set: CEL-immutable in the CRD, or create-only for the
// controller, itself or a field that contains it.
func fixedField(s *schema.Set, gvk k8sschema.GroupVersionKind, path string) bool {
	return diff.FixedPath(s, gvk, path)
}

// applyWorkload applies the environment's workload (the load balancer
// controller and the 2048 game) to the new cluster, through a kubeconfig
// like render kubeconfig's, waits for it, and reports the Ingress hosts.
func (f *applyFlags) applyWorkload(ctx context.Context, env config.Environment, late config.LateValues, res *apply.Result, streams IOStreams) (err error) {
	if late.ClusterEndpoint == "" || late.ClusterCA == "" {
		fmt.Fprintf(streams.ErrOut, "workload not applied: the endpoint and CA of cluster %s are not known\n", env.ClusterName)
		return nil
	}
	kc, err := Kubeconfig(env, late)
	if err != nil {
		return err
	}
	out := &kubeconfigFlags{output: f.kubeconfigOut}
	if err := out.write(streams, env.ClusterName, kc); err != nil {
		return err
	}
	wm, err := workloadManager(env, kc, streams)
	if err != nil {
		return err
	}
	objs, err := gen.EnvObjects(env, late, true)
	if err != nil {
		return err
	}
	wset := workloadApplySet()
	lock, ctx, _, report, err := orchestrate.Lock(ctx, wm, wset, objs, f.lock.options(ctx, streams, f.file, f.timeout), streams.ErrOut)
	if err != nil {
		wres := apply.NewResult()
		wres.SetLock(report)
		res.SetWorkload(wres, nil)
		return fmt.Errorf("workload on cluster %s: %w", env.ClusterName, err)
	}
	defer func() {
		err = lockLost(ctx, err)
		if rerr := lock.Release(context.WithoutCancel(ctx)); rerr != nil && err == nil {
			err = rerr
		}
	}()
	if objs, err = wm.InjectWebhookCAs(ctx, objs); err != nil {
		return err
	}
	fmt.Fprintf(streams.ErrOut, "workload: %d objects to cluster %s at %s\n", len(objs), env.ClusterName, late.ClusterEndpoint)
	r, err := gen.Render(env, late)
	if err != nil {
		return err
	}
	wres, err := wm.Apply(ctx, objs, apply.ApplyOptions{Wait: true, Timeout: f.timeout, Interval: f.interval, ForceConflicts: f.forceConflicts,
		ApplySet: &wset, Prune: f.prune && len(r.Pending) == 0})
	wres.SetLock(report)
	if err != nil {
		res.SetWorkload(wres, nil)
		return fmt.Errorf("workload on cluster %s: %w", env.ClusterName, err)
	}
	hosts, err := wm.IngressHosts(ctx, objs, f.interval, f.ingressTimeout)
	res.SetWorkload(wres, hosts)
	for _, name := range sortedNames(hosts) {
		fmt.Fprintf(streams.ErrOut, "%s: http://%s\n", name, hosts[name])
	}
	return err
}

func sortedNames(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
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

// applySource is what to apply: objects, and for an environment rendered
// from the configuration, the environment and its committed outputs.
type applySource struct {
	objs      []*unstructured.Unstructured
	env       *config.Environment
	committed orchestrate.Committed
	// applySet is the inventory the objects are recorded in.
	applySet apply.ApplySet
	// complete is false while objects that need late values are missing
	// (pending says which): such a rendering must not be pruned against.
	complete bool
	pending  []string
}

func (s *applySource) envName() string {
	if s.env == nil {
		return "ENV"
	}
	return s.env.Name
}

// ApplySetName is the name of the ApplySet parent Secret render keeps in
// the environment's namespace (and in kube-system of the new cluster).
const ApplySetName = "render-applyset"

// envApplySet is the inventory of an environment's management objects, in
// its namespace.
func envApplySet(env config.Environment) apply.ApplySet {
	return apply.ApplySet{Parent: types.NamespacedName{Namespace: env.ClusterName, Name: ApplySetName}}
}

// workloadApplySet is the inventory of the workload on the new cluster.
func workloadApplySet() apply.ApplySet {
	return apply.ApplySet{Parent: types.NamespacedName{Namespace: "kube-system", Name: ApplySetName}}
}

// workloadManager connects to the environment's new cluster through kc, a
// kubeconfig from Kubeconfig.
func workloadManager(env config.Environment, kc []byte, streams IOStreams) (*apply.Manager, error) {
	rc, err := clientcmd.RESTConfigFromKubeConfig(kc)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig of cluster %s: %w", env.ClusterName, err)
	}
	return apply.NewManager(rc, apply.ManagerOptions{Progress: streams.ErrOut, Live: isTerminal(streams.ErrOut)})
}

// parseApplySet reads --applyset NAMESPACE/NAME.
func parseApplySet(v string) (apply.ApplySet, error) {
	ns, name, ok := strings.Cut(v, "/")
	if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
		return apply.ApplySet{}, fmt.Errorf("--applyset %q: want NAMESPACE/NAME of the parent Secret", v)
	}
	return apply.ApplySet{Parent: types.NamespacedName{Namespace: ns, Name: name}}, nil
}

// defaultApplySet is the parent for objs applied with -k: in the one
// Namespace among them.
func defaultApplySet(dir string, objs []*unstructured.Unstructured) (apply.ApplySet, error) {
	var names []string
	for _, u := range objs {
		if u.GetKind() == "Namespace" && u.GroupVersionKind().Group == "" {
			names = append(names, u.GetName())
		}
	}
	if len(names) != 1 {
		return apply.ApplySet{}, fmt.Errorf("-k %s has %d Namespaces (%s): say where render keeps its inventory with --applyset NAMESPACE/NAME",
			dir, len(names), strings.Join(names, ", "))
	}
	return apply.ApplySet{Parent: types.NamespacedName{Namespace: names[0], Name: ApplySetName}}, nil
}

// source builds what to apply: the environment rendered from the
// configuration (with its outputs file, if any), or the kustomization in
// --kustomize.
func (f *applyFlags) source(args []string) (*applySource, error) {
	switch {
	case f.dir != "" && len(args) > 0:
		return nil, fmt.Errorf("give an environment or -k DIR, not both")
	case f.dir != "":
		m, err := gen.Build(filesys.MakeFsOnDisk(), f.dir)
		if err != nil {
			return nil, err
		}
		objs, err := gen.Objects(m)
		if err != nil {
			return nil, err
		}
		// A kustomization is taken as whole: what it lacks is pruned.
		src := &applySource{objs: objs, complete: true}
		if f.applySet != "" {
			src.applySet, err = parseApplySet(f.applySet)
		} else {
			src.applySet, err = defaultApplySet(f.dir, objs)
		}
		return src, err
	case len(args) == 0:
		return nil, fmt.Errorf("name an environment (render apply dev) or a kustomization (-k DIR)")
	}
	_, env, committed, err := f.environment(args[0])
	if err != nil {
		return nil, err
	}
	src := &applySource{env: env, committed: committed, applySet: envApplySet(*env)}
	if f.applySet != "" {
		if src.applySet, err = parseApplySet(f.applySet); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// render renders the environment, if the source is one, with its late
// values (orchestrate.Render: committed, else live), and says where they came from.
func (s *applySource) render(ctx context.Context, m *apply.Manager, streams IOStreams) error {
	if s.env == nil {
		return nil
	}
	r, err := orchestrate.Render(ctx, m, *s.env, s.committed, streams.ErrOut)
	if err != nil {
		return err
	}
	r.Announce(streams.ErrOut)
	s.objs, s.pending, s.complete = r.Objects, r.Pending, r.Complete()
	return nil
}
