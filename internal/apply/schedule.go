package apply

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/event"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	kwatcher "sigs.k8s.io/cli-utils/pkg/kstatus/watcher"
	"sigs.k8s.io/cli-utils/pkg/object"

	"github.com/eks-render/render/internal/graph"
)

// A scheduled apply starts each object the moment every object it depends
// on is ready (graph.Schedule), instead of level by level: on AWS the waits
// are long and uneven (an EKS cluster 10 to 15 minutes, an IAM role
// seconds), and a barrier per level makes an object wait for unrelated
// slow siblings of what it needs. Readiness comes from watches (one
// informer per kind and namespace, kstatus's watcher, resynced every
// watchResync as a safety net), so an object is started as soon as the
// event that makes what it needs ready arrives, not at the next poll.

// schedRun is the state of one scheduled apply.
type schedRun struct {
	m        *Manager
	objs     []*unstructured.Unstructured
	g        *graph.Graph
	sched    *graph.Schedule
	index    map[object.ObjMetadata]int
	versions map[string]version
	opts     ApplyOptions
	res      *Result
	w        *waiter
	start    time.Time
	// applied is each object as the apply answered, nil until then.
	applied []*unstructured.Unstructured
	// last is the newest status event seen of each object, from before or
	// after its apply; seen the status last computed from it.
	last []*event.ResourceStatus
	seen []*event.ResourceStatus
	// startedAt and readyAt are when each object was applied and first
	// seen ready; zero if not (yet).
	startedAt, readyAt []time.Time
	readyN             int
	done               chan appliedObject
	// gates are the objects Hold holds back, released comes each one
	// whose gate opened; gated are all that ever were.
	gates, gated map[int]*Gate
	released     chan int
	inflight     int
	sem          chan struct{}
	stopped      bool
}

// appliedObject is what one apply returned.
type appliedObject struct {
	i      int
	obj    *unstructured.Unstructured
	action string
	err    error
}

// applyScheduled applies objs on their dependency graph and waits until
// every one is ready, one fails (ACK.Terminal) or ctx ends. It records the
// critical path of the run in res.
func (m *Manager) applyScheduled(ctx context.Context, objs []*unstructured.Unstructured, versions map[string]version, opts ApplyOptions, res *Result) error {
	g := graph.New(objs)
	r := &schedRun{m: m, objs: objs, g: g, sched: g.Schedule(), index: map[object.ObjMetadata]int{}, versions: versions,
		opts: opts, res: res, start: m.now(), applied: make([]*unstructured.Unstructured, len(objs)),
		last: make([]*event.ResourceStatus, len(objs)), seen: make([]*event.ResourceStatus, len(objs)),
		startedAt: make([]time.Time, len(objs)), readyAt: make([]time.Time, len(objs)),
		done: make(chan appliedObject, len(objs)), sem: make(chan struct{}, m.concurrency)}
	if opts.Timings != nil {
		r.start = opts.Timings.began
	}
	r.w = &waiter{m: m, res: res, start: r.start, last: map[object.ObjMetadata]*event.ResourceStatus{}}
	for i, u := range objs {
		r.index[object.UnstructuredToObjMetadata(u)] = i
	}
	wctx, cancel := context.WithCancel(ctx)
	r.hold(wctx)
	events := m.watch(wctx, objs)
	for _, i := range r.sched.Start() {
		r.launch(ctx, i)
	}
	err := r.loop(ctx, events)
	r.stopped = true
	stopWatch(cancel, events)
	for ; r.inflight > 0; r.inflight-- {
		if a := <-r.done; a.err != nil && !errors.Is(a.err, context.Canceled) && !errors.Is(a.err, context.DeadlineExceeded) {
			err = errors.Join(err, a.err)
		} else if a.err == nil {
			r.record(a)
		}
	}
	path := r.criticalPath()
	if !errors.Is(err, context.Canceled) {
		// A run stopped to hand over leaves its path to the next.
		res.addCriticalPath(path)
	}
	if err == nil && len(path) > 0 {
		fmt.Fprintf(m.progress, "critical path (%s): %s\n", formatDuration(path[len(path)-1].Ready.Sub(path[0].Start)), pathString(path, path[0].Start))
	}
	return err
}

// hold holds back each object whose gate (opts.Hold) is not open yet, and
// sends it on r.released once it opens.
func (r *schedRun) hold(ctx context.Context) {
	r.gates, r.gated, r.released = map[int]*Gate{}, map[int]*Gate{}, make(chan int, len(r.objs))
	if r.opts.Hold == nil {
		return
	}
	for i, u := range r.objs {
		g := r.opts.Hold(u)
		if g == nil {
			continue
		}
		select {
		case <-g.Open:
			continue
		default:
		}
		r.gates[i], r.gated[i] = g, g
		r.sched.Hold(i)
		go func() {
			select {
			case <-g.Open:
				r.released <- i
			case <-ctx.Done():
			}
		}()
	}
}

