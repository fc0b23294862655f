package apply

import (
	"encoding/json"
	"sort"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/graph"
)

// Result is what Apply did and saw, for --output json.
type Result struct {
	mu      sync.Mutex
	objects map[string]*ObjectResult
	// workload is the result of applying to the new cluster, if render did.
	workload *Result
	hosts    map[string]string
	// deleted are the objects pruned, or deleted to be recreated.
	deleted []Pruned
}

func (r *Result) setPruned(p []Pruned) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deleted = append(r.deleted, p...)
}

// Deleted returns what pruning and recreation deleted or skipped.
func (r *Result) Deleted() []Pruned {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Pruned(nil), r.deleted...)
}

// SetWorkload records the result of applying the workload to the new
// cluster and the Ingress hostnames found.
func (r *Result) SetWorkload(w *Result, hosts map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.workload, r.hosts = w, hosts
}

// ObjectResult is one object's line in a Result.
type ObjectResult struct {
	// Object is Kind/namespace/name.
	Object string `json:"object"`
	// Action is created, configured, unchanged, or empty if not applied.
	Action string `json:"action,omitempty"`
	// Status is the last kstatus seen (Current, InProgress, Failed, ...),
	// empty if not waited for.
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
}

func newResult(objs []*unstructured.Unstructured) *Result {
	r := &Result{objects: map[string]*ObjectResult{}}
	for _, u := range objs {
		r.objects[graph.NameOf(u)] = &ObjectResult{Object: graph.NameOf(u)}
	}
	return r
}

func (r *Result) setAction(name, action string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if o, ok := r.objects[name]; ok {
		o.Action = action
	}
}

func (r *Result) setStatus(name, status, message string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if o, ok := r.objects[name]; ok {
		o.Status, o.Message = status, message
	}
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

// Changed counts the objects created or configured.
func (r *Result) Changed() int {
	n := 0
	for _, o := range r.Objects() {
		if o.Action == "created" || o.Action == "configured" {
			n++
		}
	}
	return n
}

// MarshalJSON writes {"changed": n, "ready": bool, "objects": [...]}.
func (r *Result) MarshalJSON() ([]byte, error) {
	objs := r.Objects()
	ready := true
	for _, o := range objs {
		ready = ready && o.Status == "Current"
	}
	r.mu.Lock()
	workload, hosts, deleted := r.workload, r.hosts, r.deleted
	r.mu.Unlock()
	return json.Marshal(struct {
		Changed  int               `json:"changed"`
		Ready    bool              `json:"ready"`
		Objects  []ObjectResult    `json:"objects"`
		Deleted  []Pruned          `json:"deleted,omitempty"`
		Workload *Result           `json:"workload,omitempty"`
		Hosts    map[string]string `json:"ingressHosts,omitempty"`
	}{r.Changed(), ready, objs, deleted, workload, hosts})
}
