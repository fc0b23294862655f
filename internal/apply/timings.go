package apply

import (
	"context"
	"sync"
	"time"
)

// Timings carries, from one Apply of a run to the next and from one
// cluster's to the other's, when the run began and, per object, when it
// was applied, when it was first seen ready and what it waited for last:
// render apply hands the first phase over to the whole rendering and
// applies the workload while the management cluster converges, and the
// critical path of a run is the chain through all of them. Progress
// durations count from the run's beginning. Objects are told apart by
// Kind/namespace/name alone: the two clusters' objects do not share
// namespaces. Only reports read it; readiness never comes from it.
type Timings struct {
	began time.Time
	mu    sync.Mutex
	steps map[string]*timing
}

type timing struct {
	start, ready time.Time
	after        string
	// done closes when the object is first seen ready.
	done chan struct{}
}

// NewTimings returns the Timings of a run that began at began.
func NewTimings(began time.Time) *Timings {
	return &Timings{began: began, steps: map[string]*timing{}}
}

// Began is when the run began.
func (t *Timings) Began() time.Time { return t.began }

func (t *Timings) step(name string) *timing {
	s, ok := t.steps[name]
	if !ok {
		s = &timing{done: make(chan struct{})}
		t.steps[name] = s
	}
	return s
}

// started notes name applied at, unless it was before, and returns when
// it first was.
func (t *Timings) started(name string, at time.Time) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.step(name)
	if s.start.IsZero() {
		s.start = at
	}
	return s.start
}

// readied notes name first seen ready at, after waiting last for the
// object named after ("" for none), unless it was before, and returns
// when it first was.
func (t *Timings) readied(name string, at time.Time, after string) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.step(name)
	if s.ready.IsZero() {
		s.ready, s.after = at, after
		close(s.done)
	}
	return s.ready
}

// Gate is a Gate that opens once every one of names (objects of another
// Apply of the run, on another cluster) is seen ready, until ctx ends;
// nil for no names. Waiting says where they are ("on the management
// cluster").
func (t *Timings) Gate(ctx context.Context, names []string, where string) *Gate {
	if len(names) == 0 {
		return nil
	}
	t.mu.Lock()
	done := make([]chan struct{}, len(names))
	for n, name := range names {
		done[n] = t.step(name).done
	}
	t.mu.Unlock()
	open := make(chan struct{})
	go func() {
		for _, d := range done {
			select {
			case <-d:
			case <-ctx.Done():
				return
			}
		}
		close(open)
	}()
	return &Gate{Open: open, Waiting: func() []string {
		var out []string
		for n, d := range done {
			select {
			case <-d:
			default:
				out = append(out, names[n]+" "+where)
			}
		}
		return out
	}, Last: func() string {
		last, at := "", time.Time{}
		for _, name := range names {
			if r, ok := t.ReadyAt(name); ok && r.After(at) {
				last, at = name, r
			}
		}
		return last
	}}
}

// ReadyAt returns when name was first seen ready, and whether it was.
func (t *Timings) ReadyAt(name string) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.steps[name]
	return s.readyOrZero(), ok && !s.ready.IsZero()
}

func (s *timing) readyOrZero() time.Time {
	if s == nil {
		return time.Time{}
	}
	return s.ready
}

// path is the chain that ends with name: it, what it waited for last, and
// so on back; first the start of the chain.
func (t *Timings) path(name string) []PathStep {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []PathStep
	for seen := map[string]bool{}; name != "" && !seen[name]; {
		seen[name] = true
		s, ok := t.steps[name]
		if !ok || s.ready.IsZero() {
			break
		}
		out = append([]PathStep{{Object: name, Start: s.start, Ready: s.ready}}, out...)
		name = s.after
	}
	return out
}
