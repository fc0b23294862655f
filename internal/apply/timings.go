package apply

import (
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
		s = &timing{}
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
	}
	return s.ready
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
