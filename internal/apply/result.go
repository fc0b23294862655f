package apply

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/graph"
)

// Result is what a run did and saw on one cluster, for --output json and
// the summary line: every object once, with its final action. A run of
// several Apply calls (the two phases of render apply) folds their results
// into one with Absorb.
type Result struct {
	mu      sync.Mutex
	objects map[string]*ObjectResult
	// workload is the result of applying to the new cluster, if render did.
	workload *Result
	hosts    map[string]string
	// urls are the Ingresses' addresses, https:// where they serve TLS.
	urls map[string]string
	// skipped are the members pruning left alone.
	skipped []Deletion
	// recreating are the objects deleted to be created again.
	recreating map[string]bool
	// lock is what the run did to lock the cluster, if it did.
	lock *LockReport
	// refused says why the run, or its prune, was refused.
	refused string
	// upgrade are the steps of a Kubernetes version upgrade, in order.
	upgrade []UpgradeStep
	// path is the critical path of the run: the chain of objects that
	// decided how long waiting took, phase after phase.
	path []PathStep
}

// UpgradeStep is one step of a Kubernetes version upgrade: the control
// plane, the add-ons, the node groups, or the restart of the workload's
// Deployments on Fargate.
type UpgradeStep struct {
	Step string `json:"step"`
	// Changes say what the step changes, one line per object:
	// "Cluster/ns/demo 1.34 -> 1.35".
	Changes []string `json:"changes"`
	// Done is true once the step has finished (waited for).
	Done bool `json:"done"`
	// Seconds is how long the step took, waiting included.
	Seconds float64 `json:"seconds,omitempty"`
}

// AddUpgradeStep records a step of a version upgrade, or updates the last
// one of the same name.
func (r *Result) AddUpgradeStep(s UpgradeStep) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.upgrade); n > 0 && r.upgrade[n-1].Step == s.Step {
		r.upgrade[n-1] = s
		return
	}
	r.upgrade = append(r.upgrade, s)
}

// Upgrade returns the upgrade steps recorded, in order.
func (r *Result) Upgrade() []UpgradeStep {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]UpgradeStep(nil), r.upgrade...)

}

// addCriticalPath appends the critical path of an Apply to the run's.
func (r *Result) addCriticalPath(p []PathStep) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.path = append(r.path, p...)
}

// CriticalPath returns the chain of objects that decided how long the run
// waited: per Apply, the object ready last, what it depended on that was
// ready last, and so on; the Applies of a run (its phases) one after the
// other.
func (r *Result) CriticalPath() []PathStep {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]PathStep(nil), r.path...)
}

// pathJSON is a step of the critical path in --output json: seconds since
// the path's first start, to the hundredth.
type pathJSON struct {
	Object       string  `json:"object"`
	StartSeconds float64 `json:"startSeconds"`
	ReadySeconds float64 `json:"readySeconds"`
}

func criticalPathJSON(path []PathStep) []pathJSON {
	if len(path) == 0 {
		return nil
	}
	t0 := path[0].Start
	out := make([]pathJSON, len(path))
	for n, p := range path {
		out[n] = pathJSON{p.Object, seconds(p.Start.Sub(t0)), seconds(p.Ready.Sub(t0))}
	}
	return out
}

func seconds(d time.Duration) float64 {
	return float64(d.Round(10*time.Millisecond).Milliseconds()) / 1000
}

// SetRefused records why the run, or its prune, was refused.
func (r *Result) SetRefused(reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refused = reason
}

// NewResult returns an empty Result, for a run that applied nothing.
func NewResult() *Result { return newResult(nil) }

// SetLock records the run's lock on this cluster.
func (r *Result) SetLock(l LockReport) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lock = &l
}

