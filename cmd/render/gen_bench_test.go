package main

import (
	"bytes"
	"context"
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

// BenchmarkGen is `render gen` minus process start: Main "gen" in a temp
// tree holding the repository's platform.yaml, every environment, nothing
// changed after the first run (the common case in CI and pre-commit hooks).
// Profile it with -cpuprofile to see where gen's own time goes (issue 32).
func BenchmarkGen(b *testing.B) {
	b.Chdir(project(b))
	gen := func() {
		var out, errOut bytes.Buffer
		streams := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Now: pinnedNow}
		if code := Main(context.Background(), []string{"gen"}, streams); code != 0 {
			b.Fatalf("render gen: exit %d: %s", code, errOut.String())
		}
	}
	gen()
	for b.Loop() {
		gen()
	}
}

// TestGenCollectsLess: render gen raises the collector's target, which
// GOGC overrides.
func TestGenCollectsLess(t *testing.T) {
	restore := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(restore) })
	dir := project(t)
	t.Run("sets the collector's target without GOGC", func(t *testing.T) {
		t.Setenv("GOGC", "") // restored after the test
		os.Unsetenv("GOGC")
		if code, _, errOut := run(t, dir, "gen"); code != 0 {
			t.Fatal(errOut)
		}
		if got := debug.SetGCPercent(100); got != genGCPercent {
			t.Errorf("GC percent after render gen = %d; want %d", got, genGCPercent)
		}
	})
	t.Run("leaves it to GOGC", func(t *testing.T) {
		t.Setenv("GOGC", "100")
		if code, _, errOut := run(t, dir, "gen", "--check"); code != 0 {
			t.Fatal(errOut)
		}
		if got := debug.SetGCPercent(100); got != 100 {
			t.Errorf("GC percent after render gen with GOGC=100 = %d; want 100", got)
		}
	})
}
