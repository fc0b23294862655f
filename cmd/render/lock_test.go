package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// outcome is what one render command run did.
type outcome struct {
	code        int
	out, errOut string
	end         time.Time
}

// runMain runs the command line without changing directory, so that
// several can run at once.
func runMain(args ...string) outcome {
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Now: pinnedNow})
	return outcome{code, out.String(), errOut.String(), time.Now()}
}

func leaseOf(t *testing.T, ns string) (*coordinationv1.Lease, error) {
	t.Helper()
	var l coordinationv1.Lease
	err := env.Client.Get(t.Context(), types.NamespacedName{Namespace: ns, Name: "render-lock"}, &l)
	return &l, err
}

func TestTwoAppliesAtOnce(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: locked")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// The cluster takes 2s to create: the first run holds the lock meanwhile.
	acksim.New(env.Client, "locked-dev", acksim.Options{Interval: 50 * time.Millisecond,
		Delay: map[string]time.Duration{"Cluster/locked": 2 * time.Second}}).Start(t)
	args := []string{"apply", "dev", "-f", filepath.Join(dir, "platform.yaml"), "--kubeconfig", kubeconfig,
		"--poll-interval", "100ms", "--timeout", "2m", "--workload=false", "--output", "json"}
	first := make(chan outcome, 1)
	go func() { first <- runMain(args...) }()
	var holder string
	apitest.Eventually(t, "the first run's lock", func() bool {
		l, err := leaseOf(t, "locked-dev")
		if err == nil && l.Spec.HolderIdentity != nil {
			holder = *l.Spec.HolderIdentity
		}
		return holder != ""
	})
	if !strings.Contains(holder, " pid ") || !strings.Contains(holder, " run ") {
		t.Errorf("holder identity %q does not say user@host pid N run ID", holder)
	}

	refused := runMain(args...)
	if refused.code != 1 || !strings.Contains(refused.errOut, "error: locked: "+holder+" holds Lease/locked-dev/render-lock since ") {
		t.Errorf("second run without a terminal = %d, want 1 at once naming the holder:\n%s", refused.code, refused.errOut)
	}
	var r struct {
		Lock struct{ Holder, Refused string }
	}
	if err := json.Unmarshal([]byte(refused.out), &r); err != nil || r.Lock.Holder != holder || r.Lock.Refused == "" {
		t.Errorf("refused run's JSON = %v %q", err, refused.out)
	}

	waited := runMain(append(args, "--lock-timeout", "1m")...)
	a := <-first
	if a.code != 0 || waited.code != 0 {
		t.Fatalf("first run = %d:\n%s\nwaiting run = %d:\n%s", a.code, a.errOut, waited.code, waited.errOut)
	}
	if !strings.Contains(waited.errOut, "waiting for the lock: "+holder) {
		t.Errorf("the waiting run does not show the holder:\n%s", waited.errOut)
	}
	// Nothing applied twice in parallel: the waiting run started applying
	// after the first finished, and found everything applied.
	res := decodeResult(t, waited.out)
	if res.Changed != 0 || waited.end.Before(a.end) {
		t.Errorf("the waiting run changed %d objects, ended %s before the first:\n%s", res.Changed, a.end.Sub(waited.end), waited.errOut)
	}
	if _, err := leaseOf(t, "locked-dev"); err == nil {
		t.Errorf("the lock is still there after both runs")
	}
}

func TestDeadHolderAndUnlock(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: orphan")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "platform.yaml")
	if o := runMain("apply", "dev", "-f", cfg, "--kubeconfig", kubeconfig, "--wait=false"); o.code != 0 {
		t.Fatalf("apply = %d:\n%s", o.code, o.errOut)
	}
	// What a run killed mid-apply leaves: a lease nobody renews.
	leave := func(duration int32) {
		now := metav1.NewMicroTime(time.Now())
		l := &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Namespace: "orphan-dev", Name: "render-lock"},
			Spec: coordinationv1.LeaseSpec{HolderIdentity: ptr.To("killed@ci pid 42 run 0a0b0c"), LeaseDurationSeconds: ptr.To(duration),
				AcquireTime: &now, RenewTime: &now}}
		if err := env.Client.Create(t.Context(), l); err != nil {
			t.Fatal(err)
		}
	}
	leave(2)
	o := runMain("apply", "dev", "-f", cfg, "--kubeconfig", kubeconfig, "--wait=false", "--lock-timeout", "30s")
	if o.code != 0 || !strings.Contains(o.errOut, "waiting for the lock: killed@ci pid 42") {
		t.Fatalf("apply after the holder died = %d:\n%s", o.code, o.errOut)
	}

	leave(30)
	o = runMain("unlock", "dev", "-f", cfg, "--kubeconfig", kubeconfig)
	if o.code != 1 || !strings.Contains(o.errOut, "refusing to unlock: killed@ci pid 42 run 0a0b0c holds Lease/orphan-dev/render-lock") {
		t.Errorf("unlock of a live holder = %d:\n%s", o.code, o.errOut)
	}
	o = runMain("unlock", "dev", "-f", cfg, "--kubeconfig", kubeconfig, "--force")
	if o.code != 0 || !strings.Contains(o.errOut, "unlocked: killed@ci pid 42") {
		t.Errorf("unlock --force = %d:\n%s", o.code, o.errOut)
	}
	if _, err := leaseOf(t, "orphan-dev"); err == nil {
		t.Errorf("the lease is still there after unlock --force")
	}
	o = runMain("unlock", "dev", "-f", cfg, "--kubeconfig", kubeconfig)
	if o.code != 0 || !strings.Contains(o.errOut, "not locked") {
		t.Errorf("unlock with no lock = %d:\n%s", o.code, o.errOut)
	}
}