// ObjectResult is one object's line in a Result.
type ObjectResult struct {
	// Object is Kind/namespace/name.
	Object string `json:"object"`
	// Action is created, configured, unchanged, recreated or pruned; empty
	// if not applied.
	Action string `json:"action,omitempty"`
	// Status is the last kstatus seen (Current, InProgress, Failed, ...),
	// empty if not waited for.
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	// Retained is true for a pruned object whose AWS resource stays.
	Retained bool `json:"retained,omitempty"`
}

// Counts are how many objects ended with each action.
type Counts struct {
	Created    int `json:"created"`
	Configured int `json:"configured"`
	Unchanged  int `json:"unchanged"`
	Recreated  int `json:"recreated"`
	Pruned     int `json:"pruned"`
}

// Changed is how many objects the run changed: all but the unchanged.
func (c Counts) Changed() int { return c.Created + c.Configured + c.Recreated + c.Pruned }

// Summary says how many objects the run covered and what it did to
// them, on both clusters: "34 objects, 30 changed (26 created, 4
// configured)".
func (r *Result) Summary() string {
	c := r.Counts()
	s := fmt.Sprintf("%d objects, %d changed", r.Len(), c.Changed())
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{c.Created, Created}, {c.Configured, Configured}, {c.Recreated, Recreated}, {c.Pruned, Pruned}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

func (c Counts) add(o Counts) Counts {
	return Counts{c.Created + o.Created, c.Configured + o.Configured, c.Unchanged + o.Unchanged,
		c.Recreated + o.Recreated, c.Pruned + o.Pruned}
}

func newResult(objs []*unstructured.Unstructured) *Result {
	r := &Result{objects: map[string]*ObjectResult{}, recreating: map[string]bool{}}
	for _, u := range objs {
		r.objects[graph.NameOf(u)] = &ObjectResult{Object: graph.NameOf(u)}
	}
	return r
}

// setPruned records what pruning did: the objects deleted end as pruned,
// those left alone are listed as skipped.
func (r *Result) setPruned(p []Deletion) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range p {
		if d.Action != Deleted {
			r.skipped = append(r.skipped, d)
			continue
		}
		r.objects[d.Object] = &ObjectResult{Object: d.Object, Action: Pruned, Retained: d.Retained}
	}
}

// setRecreating records the objects deleted to be created again: applying
// them next is recreating them.
func (r *Result) setRecreating(names []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range names {
		r.recreating[n] = true
	}
}

// Skipped returns the members pruning left alone.
func (r *Result) Skipped() []Deletion {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Deletion(nil), r.skipped...)
}

// SetWorkload records the result of applying the workload to the new
// cluster, the Ingress hostnames found and their addresses (IngressURLs).
func (r *Result) SetWorkload(w *Result, hosts, urls map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.workload, r.hosts, r.urls = w, hosts, urls
}

func (r *Result) setAction(name, action string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.objects[name]
	if !ok {
		return
	}
	if action == Created && r.recreating[name] {
		action = Recreated
	}
	o.Action = action
}

func (r *Result) setStatus(name, status, message string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if o, ok := r.objects[name]; ok {
		o.Status, o.Message = status, message
	}
}

// Absorb folds later, the result of a later Apply in the same run (the
// second phase), into r: an object both applied keeps the action that says
// most about the run (created or recreated, then configured, then
// unchanged) and later's status; what only later has is added.
func (r *Result) Absorb(later *Result) {
	if later == nil || later == r {
		return
	}
	later.mu.Lock()
	objs := make([]ObjectResult, 0, len(later.objects))
	for _, o := range later.objects {
		objs = append(objs, *o)
	}
	skipped := append([]Deletion(nil), later.skipped...)
	workload, hosts, urls, lock, refused := later.workload, later.hosts, later.urls, later.lock, later.refused
	upgrade := append([]UpgradeStep(nil), later.upgrade...)
	path := append([]PathStep(nil), later.path...)
	later.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.upgrade = append(r.upgrade, upgrade...)
	r.path = append(r.path, path...)
	for _, o := range objs {
		cur, ok := r.objects[o.Object]
		if !ok {
			r.objects[o.Object] = &o
			continue
		}
		if rank(o.Action) > rank(cur.Action) {
			cur.Action = o.Action
		}
		cur.Retained = o.Retained
		if o.Status != "" || o.Action != "" {
			cur.Status, cur.Message = o.Status, o.Message
		}
	}
	r.skipped = append(r.skipped, skipped...)
	if workload != nil {
		r.workload, r.hosts, r.urls = workload, hosts, urls
	}
	if lock != nil {
		r.lock = lock
	}
	if refused != "" {
		r.refused = refused
	}
}

