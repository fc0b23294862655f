package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/schema"
)

// ApplyOptions are the choices of a render apply run.
type ApplyOptions struct {
	// Wait, Timeout, Interval and ForceConflicts are apply.ApplyOptions'.
	Wait              bool
	Timeout, Interval time.Duration
	ForceConflicts    bool
	// Prune deletes what the ApplySet records and the rendering no longer
	// has, only from a whole rendering that is not stale (CheckStale);
	// Revert applies and prunes a stale one anyway.
	Prune, Revert bool
	// AllowReplace recreates objects whose change AWS cannot make in place.
	AllowReplace bool
	// Workload applies the workload to the new cluster once it is up, and
	// waits IngressTimeout for the Ingress hostnames.
	Workload       bool
	IngressTimeout time.Duration
	// ConfigFile is platform.yaml's path: its commit identifies the rendering.
	ConfigFile string
	// Commit is ConfigFile's commit, read from the start of the run
	// (ReadCommit); Apply starts reading it when it is nil.
	Commit *Commit
	// LockTimeout, when set (--lock-timeout), is how long each lock the
	// run takes (management cluster, then new cluster) waits for another
	// run's; else LockWait decides.
	LockTimeout *time.Duration
	// KubeconfigOut is where the new cluster's kubeconfig is written
	// (WriteKubeconfig; default "<cluster>.kubeconfig") before the
	// workload is applied through it.
	KubeconfigOut string
	// KeepOutputs (--no-write-outputs) leaves an environment's committed
	// outputs file and tree as they are after the run, with a warning
	// when they no longer match AWS (refreshCommitted).
	KeepOutputs bool
	// Day is the day render runs, for the EKS version calendar, on which
	// the tree is rendered again (refreshCommitted).
	Day eksversion.Day
	// SkipRestart leaves the workload's Deployments on Fargate alone after
	// a control plane upgrade; their pods keep the old kubelet until they
	// are replaced.
	SkipRestart bool
	// Live asks for the live summary line on Progress (a terminal).
	Live bool
	// Progress is set by Apply to the Manager's (apply.Manager.Progress):
	// the workload's lines go out while the management cluster's do, so
	// both go through one serialized writer.
	Progress io.Writer
	// RequestTimeout is set by Apply to the Manager's
	// (apply.Manager.RequestTimeout), for the new cluster's requests.
	RequestTimeout time.Duration

	// AllowAccessLoss takes the authentication mode step to API even
	// though principals of the cluster's aws-auth have no access entry
	// and lose access (checkAccess); default false, refused.
	AllowAccessLoss bool

	// restart is set once this run upgraded the control plane.
	restart bool
	// accessChecked is set once checkAccess read aws-auth.
	accessChecked bool
}

