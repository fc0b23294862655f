package apply

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// LockName is the name of the Lease render locks an environment with.
const LockName = "render-lock"

// LockOptions control Lock.
type LockOptions struct {
	// Holder says who holds the lock, for a person to read: user, host,
	// pid and the commit of platform.yaml when known.
	Holder string
	// Wait is how long to wait for another holder to release the lock or
	// to die; 0 fails at once.
	Wait time.Duration
	// Duration is how long the lease lasts without renewal: a holder that
	// dies loses the lock this long after its last renewal. Default 30s.
	Duration time.Duration
	// Renew is how often the holder renews. Default a third of Duration.
	Renew time.Duration
	// Interval is how often a waiting run looks again. Default 1s.
	Interval time.Duration
	// Waiting is called once when the lock is held by another, before
	// waiting.
	Waiting func(LockHolder)
}

// DefaultLockOptions returns the defaults described on LockOptions.
func DefaultLockOptions() LockOptions {
	return LockOptions{Duration: 30 * time.Second, Renew: 10 * time.Second, Interval: time.Second}
}

// LockHolder is who holds a lock and since when.
type LockHolder struct {
	Lease    string    `json:"lease"`
	Holder   string    `json:"holder"`
	Since    time.Time `json:"since"`
	Renewed  time.Time `json:"renewed"`
	Duration time.Duration
}

func (h LockHolder) String() string {
	return fmt.Sprintf("%s holds %s since %s (renewed %s)", h.Holder, h.Lease, h.Since.UTC().Format(time.RFC3339), h.Renewed.UTC().Format(time.RFC3339))
}

// LockReport is what a run reports about its lock, in its Result.
type LockReport struct {
	// Lease is Lease/namespace/name.
	Lease string `json:"lease"`
	// Holder is this run's identity, or the other holder's when refused.
	Holder string `json:"holder"`
	// Waited is how long the run waited for another holder.
	Waited string `json:"waited,omitempty"`
	// Refused is why the run did not get the lock.
	Refused string `json:"refused,omitempty"`
}

// LockedError is a lock another run holds, still when the wait ended.
type LockedError struct {
	LockHolder
	Waited time.Duration
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("locked: %s; waited %s (--lock-timeout waits longer; render unlock removes the lock of a run that died)", e.LockHolder, formatDuration(e.Waited))
}

// ErrLockLost ends a run whose lock was taken away (render unlock --force)
// or could not be renewed before it expired.
var ErrLockLost = errors.New("lost the lock")

// Lock is a held lock; Release gives it back.
type Lock struct {
	m     *Manager
	key   types.NamespacedName
	opts  LockOptions
	stop  context.CancelFunc
	done  chan struct{}
	mu    sync.Mutex
	lease *coordinationv1.Lease
}