// rank orders actions by how much they say about a run.
func rank(action string) int {
	switch action {
	case Created, Recreated, Pruned:
		return 3
	case Configured:
		return 2
	case Unchanged:
		return 1
	}
	return 0
}

// Objects returns every object's result, sorted by name.
func (r *Result) Objects() []ObjectResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]ObjectResult, 0, len(r.objects))
	for _, o := range r.objects {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Object < out[j].Object })
	return out
}

// readyCount returns how many objects are Current, and how many there are.
func (r *Result) readyCount() (ready, total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, o := range r.objects {
		if o.Status == "Current" {
			ready++
		}
	}
	return ready, len(r.objects)
}

// Counts counts the objects by final action, on this cluster and on the
// new cluster (the workload) together.
func (r *Result) Counts() Counts {
	c := r.own()
	r.mu.Lock()
	w := r.workload
	r.mu.Unlock()
	if w != nil {
		c = c.add(w.Counts())
	}
	return c
}

// own counts this cluster's objects by final action.
func (r *Result) own() Counts {
	var c Counts
	for _, o := range r.Objects() {
		switch o.Action {
		case Created:
			c.Created++
		case Configured:
			c.Configured++
		case Unchanged:
			c.Unchanged++
		case Recreated:
			c.Recreated++
		case Pruned:
			c.Pruned++
		}
	}
	return c
}

// Changed counts the objects the run changed, workload included.
func (r *Result) Changed() int { return r.Counts().Changed() }

// Len counts the objects, workload included.
func (r *Result) Len() int {
	r.mu.Lock()
	n, w := len(r.objects), r.workload
	r.mu.Unlock()
	if w != nil {
		n += w.Len()
	}
	return n
}

// MarshalJSON writes {"changed": n, "counts": {...}, "ready": bool,
// "objects": [...], "skipped": [...], "workload": {...}}: changed and
// counts cover the workload too, objects this cluster's.
func (r *Result) MarshalJSON() ([]byte, error) {
	objs := r.Objects()
	// A run refused before it applied anything made nothing ready.
	ready := len(objs) > 0
	for _, o := range objs {
		ready = ready && (o.Status == "Current" || o.Action == Pruned)
	}
	counts := r.Counts()
	r.mu.Lock()
	workload, hosts, urls, skipped, lock, refused, upgrade := r.workload, r.hosts, r.urls, r.skipped, r.lock, r.refused, r.upgrade
	path := criticalPathJSON(r.path)
	r.mu.Unlock()
	return json.Marshal(struct {
		Changed  int               `json:"changed"`
		Counts   Counts            `json:"counts"`
		Ready    bool              `json:"ready"`
		Lock     *LockReport       `json:"lock,omitempty"`
		Refused  string            `json:"refused,omitempty"`
		Upgrade  []UpgradeStep     `json:"upgrade,omitempty"`
		Objects  []ObjectResult    `json:"objects"`
		Skipped  []Deletion        `json:"skipped,omitempty"`
		Workload *Result           `json:"workload,omitempty"`
		Hosts    map[string]string `json:"ingressHosts,omitempty"`
		URLs     map[string]string `json:"ingressURLs,omitempty"`
		Path     []pathJSON        `json:"criticalPath,omitempty"`
	}{counts.Changed(), counts, ready, lock, refused, upgrade, objs, skipped, workload, hosts, urls, path})
}
