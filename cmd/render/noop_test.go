package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/apitest"
)

// requests are the "request: METHOD PATH" lines render -v wrote to
// errOut, as "METHOD PATH".
func requests(errOut string) []string {
	var out []string
	for line := range strings.SplitSeq(errOut, "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == "request:" {
			out = append(out, f[1]+" "+f[2])
		}
	}
	return out
}

// TestNoOpApplyRequests counts a no-op apply's requests (issue 32): it
// writes nothing but its lock, and reads the namespaces at most once;
// the namespace the lock lives in is applied only on a first run, when
// the lease cannot be created without it. A change to one object after
// it is still applied (logRetentionDays: the cluster's and Fargate's
// log groups).
func TestNoOpApplyRequests(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	file := filepath.Join(dir, "platform.yaml")
	edit(t, file, "name: demo", "name: noop")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"apply", "dev", "-f", file, "--kubeconfig", kubeconfig, "--wait=false", "-v"}
	t.Run("a first apply creates the lock's namespace", func(t *testing.T) {
		code, _, errOut := run(t, dir, args...)
		if code != 0 || !strings.Contains(errOut, "Namespace/noop-dev created") {
			t.Fatalf("render apply = %d:\n%s", code, errOut)
		}
	})
	t.Run("a no-op apply writes nothing but its lock", func(t *testing.T) {
		code, _, errOut := run(t, dir, args...)
		if code != 0 || !strings.Contains(errOut, "0 changed") {
			t.Fatalf("render apply = %d:\n%s", code, errOut)
		}
		namespaces := 0
		reqs := requests(errOut)
		for _, r := range reqs {
			method, path, _ := strings.Cut(r, " ")
			if method != "GET" && !strings.HasPrefix(path, "/apis/coordination.k8s.io/v1/namespaces/noop-dev/leases") {
				t.Errorf("a no-op apply wrote %s", r)
			}
			if path == "/api/v1/namespaces" {
				namespaces++
			}
		}
		if namespaces > 1 {
			t.Errorf("the namespaces were listed %d times, want at most once:\n%s", namespaces, strings.Join(reqs, "\n"))
		}
	})
	t.Run("a changed object is still applied", func(t *testing.T) {
		edit(t, file, "logRetentionDays: 14", "logRetentionDays: 30")
		code, _, errOut := run(t, dir, args...)
		if code != 0 || !strings.Contains(errOut, "2 changed (2 configured)") ||
			!strings.Contains(strings.Join(requests(errOut), "\n"), "PATCH /apis/cloudwatchlogs.services.k8s.aws/v1alpha1/namespaces/noop-dev/loggroups/cluster") {
			t.Fatalf("render apply after an edit = %d:\n%s", code, errOut)
		}
	})
}
