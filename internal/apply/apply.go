package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/graph"
)

// ApplyOptions control Apply.
type ApplyOptions struct {
	// Wait for what each object depends on to be ready before applying
	// it, and for every object before returning. Default true. Without it
	// only existence is ordered (see existenceOrder) and nothing is
	// waited for. Any subset of a rendering can be applied this way:
	// what it references outside the subset is taken as existing.
	Wait bool
	// Timeout bounds the whole run. Default 30 minutes: real EKS takes 10
	// to 15 minutes to create a cluster, and Fargate profiles follow.
	Timeout time.Duration
	// Interval is how often object status is polled where render still
	// polls (deleting, pruning, recreating); waiting for applied objects
	// watches instead. Default 2 seconds.
	Interval time.Duration
	// ForceConflicts takes ownership of fields another field manager owns;
	// without it such a conflict fails the run and names the other manager.
	ForceConflicts bool
	// Check, if set, sees each object's live state (cut down to the fields
	// render sets; nil if absent) beside what is to be applied, before
	// anything is, and stops the run with its error. It returns the
	// objects (Kind/namespace/name) that must be recreated: Apply deletes
	// them and every object that depends on them, waits until they are
	// gone, and creates them again in order.
	Check func(live, desired []*unstructured.Unstructured) (recreate []string, err error)
	// Fixed tells which reference fields cannot change, for recreation
	// (see Recreation). Required when Check may name objects.
	Fixed Fixed
	// ApplySet, if set, labels every object as a member of it and records
	// the kinds and namespaces applied in its parent (see ApplySet).
	ApplySet *ApplySet
	// Prune, with ApplySet, deletes after a successful apply the members
	// render applied earlier that objs no longer has, in reverse
	// dependency order (waiting for each level to be gone when Wait).
	Prune bool
	// OnReady, with Wait, is called with each object the moment it is
	// first seen ready, from the goroutine that runs the apply: it must
	// return quickly, and may cancel the run's context.
	OnReady func(u *unstructured.Unstructured)
	// Hold, with Wait, returns for an object what it needs beyond the
	// objects of this run (on another cluster: the Fargate profile that
	// runs its pods), nil for nothing: the object is applied only once
	// that is ready too.
	Hold func(u *unstructured.Unstructured) *Gate
	// Timings, with Wait, is shared by the Applies of one run, so that
	// the critical path and progress durations cover the whole run.
	Timings *Timings
}

// A Gate holds an object back until something outside the run is ready.
type Gate struct {
	// Open closes when the object may be applied.
	Open <-chan struct{}
	// Waiting names what it is still waiting for, for a timeout's message.
	Waiting func() []string
	// Last names, once the gate is open, what it waited for that was
	// ready last, for the critical path (with Timings).
	Last func() string
}

// DefaultApplyOptions returns the defaults described on ApplyOptions.
func DefaultApplyOptions() ApplyOptions {
	return ApplyOptions{Wait: true, Timeout: 30 * time.Minute, Interval: 2 * time.Second}
}