// Apply runs render apply on m: it takes the lock of src's ApplySet, with
// Prune checks that the rendering is not stale, applies the phases and the
// workload (applyPhases), and releases the lock; after a run that
// succeeded it brings the environment's committed files up to date
// (refreshCommitted). The result is never nil:
// it covers what was applied, and says how the lock went and why a prune
// was refused.
func Apply(ctx context.Context, m *apply.Manager, src *Source, o ApplyOptions) (*apply.Result, error) {
	o.Progress, o.RequestTimeout = m.Progress(), m.RequestTimeout()
	lock, runCtx, res, report, err := Lock(ctx, m, src.ApplySet, src.Objects, LockOptions(o.commit(ctx), o.LockTimeout, o.Live, o.Timeout), o.Progress)
	var refusal string
	if err == nil && o.Prune && src.Env != nil {
		if refusal, err = o.checkStale(runCtx, m, src); err != nil {
			refusal = err.Error()
			err = errors.Join(err, lock.Release(context.WithoutCancel(ctx)))
		}
	}
	if err == nil {
		var applied *apply.Result
		if err = applyAccountMap(runCtx, m, src.Env, o.Progress); err == nil {
			applied, err = o.applyPhases(runCtx, m, src)
		}
		err = LockLost(runCtx, err)
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
	if err == nil {
		err = o.refreshCommitted(ctx, m, src)
	}
	if res == nil {
		res = apply.NewResult()
	}
	res.SetLock(report)
	if refusal != "" {
		res.SetRefused(refusal)
	}
	return res, err
}

// commit is o.Commit, read from now if the caller did not start it.
func (o *ApplyOptions) commit(ctx context.Context) *Commit {
	if o.Commit == nil {
		o.Commit = ReadCommit(ctx, o.ConfigFile)
	}
	return o.Commit
}

// applyPhases applies the environment (converge, when it waits) or a
// kustomization. The result covers every phase and the workload, each
// object once.
func (o *ApplyOptions) applyPhases(ctx context.Context, m *apply.Manager, src *Source) (*apply.Result, error) {
	// The CRD facts (35 ms of parsing the CRDs, 12 MB, more on a busy
	// machine) load only once an existing object would change: a no-op
	// run never needs them, and loading them beside its lists made it
	// half again as slow on two cores.
	type loaded struct {
		s   *schema.Set
		err error
	}
	facts := make(chan loaded, 1)
	var once sync.Once
	load := func() { once.Do(func() { s, err := schema.Load(); facts <- loaded{s, err} }) }
	opts := apply.ApplyOptions{Wait: o.Wait, Timeout: o.Timeout, Interval: o.Interval, ForceConflicts: o.ForceConflicts,
		ApplySet: &src.ApplySet,
		Check: func(live, desired []*unstructured.Unstructured) ([]string, error) {
			if !changesAny(live, desired) {
				// Nothing to replace: no need to wait for the CRD facts.
				return nil, nil
			}
			load()
			l := <-facts
			facts <- l
			if l.err != nil {
				return nil, l.err
			}
			return Replacements(live, desired, l.s, o.AllowReplace)
		},
		Fixed: func(gvk k8sschema.GroupVersionKind, path string) bool {
			load()
			l := <-facts
			facts <- l
			return l.s != nil && FixedField(l.s, gvk, path)
		}}
	// Prune only with the whole rendering: the first phase lacks what
	// needs late values, and pruning it would delete the second phase.
	opts.Prune = o.Prune && src.Complete
	if o.Prune && !src.Complete && (src.Env == nil || !o.Wait) {
		return nil, fmt.Errorf("--prune needs the whole rendering, which needs values AWS knows only after creation (%s): "+
			"apply with --wait, or commit outputs/%s.yaml (render outputs) first", strings.Join(src.Pending, "; "), src.envName())
	}
	res := apply.NewResult()
	if src.Env != nil {
		if err := o.upgradeFirst(ctx, m, src, opts, res); err != nil {
			return res, err
		}
	}
	if src.Env == nil || !o.Wait {
		if src.Env != nil {
			if err := o.checkAccess(ctx, *src.Env, src.Late, src.Objects); err != nil {
				return res, err
			}
		}
		applied, err := m.Apply(ctx, src.Objects, opts)
		res.Absorb(applied)
		if err == nil && src.Complete {
			err = o.record(ctx, m, src, src.Objects)
		}
		return res, err
	}
	return res, o.converge(ctx, m, src, opts, res)
}

// upgradeFirst runs, before the environment is applied, the steps of a
// version upgrade its live objects need (upgrade), with the rendering of
// the new versions, which then replaces src's objects: src may hold the
// node group and add-ons back for a control plane the committed outputs
// file records on the previous minor.
func (o *ApplyOptions) upgradeFirst(ctx context.Context, m *apply.Manager, src *Source, opts apply.ApplyOptions, res *apply.Result) error {
	late := src.Late
	// The versions rendered for the control plane on cluster.version; not
	// "", which an adopted cluster's imports entry would fill (gen
	// dataPlaneVersion).
	late.ClusterVersion = src.Env.Cluster.Version
	target := &Rendering{Objects: src.Objects}
	if gen.RenderKey(*src.Env, late) != gen.RenderKey(*src.Env, src.Late) {
		var err error
		if target, err = rendering(*src.Env, late, ""); err != nil {
			return err
		}
	}
	plan, err := planUpgrade(ctx, m, src.Env.Name, target.Objects)
	if err != nil || plan.empty() || (!o.Wait && !plan.changes()) {
		return err
	}
	if err := o.upgrade(ctx, m, src, plan, opts, res); err != nil {
		return err
	}
	// The node groups are on their new version: the empty releaseVersion
	// that let it change is dropped, so the controller's value stands.
	late.NodegroupVersion = ""
	if target, err = rendering(*src.Env, late, ""); err != nil {
		return err
	}
	src.Objects = target.Objects
	o.restart = len(plan.controlPlane) > 0 && !o.SkipRestart
	return nil
}

// changesAny reports whether applying desired would change an existing
// object: live, cut down to the fields desired sets, differs from it.
func changesAny(live, desired []*unstructured.Unstructured) bool {
	for i, l := range live {
		if l != nil && !reflect.DeepEqual(l.Object, desired[i].Object) {
			return true
		}
	}
	return false
}

// provenance identifies the rendering objs of src: its digest and, for an
// environment whose platform.yaml is committed, the commit.
func (o *ApplyOptions) provenance(ctx context.Context, src *Source, objs []*unstructured.Unstructured) (apply.Provenance, error) {
	digest, err := Digest(objs)
	if err != nil {
		return apply.Provenance{}, err
	}
	p := apply.Provenance{Digest: digest}
	if src.Env != nil {
		p.Commit, _ = o.commit(ctx).Get()
	}
	return p, nil
}

// record writes, once a complete rendering is applied, what it was into
// the ApplySet parent, for the stale-rendering check of later runs.
func (o *ApplyOptions) record(ctx context.Context, m *apply.Manager, src *Source, objs []*unstructured.Unstructured) error {
	p, err := o.provenance(ctx, src, objs)
	if err != nil {
		return err
	}
	return m.RecordProvenance(ctx, src.ApplySet, p)
}

// checkStale refuses a pruning run from a rendering older than the one
// applied last (CheckStale): the whole run with an error when applying
// would revert newer changes, else just the prune, whose reason it
// returns. It says on Progress when the check could not be made.
func (o *ApplyOptions) checkStale(ctx context.Context, m *apply.Manager, src *Source) (string, error) {
	ours, err := o.provenance(ctx, src, src.Objects)
	if err != nil {
		return "", err
	}
	if !src.Complete {
		ours.Digest = ""
	}
	recorded, err := m.Provenance(ctx, src.ApplySet)
	if err != nil {
		return "", err
	}
	d, err := CheckStale(ours, recorded, func(a, b string) (bool, error) { return IsAncestor(ctx, o.ConfigFile, a, b) }, o.Revert)
	if err != nil {
		return "", err
	}
	if d.Note != "" {
		fmt.Fprintln(o.Progress, d.Note)
	}
	if !d.Prune {
		o.Prune = false
		return d.Note, nil
	}
	return "", nil
}

// Summary is the line that ends a run that succeeded: what res holds,
// whether it was waited for, and how long the run took.
func (o ApplyOptions) Summary(res *apply.Result, took time.Duration) string {
	ready := "all ready"
	if !o.Wait {
		ready = "not waited for"
	}
	return fmt.Sprintf("%s, %s in %s", res.Summary(), ready, took.Round(time.Millisecond))
}
