package main

import (
	"bytes"
	"context"
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