// Apply server-side applies objs in dependency order (graph: a Namespace
// before what is in it, an object after every object it references and
// after what the ordering table puts first). With Wait it starts each
// object the moment what it depends on is ready, as watches report it
// (schedule.go), and returns once all are ready; without, it applies the
// Namespaces and then everything else at once (existenceOrder). The Result
// lists every object with what was done and its last status, also when
// Apply fails.
func (m *Manager) Apply(ctx context.Context, objs []*unstructured.Unstructured, opts ApplyOptions) (res *Result, err error) {
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	defer func() {
		var te *TimeoutError
		if err != nil && !errors.As(err, &te) && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("timed out after %s: %w", opts.Timeout, err)
		}
	}()
	if m.live {
		defer fmt.Fprint(m.progress, "\r\033[K")
	}
	res = newResult(objs)
	if opts.ApplySet != nil {
		objs = opts.ApplySet.Members(objs)
	}
	if err := m.CheckKinds(objs); err != nil {
		return res, err
	}
	levels, err := graph.New(objs).Levels()
	if err != nil {
		return res, err
	}
	// The parent is read while the objects are listed.
	parent := make(chan parentRead, 1)
	if opts.ApplySet != nil {
		go func() {
			inv, ok, err := m.readParent(ctx, *opts.ApplySet)
			parent <- parentRead{inv, ok, err}
		}()
	}
	live, err := m.listLive(ctx, objs)
	if err != nil {
		return res, err
	}
	var p parentRead
	if opts.ApplySet != nil {
		if p = <-parent; p.err != nil {
			return res, p.err
		}
	}
	var recreate []string
	if opts.Check != nil {
		if recreate, err = opts.Check(projectAll(live, objs), objs); err != nil {
			return res, err
		}
	}
	versions := map[string]version{}
	for _, u := range objs {
		if cur, ok := live[graph.NameOf(u)]; ok {
			v := version{fingerprint: fingerprint(cur), generation: cur.GetGeneration(), synced: stampToAvoid(cur, u)}
			v.replicas, v.handover = replicasToHandOver(cur, u)
			if !v.handover && appliedAlready(cur, u) {
				v.live = cur
			}
			versions[graph.NameOf(u)] = v
		}
	}
	if len(recreate) > 0 {
		if err := m.recreate(ctx, objs, live, recreate, opts, res, versions); err != nil {
			return res, err
		}
	}
	var recorded inventory
	if opts.ApplySet != nil {
		if recorded, err = m.ensureParent(ctx, *opts.ApplySet, p, objs, versions); err != nil {
			return res, err
		}
	}
	if opts.Wait {
		if err := m.applyScheduled(ctx, objs, versions, opts, res); err != nil {
			var te *TimeoutError
			if errors.As(err, &te) {
				te.Timeout = opts.Timeout
			}
			return res, err
		}
	} else {
		levels = existenceOrder(levels)
		for n, level := range levels {
			if err := m.applyLevel(ctx, level, versions, opts, res); err != nil {
				return res, fmt.Errorf("level %d of %d: %w", n+1, len(levels), err)
			}
		}
	}
	if opts.ApplySet != nil {
		return res, m.finishApplySet(ctx, *opts.ApplySet, recorded, objs, opts, res)
	}
	return res, nil
}

// finishApplySet prunes, when asked, and then records in the parent
// exactly what was applied. Without a prune the parent keeps recording
// what it recorded (what was applied and everything recorded before), so
// that a later prune still finds what an earlier run left.
func (m *Manager) finishApplySet(ctx context.Context, s ApplySet, recorded inventory, objs []*unstructured.Unstructured, opts ApplyOptions, res *Result) error {
	if !opts.Prune {
		return nil
	}
	pruned, err := m.prune(ctx, s, recorded, objs, DeleteOptions{Wait: opts.Wait, Timeout: opts.Timeout, Interval: opts.Interval})
	res.setPruned(pruned)
	if err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	if inv := s.inventoryOf(objs); !inv.equal(recorded) {
		return m.writeParent(ctx, s, inv)
	}
	return nil
}

// existenceOrder merges every level above the first into one: without
// waiting for readiness, the only order that matters is that a Namespace
// exists before what goes in it (ACK resolves references itself, retrying
// until the referenced object is synced).
func existenceOrder(levels [][]*unstructured.Unstructured) [][]*unstructured.Unstructured {
	if len(levels) <= 2 {
		return levels
	}
	var rest []*unstructured.Unstructured
	for _, l := range levels[1:] {
		rest = append(rest, l...)
	}
	return [][]*unstructured.Unstructured{levels[0], rest}
}

// applyLevel server-side applies one level, every object in parallel with
// one request each. versions, the fingerprints of the objects listed
// before the run, tell created, configured and unchanged apart. Unless
// forced, a field another manager owns fails with a ConflictError.
func (m *Manager) applyLevel(ctx context.Context, level []*unstructured.Unstructured, versions map[string]version, opts ApplyOptions, res *Result) error {
	actions := make([]string, len(level))
	errs := make([]error, len(level))
	parallel(m.concurrency, len(level), func(i int) {
		actions[i], errs[i] = m.applyOne(ctx, level[i], versions, opts.ForceConflicts)
	})
	for i, u := range level {
		if actions[i] == "" {
			continue
		}
		res.setAction(graph.NameOf(u), actions[i])
		if actions[i] != Unchanged {
			fmt.Fprintf(m.progress, "%s %s\n", graph.NameOf(u), actions[i])
		}
	}
	return errors.Join(errs...)
}