// launch applies the i-th object in the background.
func (r *schedRun) launch(ctx context.Context, i int) {
	if r.stopped {
		return
	}
	r.startedAt[i] = r.m.now()
	if r.opts.Timings != nil {
		r.startedAt[i] = r.opts.Timings.started(graph.NameOf(r.objs[i]), r.startedAt[i])
	}
	r.inflight++
	go func() {
		r.sem <- struct{}{}
		defer func() { <-r.sem }()
		obj, action, err := r.m.applyObject(ctx, r.objs[i], r.versions, r.opts.ForceConflicts)
		r.done <- appliedObject{i: i, obj: obj, action: action, err: err}
	}()
}

// loop handles applies finishing and status events until every object is
// ready or something fails.
func (r *schedRun) loop(ctx context.Context, events <-chan event.Event) error {
	for r.readyN < len(r.objs) {
		select {
		case <-ctx.Done():
			return r.timeout(ctx)
		case a := <-r.done:
			r.inflight--
			if a.err != nil {
				return a.err
			}
			r.record(a)
			if err := r.evaluate(ctx, a.i); err != nil {
				return err
			}
		case i := <-r.released:
			delete(r.gates, i)
			if r.sched.Release(i) {
				r.launch(ctx, i)
			}
		case e, ok := <-events:
			if !ok {
				return r.timeout(ctx)
			}
			switch e.Type {
			case event.ErrorEvent:
				return fmt.Errorf("watch status: %w", e.Error)
			case event.ResourceUpdateEvent:
				if err := r.observe(ctx, e.Resource); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// record notes an apply's outcome in the result and on progress.
func (r *schedRun) record(a appliedObject) {
	r.applied[a.i] = a.obj
	name := graph.NameOf(r.objs[a.i])
	r.res.setAction(name, a.action)
	if a.action != Unchanged {
		fmt.Fprintf(r.m.progress, "%s %s\n", name, a.action)
	}
}

// observe keeps the newest status event of an object and, once the object
// is applied, evaluates it.
func (r *schedRun) observe(ctx context.Context, rs *event.ResourceStatus) error {
	i, ok := r.index[rs.Identifier]
	if !ok || rs.Resource == nil {
		// Not one of ours, or not found: an apply creates it.
		return nil
	}
	if prev := r.last[i]; prev != nil && prev.Resource.GetGeneration() > rs.Resource.GetGeneration() {
		return nil
	}
	r.last[i] = rs
	if r.applied[i] == nil {
		return nil
	}
	return r.evaluate(ctx, i)
}

// evaluate computes the status of the i-th object, applied, from the
// newest of its watch event and its apply's answer: an event about a
// generation older than the apply's says nothing about what was applied.
// ACK kinds are computed again here, after the apply recorded its change
// (changes), since the watcher may have computed them before.
func (r *schedRun) evaluate(ctx context.Context, i int) error {
	if r.readyAt[i] != (time.Time{}) {
		return nil
	}
	u := r.applied[i]
	rs := r.last[i]
	if rs == nil || rs.Resource.GetGeneration() < u.GetGeneration() {
		var err error
		if rs, err = r.m.statusReader.ReadStatusForObject(ctx, r.m.clusterRead, u); err != nil {
			return fmt.Errorf("%s status: %w", graph.NameOf(u), err)
		}
	} else if IsACK(rs.Identifier.GroupKind) {
		res, err := r.m.changes.status(rs.Resource)
		if err != nil {
			return fmt.Errorf("%s status: %w", graph.NameOf(u), err)
		}
		rs = &event.ResourceStatus{Identifier: rs.Identifier, Resource: rs.Resource, Status: res.Status, Message: res.Message}
	}
	r.seen[i] = rs
	if err := r.w.update(rs); err != nil {
		return err
	}
	if rs.Status != status.CurrentStatus {
		return nil
	}
	r.readyAt[i] = r.m.now()
	if t := r.opts.Timings; t != nil {
		r.readyAt[i] = t.readied(graph.NameOf(r.objs[i]), r.readyAt[i], r.waitedFor(i))
	}
	r.readyN++
	if r.opts.OnReady != nil {
		r.opts.OnReady(r.objs[i])
	}
	for _, j := range r.sched.Ready(i) {
		r.launch(ctx, j)
	}
	return nil
}

// timeout lists what was applied and not ready when ctx ended, and counts
// what was never applied.
func (r *schedRun) timeout(ctx context.Context) error {
	te := &TimeoutError{}
	if cause := context.Cause(ctx); errors.Is(cause, ErrInterrupted) {
		te.Cause = cause
	} else if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return errors.New("watch status: the watch ended")
	}
	for i, u := range r.objs {
		switch rs := r.seen[i]; {
		case r.gates[i] != nil:
			te.Pending = append(te.Pending, fmt.Sprintf("%s: not applied, waiting for %s", graph.NameOf(u), strings.Join(r.gates[i].Waiting(), ", ")))
		case r.startedAt[i].IsZero():
			te.NotApplied++
		case rs == nil:
			te.Pending = append(te.Pending, graph.NameOf(u)+": not seen yet")
		case rs.Status != status.CurrentStatus:
			te.Pending = append(te.Pending, fmt.Sprintf("%s: %s: %s", graph.NameOf(u), rs.Status, rs.Message))
		}
	}
	sort.Strings(te.Pending)
	return te // Apply fills in the timeout
}

// PathStep is one object on the critical path of a run: when render
// applied it and when it was first seen ready.
type PathStep struct {
	Object       string
	Start, Ready time.Time
}

// waitedFor names what the i-th object, ready, waited for last: of the
// objects it depends on and what its gate held it for, the one ready
// last; "" for none.
func (r *schedRun) waitedFor(i int) string {
	name, at := "", time.Time{}
	for _, d := range r.g.Deps(i) {
		if t := r.readyAt[d]; !t.IsZero() && t.After(at) {
			name, at = graph.NameOf(r.objs[d]), t
		}
	}
	if g := r.gated[i]; g != nil && g.Last != nil && r.opts.Timings != nil {
		if last := g.Last(); last != "" {
			if t, ok := r.opts.Timings.ReadyAt(last); ok && t.After(at) {
				name = last
			}
		}
	}
	return name
}

// criticalPath is the chain of objects that decided how long the run
// took: the object ready last, the object it depends on that was ready
// last, and so on back to one that depends on nothing. With Timings it
// goes back through the earlier Applies of the run, and across clusters.
func (r *schedRun) criticalPath() []PathStep {
	cur := -1
	for i, t := range r.readyAt {
		if !t.IsZero() && (cur < 0 || t.After(r.readyAt[cur])) {
			cur = i
		}
	}
	if r.opts.Timings != nil {
		if cur < 0 {
			return nil
		}
		return r.opts.Timings.path(graph.NameOf(r.objs[cur]))
	}
	var path []PathStep
	for cur >= 0 {
		path = append(path, PathStep{Object: graph.NameOf(r.objs[cur]), Start: r.startedAt[cur], Ready: r.readyAt[cur]})
		next := -1
		for _, d := range r.g.Deps(cur) {
			if !r.readyAt[d].IsZero() && (next < 0 || r.readyAt[d].After(r.readyAt[next])) {
				next = d
			}
		}
		cur = next
	}
	for a, b := 0, len(path)-1; a < b; a, b = a+1, b-1 {
		path[a], path[b] = path[b], path[a]
	}
	return path
}

// pathString prints a path as "A (2s) -> B (4m12s)": each object with when
// it was ready, counted from start.
func pathString(path []PathStep, start time.Time) string {
	var s string
	for n, p := range path {
		if n > 0 {
			s += " -> "
		}
		s += fmt.Sprintf("%s (%s)", p.Object, formatDuration(p.Ready.Sub(start)))
	}
	return s
}

// stopWatch ends a watch: it cancels its context and drains its events in
// the background, so that the watcher can stop.
func stopWatch(cancel context.CancelFunc, events <-chan event.Event) {
	cancel()
	go func() {
		for range events {
		}
	}()
}

// watch watches objs: the cluster-scoped ones (Namespaces, ...) across the
// cluster, the others only in their namespaces, so that a run needs no
// cluster-wide list or watch of a namespaced kind and is not sent every
// other environment's objects. The channel closes once ctx ends.
func (m *Manager) watch(ctx context.Context, objs []*unstructured.Unstructured) <-chan event.Event {
	var cluster, namespaced object.ObjMetadataSet
	for _, u := range objs {
		if id := object.UnstructuredToObjMetadata(u); id.Namespace == "" {
			cluster = append(cluster, id)
		} else {
			namespaced = append(namespaced, id)
		}
	}
	out := make(chan event.Event)
	var wg sync.WaitGroup
	forward := func(ids object.ObjMetadataSet, scope kwatcher.RESTScopeStrategy) {
		if len(ids) == 0 {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range m.watcher.Watch(ctx, ids, kwatcher.Options{RESTScopeStrategy: scope}) {
				select {
				case out <- e:
				case <-ctx.Done():
				}
			}
		}()
	}
	forward(cluster, kwatcher.RESTScopeRoot)
	forward(namespaced, kwatcher.RESTScopeNamespace)
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
