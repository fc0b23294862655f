package gcpolicy

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"
)

// Limit is the soft memory limit under which the collector stays off: far
// above what a short command allocates in all (`render gen` of the example
// 8 MB, a no-op apply 7 MB, `render build dev` 35 MB: none collects), and
// low enough that a configuration of 250 environments (about 250 MB
// allocated) collects once, at the limit, and then as Go does.
const Limit = 128 << 20

// defaultGCPercent is Go's GOGC when the environment sets none.
const defaultGCPercent = 100

// off is true while the collector is off by this package's choice.
var off atomic.Bool

func init() {
	Start(os.LookupEnv)
}

// Start turns the collector off under Limit, unless lookupEnv (os.LookupEnv
// in the binary) finds GOGC or GOMEMLIMIT set, and reports whether it did.
// The first collection (which only the limit triggers) restores Go's
// default, as Restore does.
func Start(lookupEnv func(string) (string, bool)) bool {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		if _, set := lookupEnv(v); set {
			return false
		}
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(Limit)
	off.Store(true)
	// The sentinel is unreachable at once; its cleanup runs after the
	// first collection that finds it so.
	runtime.AddCleanup(&sentinel{}, func(struct{}) { Restore() }, struct{}{})
	return true
}

// sentinel holds a pointer so that it is never a tiny allocation, whose
// cleanups may never run (runtime.AddCleanup).
type sentinel struct{ _ *byte }

// Restore gives the collector back Go's default (GOGC=100, no memory
// limit) if Start turned it off, and does nothing otherwise: a user's GOGC
// or GOMEMLIMIT stays as set. It is safe to call more than once and from
// any goroutine.
func Restore() {
	if off.CompareAndSwap(true, false) {
		debug.SetGCPercent(defaultGCPercent)
		debug.SetMemoryLimit(math.MaxInt64)
	}
}

// Off reports whether the collector is off by Start's choice.
func Off() bool {
	return off.Load()
}