// Lock takes the Lease key for this run, waiting up to opts.Wait for a
// live holder, and renews it until Release. A holder that stopped renewing
// for its lease's duration is dead: its lock is taken over. The returned
// context ends, with ErrLockLost as its cause, if the lock is lost.
func (m *Manager) Lock(ctx context.Context, key types.NamespacedName, opts LockOptions) (*Lock, context.Context, error) {
	opts = opts.withDefaults()
	start := m.now()
	l := &Lock{m: m, key: key, opts: opts}
	w := &watcher{}
	for {
		held, err := l.tryTake(ctx, w)
		if err != nil {
			return nil, ctx, fmt.Errorf("lock Lease/%s/%s: %w", key.Namespace, key.Name, err)
		}
		if held == nil {
			break
		}
		if m.now().Sub(start) >= opts.Wait {
			return nil, ctx, &LockedError{LockHolder: *held, Waited: m.now().Sub(start)}
		}
		if !w.announced && opts.Waiting != nil {
			opts.Waiting(*held)
		}
		w.announced = true
		select {
		case <-ctx.Done():
			return nil, ctx, ctx.Err()
		case <-time.After(min(opts.Interval, opts.Wait-m.now().Sub(start))):
		}
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	rctx, stop := context.WithCancel(ctx)
	l.stop, l.done = stop, make(chan struct{})
	go l.renew(rctx, cancel)
	return l, runCtx, nil
}

func (o LockOptions) withDefaults() LockOptions {
	d := DefaultLockOptions()
	if o.Duration <= 0 {
		o.Duration = d.Duration
	}
	if o.Renew <= 0 {
		o.Renew = o.Duration / 3
	}
	if o.Interval <= 0 {
		o.Interval = d.Interval
	}
	return o
}

// watcher remembers when this run first saw the current version of a
// lease another holds: a holder is dead once its lease did not change for
// its duration as this run's clock measures it, whatever the holder's
// clock says (client-go's leader election judges expiry the same way).
type watcher struct {
	version   string
	seen      time.Time
	announced bool
	// created is set once a Create was tried.
	created bool
}

// tryTake takes the lease if it is free, expired or already ours; else it
// returns who holds it.
func (l *Lock) tryTake(ctx context.Context, w *watcher) (*LockHolder, error) {
	now := l.m.now()
	var lease coordinationv1.Lease
	if !w.created {
		// The last run released the lease, as runs do: create it at once
		// rather than read first, one round trip fewer on every run.
		w.created = true
		lease = coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Namespace: l.key.Namespace, Name: l.key.Name}}
		l.fill(&lease, now, true)
		err := l.m.client.Create(ctx, &lease)
		if err == nil {
			l.lease = &lease
			return nil, nil
		}
		if !apierrors.IsAlreadyExists(err) {
			return nil, err
		}
		lease = coordinationv1.Lease{}
	}
	err := l.m.client.Get(ctx, l.key, &lease)
	if apierrors.IsNotFound(err) {
		lease = coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Namespace: l.key.Namespace, Name: l.key.Name}}
		l.fill(&lease, now, true)
		if err := l.m.client.Create(ctx, &lease); apierrors.IsAlreadyExists(err) {
			return l.tryTake(ctx, w)
		} else if err != nil {
			return nil, err
		}
		l.lease = &lease
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	holder := holderOf(&lease)
	if lease.ResourceVersion != w.version {
		w.version, w.seen = lease.ResourceVersion, now
	}
	free := holder.Holder == "" || holder.Holder == l.opts.Holder ||
		now.Sub(w.seen) >= holder.Duration || now.Sub(holder.Renewed) >= 2*holder.Duration
	if !free {
		return &holder, nil
	}
	l.fill(&lease, now, true)
	if err := l.m.client.Update(ctx, &lease); apierrors.IsConflict(err) {
		return l.tryTake(ctx, w)
	} else if err != nil {
		return nil, err
	}
	l.lease = &lease
	return nil, nil
}

// fill makes lease this run's, renewed at now (and acquired, if taking).
func (l *Lock) fill(lease *coordinationv1.Lease, now time.Time, taking bool) {
	t := metav1.NewMicroTime(now)
	secs := int32(l.opts.Duration / time.Second)
	lease.Spec.HolderIdentity = &l.opts.Holder
	lease.Spec.LeaseDurationSeconds = &secs
	lease.Spec.RenewTime = &t
	if taking {
		lease.Spec.AcquireTime = &t
		transitions := int32(0)
		if lease.Spec.LeaseTransitions != nil {
			transitions = *lease.Spec.LeaseTransitions + 1
		}
		lease.Spec.LeaseTransitions = &transitions
	}
}

// holderOf reads who holds lease.
func holderOf(lease *coordinationv1.Lease) LockHolder {
	h := LockHolder{Lease: "Lease/" + lease.Namespace + "/" + lease.Name, Duration: 30 * time.Second}
	if lease.Spec.HolderIdentity != nil {
		h.Holder = *lease.Spec.HolderIdentity
	}
	if lease.Spec.AcquireTime != nil {
		h.Since = lease.Spec.AcquireTime.Time
	}
	if lease.Spec.RenewTime != nil {
		h.Renewed = lease.Spec.RenewTime.Time
	}
	if lease.Spec.LeaseDurationSeconds != nil {
		h.Duration = time.Duration(*lease.Spec.LeaseDurationSeconds) * time.Second
	}
	return h
}

