package apply_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/apply"
)

func throughFaults(t *testing.T, f *apitest.Faults) (*apply.Manager, *bytes.Buffer) {
	t.Helper()
	var progress bytes.Buffer
	m, err := apply.NewManager(f.Config, apply.ManagerOptions{Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	return m, &progress
}

func patchOf(resource string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return r.Method == http.MethodPatch && strings.Contains(r.URL.Path, "/"+resource+"/")
	}
}

// converges applies objs directly twice: the first run succeeds, the
// second changes nothing.
func converges(t *testing.T, ns string) {
	t.Helper()
	objs := devObjects(t, ns)
	m, progress := newManager(t)
	if _, err := m.Apply(t.Context(), objs, noWait()); err != nil {
		t.Fatalf("rerun: %v\n%s", err, progress)
	}
	res, err := m.Apply(t.Context(), objs, noWait())
	if err != nil || res.Changed() != 0 {
		t.Fatalf("second rerun: %v, %d changed", err, res.Changed())
	}
}

// TestApplyNamesTheObjectsAServerErrorHit: an apiserver answering 500 to
// the subnets' applies fails the run with one error per subnet, naming it
// and carrying the apiserver's message; the other objects are applied, and
// the next run converges.
func TestApplyNamesTheObjectsAServerErrorHit(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	f := env.NewFaults(t)
	f.Fail("subnets", patchOf("subnets"), http.StatusInternalServerError, "etcdserver: request timed out", 0, nil)
	m, progress := throughFaults(t, f)
	res, err := m.Apply(t.Context(), devObjects(t, ns), noWait())
	if err == nil {
		t.Fatalf("Apply through a failing apiserver succeeded:\n%s", progress)
	}
	for _, name := range []string{"private-a", "private-b", "public-a", "public-b"} {
		want := "Subnet/" + ns + "/" + name + " apply failed: etcdserver: request timed out"
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Count(err.Error(), "apply failed") != 4 {
		t.Errorf("want exactly the four subnets failed:\n%v", err)
	}
	if got := res.Changed(); got != len(devObjects(t, ns))-4 {
		t.Errorf("%d objects applied around the failures, want all but the subnets", got)
	}
	converges(t, ns)
}

// TestApplyRidesOutThrottling: 429 with Retry-After, as an overloaded
// apiserver or priority and fairness answers, is retried by the client and
// the run succeeds.
func TestApplyRidesOutThrottling(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	f := env.NewFaults(t)
	f.Fail("throttle", patchOf("vpcs"), http.StatusTooManyRequests, "too many requests, please try again later", 2, http.Header{"Retry-After": {"1"}})
	m, progress := throughFaults(t, f)
	if _, err := m.Apply(t.Context(), devObjects(t, ns), noWait()); err != nil {
		t.Fatalf("Apply: %v\n%s", err, progress)
	}
	if f.Hits("throttle") != 2 {
		t.Errorf("throttled %d times, want 2", f.Hits("throttle"))
	}
	converges(t, ns)
}

// TestApplyAgainstASlowAPIServer: when every request takes longer than the
// run may, it ends with the deadline named, without a panic or a hang, and
// the next run converges.
func TestApplyAgainstASlowAPIServer(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	f := env.NewFaults(t)
	f.Delay(400 * time.Millisecond)
	m, progress := throughFaults(t, f)
	opts := noWait()
	opts.Timeout = time.Second
	start := time.Now()
	_, err := m.Apply(t.Context(), devObjects(t, ns), opts)
	if err == nil {
		t.Fatalf("Apply within 1s through a 400ms apiserver succeeded:\n%s", progress)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Apply took %s past a 1s timeout", took)
	}
	if !strings.HasPrefix(err.Error(), "timed out after 1s: ") || strings.Count(err.Error(), "\n") > 0 {
		t.Errorf("error does not say, in one line, that the time ran out: %v", err)
	}
	f.Clear()
	converges(t, ns)
}
