package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/orchestrate"
)

// interruptible is a project whose platform is named name, a kubeconfig
// for the Env and the arguments of a render apply dev that waits.
func interruptible(t *testing.T, name string) (dir string, args []string) {
	t.Helper()
	dir = project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: "+name)
	kubeconfig := writeKubeconfig(t, env.Config, t.TempDir())
	return dir, []string{"--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false", "--output", "json"}
}

// applyingCluster starts render apply dev of a platform named name, as a
// subprocess, against an acksim that takes 3s to create its Cluster, and
// returns once the Cluster is applied, the run waiting for it.
func applyingCluster(t *testing.T, name string) (dir string, flags []string, sim *acksim.Sim, p *process) {
	t.Helper()
	dir, flags = interruptible(t, name)
	sim = acksim.New(env.Client, name+"-dev", acksim.Options{Interval: 50 * time.Millisecond,
		Delay: map[string]time.Duration{"Cluster/" + name: 3 * time.Second}})
	sim.Start(t)
	p = startRender(t, dir, append([]string{"apply", "dev"}, flags...)...)
	apitest.Eventually(t, "the Cluster applied", func() bool { return exists(t, name+"-dev", "Cluster/"+name) })
	return dir, flags, sim, p
}

// created fails t unless sim created each object at most once.
func createdOnce(t *testing.T, sim *acksim.Sim) {
	t.Helper()
	seen := map[string]bool{}
	for _, o := range sim.Created() {
		if seen[o] {
			t.Errorf("%s was created twice in AWS", o)
		}
		seen[o] = true
	}
	if len(seen) == 0 {
		t.Error("nothing was created in AWS")
	}
}

// SIGINT in the middle of a first apply: exit 130 within 5s, the lock
// released, the JSON result lists what was applied, and a rerun converges
// with nothing created twice.
func TestInterruptApply(t *testing.T) {
	apitest.Skip(t)
	dir, flags, sim, p := applyingCluster(t, "sigint")
	sent := p.signal(t, syscall.SIGINT)
	code, end := p.wait(t, 10*time.Second)
	errOut := p.errOut.String()
	if code != 130 || end.Sub(sent) > 5*time.Second {
		t.Fatalf("render apply after SIGINT = %d in %s, want 130 within 5s:\n%s", code, end.Sub(sent), errOut)
	}
	if !strings.Contains(errOut, "error: interrupted by SIGINT") || !strings.Contains(errOut, "Cluster/sigint-dev/sigint: ") {
		t.Errorf("stderr does not say it was interrupted and what was not ready:\n%s", errOut)
	}
	if _, err := leaseOf(t, "sigint-dev"); err == nil {
		t.Error("the lock is still there after the interrupted run")
	}
	res := decodeResult(t, p.out.String())
	if n := res.actions()["created"]; n == 0 || n == len(res.Objects) || res.Counts.Created != n {
		t.Errorf("the result lists %d of %d objects created, want some but not all: %s", n, len(res.Objects), p.out.String())
	}
	again := runMain(append([]string{"apply", "dev", "-f", filepath.Join(dir, "platform.yaml")}, flags...)...)
	if again.code != 0 {
		t.Fatalf("the rerun = %d:\n%s", again.code, again.errOut)
	}
	// An object whose apply was in flight when the signal came may exist
	// on the server without the interrupted run having heard back: the
	// rerun finds it, and neither run lists it as created.
	rerun := decodeResult(t, again.out)
	createdBefore := map[string]bool{}
	for _, o := range res.Objects {
		createdBefore[o.Object] = o.Action == "created"
	}
	var inFlight []string
	for _, o := range rerun.Objects {
		if o.Action != "created" && !createdBefore[o.Object] {
			inFlight = append(inFlight, o.Object)
		}
	}
	if got := rerun.actions()["created"]; got+res.Counts.Created+len(inFlight) != devObjects || len(inFlight) > 2 {
		t.Errorf("the rerun created %d objects, the interrupted run %d, %d were in flight (%v); want %d in all, at most 2 in flight",
			got, res.Counts.Created, len(inFlight), inFlight, devObjects)
	}
	createdOnce(t, sim)
}

// exists reports whether the ACK object kindName exists in ns.
func exists(t *testing.T, ns, kindName string) bool {
	t.Helper()
	_, err := liveOrNil(t, ns, kindName)
	return err == nil
}

// runSim runs an acksim for ns every interval until the returned stop.
func runSim(t *testing.T, ns string, interval time.Duration) (sim *acksim.Sim, stop func()) {
	t.Helper()
	sim = acksim.New(env.Client, ns, acksim.Options{Interval: interval})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sim.Run(ctx) }()
	stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(func() {
		if ctx.Err() == nil {
			stop()
		}
	})
	return sim, stop
}

