package apply_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/apply"
)

func quickLock(holder string, wait time.Duration) apply.LockOptions {
	return apply.LockOptions{Holder: holder, Wait: wait, Duration: 2 * time.Second, Renew: 300 * time.Millisecond, Interval: 100 * time.Millisecond}
}

func TestLockIsHeldByOneRunAtATime(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	key := types.NamespacedName{Namespace: ns, Name: apply.LockName}
	m, _ := newManager(t)

	first, _, err := m.Lock(t.Context(), key, quickLock("alice@ci pid 1 (commit aaa)", 0))
	if err != nil {
		t.Fatal(err)
	}
	var lease coordinationv1.Lease
	if err := env.Client.Get(t.Context(), key, &lease); err != nil || *lease.Spec.HolderIdentity != "alice@ci pid 1 (commit aaa)" {
		t.Fatalf("lease %+v, %v", lease.Spec, err)
	}

	t.Run("a second run fails at once without a wait, naming the holder", func(t *testing.T) {
		_, _, err := m.Lock(t.Context(), key, quickLock("bob@ci pid 2", 0))
		var locked *apply.LockedError
		if !errors.As(err, &locked) || locked.Holder != "alice@ci pid 1 (commit aaa)" || !strings.Contains(err.Error(), "since ") {
			t.Fatalf("second Lock = %v, want a LockedError naming alice and since when", err)
		}
	})

	t.Run("renewals keep a live holder's lock past its duration", func(t *testing.T) {
		var waited []apply.LockHolder
		opts := quickLock("bob@ci pid 2", 3*time.Second)
		opts.Waiting = func(h apply.LockHolder) { waited = append(waited, h) }
		_, _, err := m.Lock(t.Context(), key, opts)
		var locked *apply.LockedError
		if !errors.As(err, &locked) || locked.Waited < 3*time.Second {
			t.Fatalf("Lock after waiting 3s for a renewing holder = %v", err)
		}
		if len(waited) != 1 || waited[0].Holder != "alice@ci pid 1 (commit aaa)" {
			t.Errorf("Waiting called with %v, want once with alice", waited)
		}
	})

	t.Run("unlock refuses a live holder", func(t *testing.T) {
		h, err := m.Unlock(t.Context(), key, false)
		if err == nil || h == nil || !strings.Contains(err.Error(), "it is alive") {
			t.Fatalf("Unlock of a live lock = %v, %v", h, err)
		}
	})

	t.Run("a waiting run takes the lock when the holder releases it", func(t *testing.T) {
		go func() {
			time.Sleep(500 * time.Millisecond)
			if err := first.Release(context.Background()); err != nil {
				t.Error(err)
			}
		}()
		second, _, err := m.Lock(t.Context(), key, quickLock("bob@ci pid 2", 10*time.Second))
		if err != nil {
			t.Fatalf("Lock after release: %v", err)
		}
		if err := second.Release(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLockOfADeadHolderExpires(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	key := types.NamespacedName{Namespace: ns, Name: apply.LockName}
	m, _ := newManager(t)
	// A holder that dies: its context ends, so it stops renewing, and it
	// never releases.
	dying, cancel := context.WithCancel(t.Context())
	if _, _, err := m.Lock(dying, key, quickLock("crashed@ci pid 3", 0)); err != nil {
		t.Fatal(err)
	}
	cancel()
	start := time.Now()
	l, _, err := m.Lock(t.Context(), key, quickLock("next@ci pid 4", 10*time.Second))
	if err != nil {
		t.Fatalf("Lock after the holder died: %v", err)
	}
	if took := time.Since(start); took < time.Second || took > 5*time.Second {
		t.Errorf("took the dead holder's lock after %s, want about its 2s lease", took)
	}
	if got := l.Holder().Holder; got != "next@ci pid 4" {
		t.Errorf("holder %q", got)
	}
	if err := l.Release(t.Context()); err != nil {
		t.Fatal(err)
	}
	if h, err := m.Unlock(t.Context(), key, false); h != nil || err != nil {
		t.Errorf("Unlock after release = %v, %v; want nothing to unlock", h, err)
	}
}

func TestForcedUnlockStopsTheHolder(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	key := types.NamespacedName{Namespace: ns, Name: apply.LockName}
	m, _ := newManager(t)
	l, runCtx, err := m.Lock(t.Context(), key, quickLock("stuck@ci pid 5", 0))
	if err != nil {
		t.Fatal(err)
	}
	if h, err := m.Unlock(t.Context(), key, true); err != nil || h == nil || h.Holder != "stuck@ci pid 5" {
		t.Fatalf("Unlock --force = %v, %v", h, err)
	}
	select {
	case <-runCtx.Done():
		if !errors.Is(context.Cause(runCtx), apply.ErrLockLost) {
			t.Errorf("run ended with %v, want ErrLockLost", context.Cause(runCtx))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the holder's run went on after its lock was removed")
	}
	if err := l.Release(t.Context()); err != nil {
		t.Errorf("Release after losing the lock: %v", err)
	}
}
