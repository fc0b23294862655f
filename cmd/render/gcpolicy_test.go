package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eks-render/render/internal/gcpolicy"
)

// gcCycle is one line of GODEBUG=gctrace=1: the heap at the cycle's
// start, the live heap it left, and its goal, in MB.
type gcCycle struct{ start, live, goal int }

// gcTrace runs the render binary in dir with GODEBUG=gctrace=1, without
// the caller's GOGC and GOMEMLIMIT, plus extraEnv, and returns its cycles;
// the run must exit with wantCode.
// gcHeap is a gctrace line's heap figures: start->end->live MB, goal.
var gcHeap = regexp.MustCompile(`(\d+)->\d+->(\d+) MB, (\d+) MB goal`)

func gcTrace(t *testing.T, dir string, extraEnv []string, wantCode int, args ...string) []gcCycle {
	t.Helper()
	cmd := exec.Command(renderBinary(t), args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "GOGC" && k != "GOMEMLIMIT" && k != "GODEBUG" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, "GODEBUG=gctrace=1"), extraEnv...)
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != wantCode {
		t.Fatalf("render %s exited %d, want %d:\n%s", strings.Join(args, " "), code, wantCode, out)
	}
	// gc 1 @0.173s 3%: ... ms cpu, 107->112->15 MB, 110 MB goal, ...
	// The runtime prints a trace line in pieces, to the stderr render
	// writes its own lines to, so one of render's lines can land inside
	// it ("gc not rendered yet: ..."): each cycle is found by its heap
	// figures, wherever they are.
	var cycles []gcCycle
	for _, m := range gcHeap.FindAllStringSubmatch(string(out), -1) {
		var c gcCycle
		var err1, err2, err3 error
		c.start, err1 = strconv.Atoi(m[1])
		c.live, err2 = strconv.Atoi(m[2])
		c.goal, err3 = strconv.Atoi(m[3])
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatalf("gctrace %q: %v", m[0], err)
		}
		cycles = append(cycles, c)
	}
	return cycles
}

func TestCollectorPolicyInTheBinary(t *testing.T) {
	dir := project(t)
	// The cluster commands talk to an apiserver that answers every request
	// after 100 ms with 503, and fail after choosing: Go's default
	// collector, given back to a heap of several MB, collects while they
	// wait; off, it never does.
	unavailable := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
	}))
	defer unavailable.Close()
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "`+unavailable.URL+`"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		code    int
		args    []string
		collect bool
	}{
		{"gen never collects", 0, []string{"gen"}, false},
		{"version never collects", 0, []string{"version"}, false},
		{"apply --wait=false never collects", 1, []string{"apply", "dev", "--wait=false", "--kubeconfig", kubeconfig}, false},
		{"apply that waits collects", 1, []string{"apply", "dev", "--kubeconfig", kubeconfig}, true},
		{"delete that waits collects", 1, []string{"delete", "dev", "--yes", "--kubeconfig", kubeconfig}, true},
		{"delete --wait=false never collects", 1, []string{"delete", "dev", "--yes", "--wait=false", "--kubeconfig", kubeconfig}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if c := gcTrace(t, dir, nil, tt.code, tt.args...); (len(c) > 0) != tt.collect {
				t.Errorf("render %s collected %d times, want collect = %v: %v", strings.Join(tt.args, " "), len(c), tt.collect, c)
			}
		})
	}
	t.Run("the user's GOGC is obeyed", func(t *testing.T) {
		if c := gcTrace(t, dir, []string{"GOGC=50"}, 0, "gen"); len(c) == 0 {
			t.Error("render gen with GOGC=50 never collected")
		}
	})
	t.Run("the user's GOMEMLIMIT is obeyed", func(t *testing.T) {
		if c := gcTrace(t, dir, []string{"GOMEMLIMIT=1GiB"}, 0, "gen"); len(c) == 0 {
			t.Error("render gen with GOMEMLIMIT=1GiB (and GOGC's default) never collected")
		}
	})
	t.Run("250 environments collect once at the limit, then as Go does", func(t *testing.T) {
		// gen of 100 environments allocates less than the limit now
		// (yamlemit); 250 allocate about twice the limit.
		var b strings.Builder
		b.WriteString("apiVersion: platform.eks-render.dev/v1alpha1\nkind: Platform\nspec:\n  name: many\n" +
			"  cluster: {admins: [arn:aws:iam::111122223333:role/Admin]}\nenvironments:\n")
		for i := range 250 {
			fmt.Fprintf(&b, "  e%03d: {network: {vpcCIDR: 10.%d.0.0/16, azCount: %d}}\n", i, i, 2+i%3)
		}
		big := t.TempDir()
		if err := os.WriteFile(filepath.Join(big, "platform.yaml"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		c := gcTrace(t, big, nil, 0, "gen")
		limitMB := gcpolicy.Limit >> 20
		if len(c) < 2 {
			t.Fatalf("render gen of 250 environments collected %d times (%v); want once at the limit, then as Go does", len(c), c)
		}
		for _, cy := range c {
			if cy.start > limitMB {
				t.Errorf("a cycle started with %d MB of heap, over the limit of %d MB: %v", cy.start, limitMB, c)
			}
		}
		if c[0].goal < limitMB/2 {
			t.Errorf("the first cycle's goal is %d MB; want it near the limit (%d MB): %v", c[0].goal, limitMB, c)
		}
		// Then GOGC=100 and no limit: each goal is twice the live heap the
		// cycle before left, plus the stacks and globals GOGC counts and the
		// trace's rounding to MB (4 MB in all; seen: 40 MB after 19 MB
		// live), not the limit's (75 MB after 31 MB live without the
		// restore).
		for i := 1; i < len(c); i++ {
			if want := 2*c[i-1].live + 4; c[i].goal > want {
				t.Errorf("cycle %d's goal is %d MB, over GOGC=100's %d MB (2 x %d MB live): %v", i+1, c[i].goal, want, c[i-1].live, c)
			}
		}
	})
}