// deleting reports whether the EKS kind/name in ns is being deleted or
// gone.
func deleting(t *testing.T, ns, kind, name string) bool {
	t.Helper()
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(schema.GroupVersionKind{Group: "eks.services.k8s.aws", Version: "v1alpha1", Kind: kind})
	err := env.Client.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: name}, u)
	return apierrors.IsNotFound(err) || err == nil && u.GetDeletionTimestamp() != nil
}

// SIGTERM during render delete: exit 143 within 5s, the lock released,
// the JSON result lists what was deleted, and a rerun deletes the rest.
func TestTerminateDelete(t *testing.T) {
	apitest.Skip(t)
	dir, flags := interruptible(t, "sigterm")
	_, stop := runSim(t, "sigterm-dev", 50*time.Millisecond)
	if o := runMain(append([]string{"apply", "dev", "-f", filepath.Join(dir, "platform.yaml")}, flags...)...); o.code != 0 {
		t.Fatalf("render apply = %d:\n%s", o.code, o.errOut)
	}
	stop()
	// A controller that takes its time: each step of the deletion waits.
	_, stop = runSim(t, "sigterm-dev", time.Second)
	del := append([]string{"delete", "dev", "--yes"}, flags...)
	p := startRender(t, dir, del...)
	apitest.Eventually(t, "the deletion under way", func() bool { return deleting(t, "sigterm-dev", "FargateProfile", "default") })
	sent := p.signal(t, syscall.SIGTERM)
	code, end := p.wait(t, 10*time.Second)
	errOut := p.errOut.String()
	if code != 143 || end.Sub(sent) > 5*time.Second {
		t.Fatalf("render delete after SIGTERM = %d in %s, want 143 within 5s:\n%s", code, end.Sub(sent), errOut)
	}
	if !strings.Contains(errOut, "error: interrupted by SIGTERM") {
		t.Errorf("stderr does not say it was interrupted:\n%s", errOut)
	}
	if _, err := leaseOf(t, "sigterm-dev"); err == nil {
		t.Error("the lock is still there after the interrupted run")
	}
	var res orchestrate.DeleteResult
	if err := json.Unmarshal(p.out.Bytes(), &res); err != nil || len(res.Deleted) == 0 {
		t.Errorf("the result lists nothing deleted: %v %s", err, p.out.String())
	}
	if !exists(t, "sigterm-dev", "VPC/vpc") {
		t.Error("the VPC is gone: the delete was not interrupted in the middle")
	}
	stop()
	runSim(t, "sigterm-dev", 50*time.Millisecond)
	finalizeNamespaces(t, env.Config)
	if o := runMain(append(del, "-f", filepath.Join(dir, "platform.yaml"))...); o.code != 0 {
		t.Fatalf("the rerun = %d:\n%s", o.code, o.errOut)
	}
	if exists(t, "sigterm-dev", "VPC/vpc") {
		t.Error("the VPC is still there after the rerun")
	}
}

// Two SIGINTs: the second exits at once, even while the first is still
// stopping (here: releasing the lock on an apiserver that answers late).
func TestInterruptTwice(t *testing.T) {
	apitest.Skip(t)
	dir, flags := interruptible(t, "twice")
	faults := env.NewFaults(t)
	flags[1] = writeKubeconfig(t, faults.Config, t.TempDir())
	acksim.New(env.Client, "twice-dev", acksim.Options{Delay: map[string]time.Duration{"Cluster/twice": time.Minute}}).Start(t)
	p := startRender(t, dir, append([]string{"apply", "dev"}, flags...)...)
	apitest.Eventually(t, "the Cluster applied", func() bool { return exists(t, "twice-dev", "Cluster/twice") })
	// Longer than the grace after the first signal: only the second
	// can end the run in time.
	faults.Delay(stopGrace + time.Second)
	p.signal(t, syscall.SIGINT)
	time.Sleep(500 * time.Millisecond)
	sent := p.signal(t, syscall.SIGINT)
	code, end := p.wait(t, 10*time.Second)
	errOut := p.errOut.String()
	if code != 130 || end.Sub(sent) > time.Second {
		t.Errorf("render apply after two SIGINTs = %d %s after the second, want 130 at once:\n%s", code, end.Sub(sent), errOut)
	}
	if !strings.Contains(errOut, "SIGINT again: exiting at once") {
		t.Errorf("stderr does not say why it exited at once:\n%s", errOut)
	}
}
