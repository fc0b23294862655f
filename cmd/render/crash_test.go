package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// kills is how many times TestKilledGen kills render gen.
const kills = 50

// staged is render gen's staging directory, stagedOld where it keeps the
// old versions of the files it replaces (internal/gen/write.go).
const staged, stagedOld = ".render-gen-*", ".render-gen-*/old"

// TestKilledGen kills render gen (SIGKILL) at random points, kills times,
// while it rewrites the tree from one platform.yaml to another and back:
// after each kill every file parses and is whole, the old version or the
// new, none is missing, and render gen --check names exactly the files
// that are not yet the new version.
func TestKilledGen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the render binary; skipped under -short")
	}
	dir := project(t)
	cfg := filepath.Join(dir, "platform.yaml")
	a, _ := os.ReadFile(cfg)
	b := []byte(strings.Replace(string(a), "name: demo", "name: other", 1))
	trees := [2]map[string]string{}
	for i, src := range [][]byte{a, b} {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, "platform.yaml"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		if o := startRender(t, d, "gen"); o.code(t) != 0 {
			t.Fatalf("gen:\n%s", o.errOut.String())
		}
		trees[i] = ownedFiles(t, d)
	}
	if p := startRender(t, dir, "gen"); p.code(t) != 0 {
		t.Fatalf("gen:\n%s", p.errOut.String())
	}
	// How long gen moves files into place, from the first old version it
	// sets aside in its staging directory to the directory's removal: the
	// kills fall in that window, where a tree can break (writing the new
	// versions into the staging directory before it touches nothing).
	if err := os.WriteFile(cfg, b, 0o644); err != nil {
		t.Fatal(err)
	}
	p := startRender(t, dir, "gen")
	began := appears(t, p, dir, stagedOld, true)
	window := appears(t, p, dir, staged, false).Sub(began)
	if p.code(t) != 0 || window <= 0 {
		t.Fatalf("gen = %s, wrote for %s:\n%s", p.cmd.ProcessState, window, p.errOut.String())
	}
	rng, target := rand.New(rand.NewPCG(1, 2)), 1
	mixed := 0 // kills that left a tree half old, half new
	changed := map[string]bool{}
	for path, b := range trees[0] {
		if trees[1][path] != b {
			changed[path] = true
		}
	}
	for path := range trees[1] {
		if _, ok := trees[0][path]; !ok {
			changed[path] = true
		}
	}
	for i := range kills {
		target = 1 - target
		if err := os.WriteFile(cfg, [][]byte{a, b}[target], 0o644); err != nil {
			t.Fatal(err)
		}
		p := startRender(t, dir, "gen")
		appears(t, p, dir, stagedOld, true)
		time.Sleep(time.Duration(rng.Int64N(int64(window) / 2)))
		_ = p.cmd.Process.Kill()
		<-p.done
		removeLeftovers(t, dir, staged)
		onDisk := ownedFiles(t, dir)
		var stale []string
		for path, want := range trees[target] {
			if got, ok := onDisk[path]; !ok && trees[1-target][path] != "" {
				t.Fatalf("kill %d: %s, in both trees, is missing", i, path)
			} else if got != want {
				stale = append(stale, path)
			}
		}
		for path, got := range onDisk {
			var doc any
			if err := yaml.Unmarshal([]byte(got), &doc); err != nil {
				t.Fatalf("kill %d: %s does not parse: %v", i, path, err)
			}
			if got != trees[0][path] && got != trees[1][path] {
				t.Fatalf("kill %d: %s is neither the old version nor the new", i, path)
			}
			if _, ok := trees[target][path]; !ok {
				stale = append(stale, path)
			}
		}
		slices.Sort(stale)
		if len(stale) > 0 && len(stale) < len(changed) {
			mixed++
		}
		code, _, errOut := run(t, dir, "gen", "--check")
		want := fmt.Sprintf("error: %d stale files (run render gen):\n  %s\n", len(stale), strings.Join(stale, "\n  "))
		if len(stale) == 0 && code != 0 || len(stale) > 0 && (code != 1 || !strings.Contains(errOut, want)) {
			t.Fatalf("kill %d: gen --check = %d:\n%s\nwant the %d stale files:\n%s", i, code, errOut, len(stale), want)
		}
	}
	t.Logf("%d kills, %d of them in the middle of writing the tree", kills, mixed)
}

// appears waits until a file matching pattern (filepath.Glob, under dir)
// exists or, with !present, none does, or p ended, and returns when.
func appears(t *testing.T, p *process, dir, pattern string, present bool) time.Time {
	t.Helper()
	for {
		found, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-p.done:
			return time.Now()
		default:
		}
		if len(found) > 0 == present {
			return time.Now()
		}
		time.Sleep(100 * time.Microsecond) // leave the CPU to render
	}
}