// Actions a Result reports per object.
const (
	Created    = "created"
	Configured = "configured"
	Unchanged  = "unchanged"
	// Recreated objects were deleted (a change AWS cannot make in place,
	// --allow-replace) and created again.
	Recreated = "recreated"
	// Pruned objects were deleted: render applied them and renders them no
	// more.
	Pruned = "pruned"
)

// version is what the listing before the run saw of an object.
type version struct {
	fingerprint string
	generation  int64
	// synced is the time of its ACK.ResourceSynced condition, if applying
	// may change its spec (stampToAvoid); zero otherwise.
	synced time.Time
	// handover is true when render stops setting the spec.replicas it set
	// (replicas, live): they are handed over first (replicasToHandOver).
	replicas int64
	handover bool
	// live is the object as listed when applying it would change nothing
	// (appliedAlready): the apply is not sent. Nil otherwise.
	live *unstructured.Unstructured
}

func (m *Manager) applyOne(ctx context.Context, u *unstructured.Unstructured, versions map[string]version, force bool) (string, error) {
	_, action, err := m.applyObject(ctx, u, versions, force)
	return action, err
}

// applyObject is applyOne that also returns the object as the apiserver
// answered the apply.
func (m *Manager) applyObject(ctx context.Context, u *unstructured.Unstructured, versions map[string]version, force bool) (*unstructured.Unstructured, string, error) {
	before, existed := versions[graph.NameOf(u)]
	if before.live != nil {
		return before.live, Unchanged, nil
	}
	if err := afterSecondOf(ctx, before.synced, m.now); err != nil {
		return nil, "", err
	}
	if before.handover {
		if err := m.handOver(ctx, u, before.replicas); err != nil {
			return nil, "", err
		}
	}
	obj := u.DeepCopy()
	opts := []client.ApplyOption{client.FieldOwner(FieldManager)}
	if force {
		opts = append(opts, client.ForceOwnership)
	}
	err := m.client.Apply(ctx, client.ApplyConfigurationFromUnstructured(obj), opts...)
	switch {
	case apierrors.IsConflict(err):
		return nil, "", &ConflictError{Object: graph.NameOf(u), Err: err}
	case err != nil:
		return nil, "", fmt.Errorf("%s apply failed: %w", graph.NameOf(u), err)
	}
	m.changes.record(obj, before.generation)
	switch {
	case !existed:
		return obj, Created, nil
	case before.fingerprint == fingerprint(obj):
		return obj, Unchanged, nil
	}
	return obj, Configured, nil
}

// fingerprint is what changes when an apply changes an object. For an
// object with a generation, its generation (which only a change of spec, or
// of everything but metadata and status, moves), labels and annotations:
// a controller writing status or its finalizer between the listing and
// the apply does not make the apply a change. Otherwise its
// resourceVersion, which a no-op apply keeps.
func fingerprint(u *unstructured.Unstructured) string {
	if g := u.GetGeneration(); g > 0 {
		// fmt prints maps with sorted keys.
		return fmt.Sprintf("generation %d labels %v annotations %v", g, u.GetLabels(), u.GetAnnotations())
	}
	return "resourceVersion " + u.GetResourceVersion()
}

// ConflictError is a field another manager owns that render would set.
type ConflictError struct {
	// Object is Kind/namespace/name.
	Object string
	// Err is the apiserver's 409, which names the other manager and fields.
	Err error
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: %v (rerun with --force-conflicts to take the fields over)", e.Object, e.Err)
}

func (e *ConflictError) Unwrap() error { return e.Err }

// parallel calls fn(0..n-1) on at most limit goroutines and waits.
func parallel(limit, n int, fn func(i int)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// formatDuration rounds for progress lines: 4m12s, 850ms.
func formatDuration(d time.Duration) string {
	if d < time.Second {
		return d.Round(10 * time.Millisecond).String()
	}
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s") // 4m0s: 4m, not 10s: 1
	}
	return s
}