// gitIn runs git in dir, failing the test on error, and returns its output.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// An older pipeline finishing late must not prune what a newer one added,
// nor revert it.
func TestPruneFromAnOlderCommit(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	cfg := filepath.Join(dir, "platform.yaml")
	edit(t, cfg, "name: demo", "name: stale")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acksim.New(env.Client, "stale-dev", acksim.Options{Interval: 50 * time.Millisecond}).Start(t)
	gitIn(t, dir, "init", "-q", "-b", "main")
	gitIn(t, dir, "add", "platform.yaml")
	gitIn(t, dir, "commit", "-q", "-m", "old")
	old := gitIn(t, dir, "rev-parse", "HEAD")
	apply := func(extra ...string) outcome {
		return runMain(append([]string{"apply", "dev", "-f", cfg, "--kubeconfig", kubeconfig, "--poll-interval", "100ms",
			"--timeout", "2m", "--workload=false", "--prune", "--output", "json"}, extra...)...)
	}
	if o := apply(); o.code != 0 {
		t.Fatalf("apply at the old commit = %d:\n%s", o.code, o.errOut)
	}
	// The newer commit drops flow logs: pruning deletes their log group.
	edit(t, cfg, "        retentionDays: 7", "        enabled: false")
	gitIn(t, dir, "commit", "-q", "-am", "new")
	newer := gitIn(t, dir, "rev-parse", "HEAD")
	if o := apply(); o.code != 0 || decodeResult(t, o.out).Counts.Pruned == 0 {
		t.Fatalf("apply --prune at the newer commit = %d:\n%s", o.code, o.errOut)
	}

	gitIn(t, dir, "checkout", "-q", old)
	o := apply()
	if o.code != 1 || !strings.Contains(o.errOut, "refusing to apply: this rendering comes from commit "+old[:12]+", an ancestor of "+newer[:12]) {
		t.Fatalf("apply --prune at the older commit = %d, want refused naming both commits:\n%s", o.code, o.errOut)
	}
	if _, err := liveOrNil(t, "stale-dev", "LogGroup/flow-logs"); err == nil {
		t.Errorf("the refused run re-created the flow-logs log group")
	}
	var r struct{ Refused string }
	if err := json.Unmarshal([]byte(o.out), &r); err != nil || !strings.Contains(r.Refused, "refusing to apply") {
		t.Errorf("JSON of the refused run = %v %s", err, o.out)
	}

	// The same rendering from an older commit applies but does not prune.
	gitIn(t, dir, "checkout", "-q", "main")
	edit(t, cfg, "apiVersion:", "# a comment changes the commit, not the rendering\napiVersion:")
	gitIn(t, dir, "commit", "-q", "-am", "comment")
	if o := apply(); o.code != 0 {
		t.Fatalf("apply at the comment commit = %d:\n%s", o.code, o.errOut)
	}
	gitIn(t, dir, "checkout", "-q", newer)
	o = apply()
	if o.code != 0 || !strings.Contains(o.errOut, "not pruned: this rendering comes from commit "+newer[:12]) {
		t.Errorf("apply --prune of the same rendering from an older commit = %d:\n%s", o.code, o.errOut)
	}

	gitIn(t, dir, "checkout", "-q", old)
	if o := apply("--revert-newer-changes"); o.code != 0 || !strings.Contains(o.errOut, "reverting to commit "+old[:12]) {
		t.Errorf("apply --prune --revert-newer-changes = %d:\n%s", o.code, o.errOut)
	}
	if _, err := liveOrNil(t, "stale-dev", "LogGroup/flow-logs"); err != nil {
		t.Errorf("the deliberate rollback did not re-create the flow-logs log group: %v", err)
	}
}