// removeLeftovers removes what killed runs left in dir: the files and
// directories matching pattern (filepath.Glob).
func removeLeftovers(t *testing.T, dir, pattern string) {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(dir, pattern))
	for _, d := range left {
		err = errors.Join(err, os.RemoveAll(d))
	}
	if err != nil {
		t.Fatal(err)
	}
}

// ownedFiles reads every file under base/ and overlays/ of dir.
func ownedFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, sub := range []string{"base", "overlays"} {
		for p, b := range snapshot(t, filepath.Join(dir, sub)) {
			files[sub+p] = b
		}
	}
	return files
}

// code waits for p and returns its exit code.
func (p *process) code(t *testing.T) int {
	t.Helper()
	c, _ := p.wait(t, 2*time.Minute)
	return c
}

// kill -9 in the middle of a first apply: the lock stays, unrenewed, and
// expires as designed (internal/apply/lock.go: unchanged for its lease's
// duration, 30s, as the waiting run's clock sees it, or renewed more than
// twice that long ago; the test moves the last renewal back rather than
// wait); a rerun then takes it over and converges, every object created
// once in AWS.
func TestKilledApply(t *testing.T) {
	apitest.Skip(t)
	dir, flags, sim, p := applyingCluster(t, "killed")
	_ = p.cmd.Process.Kill()
	<-p.done
	lease, err := leaseOf(t, "killed-dev")
	if err != nil || !strings.Contains(*lease.Spec.HolderIdentity, fmt.Sprintf(" pid %d ", p.cmd.Process.Pid)) {
		t.Fatalf("the killed run's lock: %v %+v", err, lease.Spec)
	}
	refused := runMain(append([]string{"apply", "dev", "-f", filepath.Join(dir, "platform.yaml")}, flags...)...)
	if refused.code != 1 || !strings.Contains(refused.errOut, "error: locked: ") {
		t.Errorf("a rerun while the dead holder's lease lasts = %d, want refused:\n%s", refused.code, refused.errOut)
	}
	expired := metav1.NewMicroTime(lease.Spec.RenewTime.Add(-2 * time.Duration(*lease.Spec.LeaseDurationSeconds) * time.Second))
	lease.Spec.RenewTime = &expired
	if err := env.Client.Update(t.Context(), lease); err != nil {
		t.Fatal(err)
	}
	again := runMain(append([]string{"apply", "dev", "-f", filepath.Join(dir, "platform.yaml"), "--lock-timeout", "10s"}, flags...)...)
	if again.code != 0 || !strings.Contains(again.errOut, fmt.Sprintf("%d objects, ", devObjects)) {
		t.Fatalf("the rerun = %d:\n%s", again.code, again.errOut)
	}
	if _, err := leaseOf(t, "killed-dev"); err == nil {
		t.Error("the lock is still there after the rerun")
	}
	createdOnce(t, sim)
	if n := len(sim.Created()); n != devObjects-1 {
		t.Errorf("AWS has %d resources, want %d (the %d objects but the Namespace)", n, devObjects-1, devObjects)
	}
}

// kill -9 of render outputs, kills times, at random points or while it
// writes (its temporary file exists): outputs/dev.yaml is never half
// written; it is the old file, whole, or the new.
func TestKilledOutputs(t *testing.T) {
	apitest.Skip(t)
	dir, flags := interruptible(t, "outkill")
	acksim.New(env.Client, "outkill-dev", acksim.Options{Interval: 50 * time.Millisecond}).Start(t)
	if o := runMain(append([]string{"apply", "dev", "-f", filepath.Join(dir, "platform.yaml")}, flags...)...); o.code != 0 {
		t.Fatalf("render apply = %d:\n%s", o.code, o.errOut)
	}
	out := filepath.Join(dir, "outputs", "dev.yaml")
	renderBinary(t) // built before the run is timed
	start := time.Now()
	if p := startRender(t, dir, "outputs", "dev", flags[0], flags[1]); p.code(t) != 0 {
		t.Fatalf("render outputs:\n%s", p.errOut.String())
	}
	full := time.Since(start)
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	old := append([]byte("# the previous outputs\n"), want...)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range kills {
		if err := os.WriteFile(out, old, 0o644); err != nil {
			t.Fatal(err)
		}
		removeLeftovers(t, dir, "outputs/.dev.yaml.tmp-*")
		p := startRender(t, dir, "outputs", "dev", flags[0], flags[1])
		if i%2 == 0 {
			time.Sleep(time.Duration(rng.Int64N(int64(full))))
		} else {
			appears(t, p, dir, "outputs/.dev.yaml.tmp-*", true)
			time.Sleep(time.Duration(rng.Int64N(int64(time.Millisecond))))
		}
		_ = p.cmd.Process.Kill()
		<-p.done
		if b, err := os.ReadFile(out); err != nil || string(b) != string(want) && string(b) != string(old) {
			t.Fatalf("kill %d: outputs/dev.yaml is neither the old file nor the new, whole: %v\n%s", i, err, b)
		}
	}
}
