package graph

// Schedule starts each object of a graph the moment everything it depends
// on is ready, instead of level by level: an object never waits for an
// unrelated slow sibling of what it needs. It holds no clock and does no
// I/O: the applier feeds it readiness seen on the cluster, a benchmark
// feeds it readiness from a latency model, and both get the same order.
// Indexes are those of the objects given to New.
type Schedule struct {
	// waiting counts, per object, the dependencies not ready yet.
	waiting []int
	// dependents lists, per object, the objects that depend on it.
	dependents [][]int
	ready      []bool
}

// Schedule returns a fresh schedule of g.
func (g *Graph) Schedule() *Schedule {
	s := &Schedule{waiting: make([]int, len(g.objs)), dependents: make([][]int, len(g.objs)), ready: make([]bool, len(g.objs))}
	for i := range g.objs {
		for _, j := range g.deps[i] {
			s.waiting[i]++
			s.dependents[j] = append(s.dependents[j], i)
		}
	}
	return s
}

// Deps returns the indexes of the objects the i-th object depends on.
func (g *Graph) Deps(i int) []int { return g.deps[i] }

// Start returns the objects that depend on nothing: those to start first.
func (s *Schedule) Start() []int {
	var out []int
	for i, n := range s.waiting {
		if n == 0 {
			out = append(out, i)
		}
	}
	return out
}

// Ready marks the i-th object ready and returns the objects that this
// made startable, in index order. Marking an object twice returns nothing
// the second time.
func (s *Schedule) Ready(i int) []int {
	if s.ready[i] {
		return nil
	}
	s.ready[i] = true
	var out []int
	for _, d := range s.dependents[i] {
		if s.waiting[d]--; s.waiting[d] == 0 {
			out = append(out, d)
		}
	}
	return out
}

// Hold keeps the i-th object from starting until Release: it needs
// something the graph does not hold (an object on another cluster). Call
// it before Start; each Hold needs its own Release.
func (s *Schedule) Hold(i int) { s.waiting[i]++ }

// Release ends one Hold of the i-th object and reports whether that made
// it startable: everything it depends on is ready and nothing holds it.
func (s *Schedule) Release(i int) bool {
	s.waiting[i]--
	return s.waiting[i] == 0 && !s.ready[i]
}

// IsReady reports whether the i-th object was marked ready.
func (s *Schedule) IsReady(i int) bool { return s.ready[i] }