// renew renews the lease every opts.Renew until ctx ends; when it cannot
// (someone took or removed the lease, or renewals failed for the lease's
// duration), it cancels the run with ErrLockLost.
func (l *Lock) renew(ctx context.Context, lost context.CancelCauseFunc) {
	defer close(l.done)
	last := l.m.now()
	t := time.NewTicker(l.opts.Renew)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := l.renewOnce(ctx)
		switch {
		case err == nil:
			last = l.m.now()
		case ctx.Err() != nil:
			return
		case errors.Is(err, ErrLockLost) || l.m.now().Sub(last) >= l.opts.Duration:
			lost(fmt.Errorf("%w Lease/%s/%s: %v", ErrLockLost, l.key.Namespace, l.key.Name, err))
			return
		}
	}
}

func (l *Lock) renewOnce(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var lease coordinationv1.Lease
	err := l.m.client.Get(ctx, l.key, &lease)
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("%w: the lease was removed", ErrLockLost)
	}
	if err != nil {
		return err
	}
	if h := holderOf(&lease); h.Holder != l.opts.Holder {
		return fmt.Errorf("%w: %s", ErrLockLost, h)
	}
	l.fill(&lease, l.m.now(), false)
	if err := l.m.client.Update(ctx, &lease); err != nil {
		return err
	}
	l.lease = &lease
	return nil
}

// Release stops renewing and removes the lease, if it is still this
// run's. A lease already gone (its namespace deleted) is fine.
func (l *Lock) Release(ctx context.Context) error {
	l.stop()
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lease != nil {
		// Unchanged since this run last wrote it (the usual case): one
		// request. Else read who holds it now.
		uid, rv := l.lease.UID, l.lease.ResourceVersion
		err := l.m.client.Delete(ctx, l.lease.DeepCopy(), client.Preconditions{UID: &uid, ResourceVersion: &rv})
		if err == nil || apierrors.IsNotFound(err) {
			return nil
		}
		if !apierrors.IsConflict(err) {
			return fmt.Errorf("release Lease/%s/%s: %w", l.key.Namespace, l.key.Name, err)
		}
	}
	var lease coordinationv1.Lease
	err := l.m.client.Get(ctx, l.key, &lease)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("release Lease/%s/%s: %w", l.key.Namespace, l.key.Name, err)
	}
	if holderOf(&lease).Holder != l.opts.Holder {
		return nil
	}
	err = l.m.client.Delete(ctx, &lease, client.Preconditions{ResourceVersion: &lease.ResourceVersion})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("release Lease/%s/%s: %w", l.key.Namespace, l.key.Name, err)
	}
	return nil
}

// Holder returns who holds the lock and since when.
func (l *Lock) Holder() LockHolder {
	l.mu.Lock()
	defer l.mu.Unlock()
	return holderOf(l.lease)
}

// Unlock removes the Lease key. A live holder's lease (renewed within its
// duration) is refused unless force. It returns who held it; a missing
// lease is no error.
func (m *Manager) Unlock(ctx context.Context, key types.NamespacedName, force bool) (*LockHolder, error) {
	var lease coordinationv1.Lease
	err := m.client.Get(ctx, key, &lease)
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read Lease/%s/%s: %w", key.Namespace, key.Name, err)
	}
	h := holderOf(&lease)
	if live := m.now().Sub(h.Renewed) < h.Duration; live && !force {
		return &h, fmt.Errorf("refusing to unlock: %s, and it was renewed %s ago, within its %s lease: it is alive (--force removes it anyway, and that run then stops)",
			h, formatDuration(m.now().Sub(h.Renewed)), formatDuration(h.Duration))
	}
	err = m.client.Delete(ctx, &lease, client.Preconditions{ResourceVersion: &lease.ResourceVersion})
	if err != nil && !apierrors.IsNotFound(err) {
		return &h, fmt.Errorf("remove Lease/%s/%s: %w", key.Namespace, key.Name, err)
	}
	return &h, nil
}
