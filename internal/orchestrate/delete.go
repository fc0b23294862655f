package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/graph"
)

// DeleteOptions are the choices of a render delete run.
type DeleteOptions struct {
	// Wait, Timeout and Interval are apply.DeleteOptions', for each step.
	Wait              bool
	Timeout, Interval time.Duration
	// Workload deletes the workload on the new cluster first.
	Workload bool
	// ConfigFile is platform.yaml's path, named by the locks the run takes,
	// which wait LockTimeout (--lock-timeout) when set, else as LockWait
	// decides.
	ConfigFile  string
	LockTimeout *time.Duration
	// Yes deletes without asking; else, once the plan is printed, a
	// protected environment's name is asked for on Prompt (ConfirmDelete).
	Yes    bool
	Prompt Prompt
	// Live asks for the live summary line on Progress (a terminal).
	Live     bool
	Progress io.Writer

	// requestTimeout is m's (apply.Manager.RequestTimeout), for the new
	// cluster's requests.
	requestTimeout time.Duration
	// locked is told about each lock taken or refused.
	locked func(apply.LockReport)
}

// DeleteResult is what a render delete run did: the deletions done, all
// of them or up to the step that failed, and each lock taken or refused.
type DeleteResult struct {
	Deleted []apply.Deletion   `json:"deleted"`
	Locks   []apply.LockReport `json:"locks,omitempty"`
}

// Delete runs render delete for env on m, the management cluster: it
// renders env as render apply did (Render), takes the locks, gathers what
// render applied on both clusters, refuses a protected cluster, prints the
// plan, asks Confirm, and deletes the workload's objects, then the
// management objects, step by step in reverse dependency order. The result
// is nil when the run has none to report: it stopped before deleting
// anything and took no lock.
func Delete(ctx context.Context, m *apply.Manager, env config.Environment, committed Committed, o DeleteOptions) (*DeleteResult, error) {
	res := &DeleteResult{Deleted: []apply.Deletion{}}
	o.locked = func(l apply.LockReport) { res.Locks = append(res.Locks, l) }
	o.requestTimeout = m.RequestTimeout()
	done, report, err := o.delete(ctx, m, env, committed)
	if !report && len(res.Locks) == 0 {
		return nil, err
	}
	res.Deleted = append(res.Deleted, done...)
	return res, err
}

// delete is Delete's run; report tells whether it deleted anything, or
// tried to.
func (o *DeleteOptions) delete(ctx context.Context, m *apply.Manager, env config.Environment, committed Committed) (done []apply.Deletion, report bool, err error) {
	// What render apply applied, with the same late values.
	r, err := Render(ctx, m, env, committed, o.Progress)
	if err != nil {
		return nil, false, err
	}
	r.Announce(o.Progress)
	late := r.Late
	lock, ctx, err := o.lockCluster(ctx, m, EnvApplySet(env))
	if err != nil {
		return nil, false, err
	}
	mgmt, err := gather(ctx, m, "management cluster", r.Objects, EnvApplySet(env))
	if err != nil {
		return nil, false, errors.Join(err, releaseLock(ctx, lock))
	}
	mgmt.lock = lock
	defer func() { err = errors.Join(LockLost(ctx, err), mgmt.release(ctx)) }()
	if err := refuseProtected(mgmt.objs); err != nil {
		return nil, false, err
	}
	parts := []*deletion{mgmt}
	if o.Workload && late.ClusterEndpoint != "" {
		w, err := o.workloadDeletion(ctx, env, late)
		if err != nil {
			return nil, false, err
		}
		defer func() { err = errors.Join(err, w.release(ctx)) }()
		parts = []*deletion{w, mgmt}
	} else if o.Workload && hasKind(mgmt.objs, "Cluster") {
		fmt.Fprintf(o.Progress, "warning: the endpoint of cluster %s is not known: its workload (and load balancers) cannot be deleted first\n", env.ClusterName)
	}
	total := 0
	for _, p := range parts {
		total += len(p.objs) + len(p.last)
	}
	if total == 0 {
		fmt.Fprintf(o.Progress, "environment %s: nothing to delete\n", env.Name)
		return nil, false, nil
	}
	if err := printPlan(o.Progress, env.Name, parts); err != nil {
		return nil, false, err
	}
	if err := ConfirmDelete(env, total, o.Yes, o.Prompt); err != nil {
		return nil, false, err
	}
	start := time.Now()
	opts := apply.DeleteOptions{Wait: o.Wait, Timeout: o.Timeout, Interval: o.Interval}
	for _, p := range parts {
		for i, objs := range [][]*unstructured.Unstructured{p.objs, p.last} {
			if i == 1 {
				// last deletes the namespace the lock is in.
				if err := p.release(ctx); err != nil {
					return done, false, err
				}
			}
			d, err := p.m.Delete(ctx, objs, opts)
			done = append(done, d...)
			if err != nil {
				return done, true, fmt.Errorf("%s: %w", p.target, err)
			}
		}
	}
	if o.Wait {
		// Without waiting, the controllers still need the role to delete.
		if err := releaseAccountMap(ctx, m, env, o.Progress); err != nil {
			return done, true, err
		}
	}
	retained := 0
	for _, d := range done {
		if d.Retained && d.Action == apply.Deleted {
			retained++
		}
	}
	fmt.Fprintf(o.Progress, "environment %s deleted: %d objects (%d AWS resources retained) in %s\n",
		env.Name, len(done), retained, time.Since(start).Round(time.Millisecond))
	return done, true, nil
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
func (o *DeleteOptions) lockCluster(ctx context.Context, m *apply.Manager, set apply.ApplySet) (*apply.Lock, context.Context, error) {
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetName(set.Parent.Namespace)
	if live, err := m.Existing(ctx, []*unstructured.Unstructured{ns}); err != nil || len(live) == 0 {
		return nil, ctx, err
	}
	l, runCtx, _, report, err := Lock(ctx, m, set, nil, LockOptions(ReadCommit(ctx, o.ConfigFile), o.LockTimeout, o.Live, o.Timeout), o.Progress)
	if o.locked != nil {
		o.locked(report)
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

// workloadDeletion gathers what to delete from the new cluster, through a
// kubeconfig like render kubeconfig's (not written to disk).
func (o *DeleteOptions) workloadDeletion(ctx context.Context, env config.Environment, late config.LateValues) (*deletion, error) {
	kc, err := Kubeconfig(env, late)
	if err != nil {
		return nil, err
	}
	wm, err := WorkloadManager(env, kc, apply.ManagerOptions{Progress: o.Progress, Live: o.Live, RequestTimeout: o.requestTimeout})
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w (--workload=false skips it, leaving its load balancers in AWS)", env.ClusterName, err)
	}
	objs, err := gen.EnvObjects(env, late, true)
	if err != nil {
		return nil, err
	}
	// The webhook certificate render apply made.
	objs = append(objs, apply.WebhookSecrets(objs)...)
	lock, _, err := o.lockCluster(ctx, wm, WorkloadApplySet())
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w", env.ClusterName, err)
	}
	d, err := gather(ctx, wm, "cluster "+env.ClusterName, objs, WorkloadApplySet())
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
