package acksim

import (
	"container/heap"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/graph"
)

// Timeline plays, on a simulated clock, what AWS, the ACK controllers and
// Kubernetes do with objects applied at given times, under the latency
// model (latency.go): a ten-minute cluster takes no test time at all. It
// is the Sim's timing without the apiserver, for comparing who applies
// what when (render apply, kubectl apply -k, level by level).
//
// What happens to an applied object:
//   - An ACK object is created by its controller at the first try at which
//     everything it needs is ready; a try that finds a need not ready fails
//     and is retried after the runtime's back-off (Requeue: 5ms doubling to
//     1000s, counted per object). A Fargate profile tried while another of
//     its cluster is being created fails the same way (EKS's
//     ResourceInUseException, not terminal in the eks-controller).
//   - Any other object (Kubernetes on the new cluster) is reconciled as soon
//     as what it needs is ready: its controllers are driven by events.
//   - Either is ready its create latency after creation starts.
type Timeline struct {
	nodes []tnode
	now   time.Duration
	queue eventQueue
	seq   int
	// OnReady, if set, is called each time an object becomes ready, and
	// when an object already ready is applied again (at once, as a watch
	// shows it ready).
	OnReady func(i int)
}

// TimelineNode is one object of a Timeline and the objects (indexes) it
// needs ready before its resource can be created.
type TimelineNode struct {
	Object *unstructured.Unstructured
	Needs  []int
}

type tnode struct {
	TimelineNode
	ack      bool
	profile  string // the cluster of a Fargate profile
	latency  time.Duration
	applied  bool
	creating bool
	ready    bool
	waiting  bool // a Kubernetes object applied, waiting for needs
	failures int
	appliedAt,
	readyAt time.Duration
	cause int
}

// NewTimeline returns a Timeline of nodes at time zero, nothing applied.
func NewTimeline(nodes []TimelineNode) *Timeline {
	tl := &Timeline{}
	for _, n := range nodes {
		u := n.Object
		gk := u.GroupVersionKind().GroupKind()
		tn := tnode{TimelineNode: n, ack: ack.IsGroup(gk.Group), latency: LatencyOf(gk).Create, cause: -1}
		if gk.Group == ack.EKSGroup && gk.Kind == "FargateProfile" {
			tn.profile = graph.ClusterOf(u)
		}
		tl.nodes = append(tl.nodes, tn)
	}
	return tl
}

// Now is the simulated time.
func (tl *Timeline) Now() time.Duration { return tl.now }

// Apply applies the i-th object now; cause names the object whose
// readiness made the caller apply it (-1 for none), for CriticalPath. An
// object applied again changes nothing; if it is ready, OnReady hears so.
func (tl *Timeline) Apply(i, cause int) {
	n := &tl.nodes[i]
	if n.applied {
		if n.ready {
			tl.at(tl.now, func() { tl.notify(i) })
		}
		return
	}
	n.applied, n.appliedAt, n.cause = true, tl.now, cause
	tl.at(tl.now, func() { tl.try(i) })
}

// After calls fn at now+d.
func (tl *Timeline) After(d time.Duration, fn func()) { tl.at(tl.now+d, fn) }

// Run plays events until none is left.
func (tl *Timeline) Run() {
	for tl.queue.Len() > 0 {
		e := heap.Pop(&tl.queue).(event)
		tl.now = e.at
		e.fn()
	}
}

// ReadyAt returns when the i-th object became ready, and whether it did.
func (tl *Timeline) ReadyAt(i int) (time.Duration, bool) {
	return tl.nodes[i].readyAt, tl.nodes[i].ready
}

// CriticalPath returns the chain of objects that decided when the i-th
// became ready: it, the object whose readiness let it start (applied, or
// created), and so on back; first the start of the chain.
func (tl *Timeline) CriticalPath(i int) []int {
	var path []int
	for seen := map[int]bool{}; i >= 0 && !seen[i]; i = tl.nodes[i].cause {
		seen[i] = true
		path = append([]int{i}, path...)
	}
	return path
}

// try creates the i-th object's resource if it can, else retries it (ACK)
// or waits for its needs (Kubernetes).
func (tl *Timeline) try(i int) {
	n := &tl.nodes[i]
	if n.creating || n.ready {
		return
	}
	last, ok := tl.needsReady(i)
	if ok && n.profile != "" && tl.profileCreating(i) {
		ok = false
	}
	if !ok {
		if n.ack {
			n.failures++
			tl.at(tl.now+Requeue(n.failures), func() { tl.try(i) })
		} else {
			n.waiting = true
		}
		return
	}
	if last >= 0 && tl.nodes[last].readyAt > n.appliedAt {
		// What it needed became ready after it was applied: that decided.
		n.cause = last
	}
	n.creating, n.waiting = true, false
	tl.at(tl.now+n.latency, func() { tl.becomeReady(i) })
}

// needsReady reports whether every need of i is ready, and the need ready
// last.
func (tl *Timeline) needsReady(i int) (int, bool) {
	last := -1
	for _, j := range tl.nodes[i].Needs {
		if !tl.nodes[j].ready {
			return -1, false
		}
		if last < 0 || tl.nodes[j].readyAt > tl.nodes[last].readyAt {
			last = j
		}
	}
	return last, true
}

// profileCreating reports whether another Fargate profile of i's cluster
// is being created.
func (tl *Timeline) profileCreating(i int) bool {
	for j, o := range tl.nodes {
		if j != i && o.creating && o.profile == tl.nodes[i].profile {
			return true
		}
	}
	return false
}

func (tl *Timeline) becomeReady(i int) {
	n := &tl.nodes[i]
	n.creating, n.ready, n.readyAt = false, true, tl.now
	for j := range tl.nodes {
		if tl.nodes[j].waiting {
			tl.try(j)
		}
	}
	tl.notify(i)
}

func (tl *Timeline) notify(i int) {
	if tl.OnReady != nil {
		tl.OnReady(i)
	}
}

func (tl *Timeline) at(t time.Duration, fn func()) {
	tl.seq++
	heap.Push(&tl.queue, event{at: t, seq: tl.seq, fn: fn})
}

// event is something that happens at a simulated time; seq keeps events
// of the same time in the order they were made.
type event struct {
	at  time.Duration
	seq int
	fn  func()
}

type eventQueue []event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(a, b int) bool {
	if q[a].at != q[b].at {
		return q[a].at < q[b].at
	}
	return q[a].seq < q[b].seq
}
func (q eventQueue) Swap(a, b int) { q[a], q[b] = q[b], q[a] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
