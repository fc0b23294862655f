package gcpolicy

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// settings reads the collector's GOGC and memory limit without changing them.
func settings() (percent int, limit int64) {
	percent = debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

// env is a lookupEnv that finds only vars.
func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

// reset gives the test Go's defaults (the package's init turned the
// collector off in this test binary too) and restores them afterwards.
func reset(t *testing.T) {
	Restore()
	t.Cleanup(Restore)
	if p, l := settings(); p != defaultGCPercent || l != math.MaxInt64 {
		t.Skipf("the environment sets the collector (GOGC=%d, memory limit %d); these tests need Go's defaults", p, l)
	}
}

func TestStart(t *testing.T) {
	t.Run("turns the collector off under the limit", func(t *testing.T) {
		reset(t)
		if !Start(env(nil)) || !Off() {
			t.Fatal("Start did not turn the collector off")
		}
		if p, l := settings(); p != -1 || l != Limit {
			t.Errorf("GOGC=%d, limit %d; want -1 (off), %d", p, l, Limit)
		}
	})
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run("leaves the runtime alone when the user sets "+v, func(t *testing.T) {
			reset(t)
			if Start(env(map[string]string{v: "200"})) || Off() {
				t.Fatalf("Start turned the collector off although %s is set", v)
			}
			if p, l := settings(); p != defaultGCPercent || l != math.MaxInt64 {
				t.Errorf("GOGC=%d, limit %d; want Go's defaults untouched", p, l)
			}
		})
	}
	t.Run("gives Go's default back at the first collection", func(t *testing.T) {
		reset(t)
		Start(env(nil))
		runtime.GC()
		for deadline := time.Now().Add(10 * time.Second); Off() && time.Now().Before(deadline); {
			runtime.GC()
			time.Sleep(10 * time.Millisecond)
		}
		if p, l := settings(); Off() || p != defaultGCPercent || l != math.MaxInt64 {
			t.Errorf("after a collection: off %v, GOGC=%d, limit %d; want Go's defaults", Off(), p, l)
		}
	})
}

func TestRestore(t *testing.T) {
	t.Run("gives Go's default back", func(t *testing.T) {
		reset(t)
		Start(env(nil))
		Restore()
		if p, l := settings(); Off() || p != defaultGCPercent || l != math.MaxInt64 {
			t.Errorf("off %v, GOGC=%d, limit %d; want Go's defaults", Off(), p, l)
		}
	})
	t.Run("never undoes a setting it did not make", func(t *testing.T) {
		reset(t)
		old := debug.SetGCPercent(300)
		defer debug.SetGCPercent(old)
		Restore()
		if p, _ := settings(); p != 300 {
			t.Errorf("GOGC=%d after Restore; want 300, as set", p)
		}
	})
}
