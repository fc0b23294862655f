package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/graph"
)

// Lock takes the lock of one cluster for a run that applies, prunes,
// recreates or deletes there: the Lease render-lock in the namespace of
// set's parent (the environment's namespace on the management cluster,
// kube-system on the new one). That namespace, if it is among objs and the
// lease cannot be created for want of it (a first apply), is applied
// alone, then the lock taken; created says so, for the run's result. The returned context ends when the lock is lost.
func Lock(ctx context.Context, m *apply.Manager, set apply.ApplySet, objs []*unstructured.Unstructured,
	opts apply.LockOptions, progress io.Writer) (l *apply.Lock, runCtx context.Context, created *apply.Result, report apply.LockReport, err error) {
	key := types.NamespacedName{Namespace: set.Parent.Namespace, Name: apply.LockName}
	report = apply.LockReport{Lease: "Lease/" + key.Namespace + "/" + key.Name, Holder: opts.Holder}
	start := time.Now()
	waiting := opts.Waiting
	opts.Waiting = func(h apply.LockHolder) {
		fmt.Fprintf(progress, "waiting for the lock: %s\n", h)
		if waiting != nil {
			waiting(h)
		}
	}
	// The namespace exists on every run but the first: lock at once, one
	// round trip (a list of every namespace) fewer, and apply it only
	// when the lease cannot be created for want of it.
	l, runCtx, err = m.Lock(ctx, key, opts)
	if apierrors.IsNotFound(err) {
		if created, err = ensureNamespace(ctx, m, key.Namespace, objs); err != nil {
			return nil, ctx, nil, report, err
		}
		l, runCtx, err = m.Lock(ctx, key, opts)
	}
	if waited := time.Since(start); waited >= time.Second {
		report.Waited = waited.Round(time.Second).String()
	}
	var locked *apply.LockedError
	if errors.As(err, &locked) {
		report.Holder, report.Refused = locked.Holder, err.Error()
	}
	if err != nil {
		return nil, ctx, created, report, err
	}
	fmt.Fprintf(progress, "locked %s as %s\n", report.Lease, opts.Holder)
	return l, runCtx, created, report, nil
}

// ensureNamespace applies the Namespace named ns among objs when it does
// not exist yet, so that the lock can be taken in it.
func ensureNamespace(ctx context.Context, m *apply.Manager, ns string, objs []*unstructured.Unstructured) (*apply.Result, error) {
	for _, u := range objs {
		if u.GetKind() != "Namespace" || u.GroupVersionKind().Group != "" || u.GetName() != ns {
			continue
		}
		live, err := m.Existing(ctx, []*unstructured.Unstructured{u})
		if err != nil || len(live) > 0 {
			return nil, err
		}
		res, err := m.Apply(ctx, []*unstructured.Unstructured{u}, apply.ApplyOptions{Timeout: time.Minute})
		if err != nil {
			return res, fmt.Errorf("%s, to lock in: %w", graph.NameOf(u), err)
		}
		return res, nil
	}
	return nil, nil
}

// LockOptions are the options of a lock taken by a run of configFile
// (Holder), waiting as LockWait decides.
func LockOptions(commit *Commit, wait *time.Duration, terminal bool, timeout time.Duration) apply.LockOptions {
	o := apply.DefaultLockOptions()
	o.Holder = Holder(commit)
	o.Wait = LockWait(wait, terminal, timeout)
	return o
}

// LockWait is how long a run waits for a lock another run holds: wait
// when the user chose it (--lock-timeout), else the run's whole timeout on
// a terminal, where a person watches, and not at all without one, as in
// CI, where a queue of blocked pipelines helps nobody.
func LockWait(wait *time.Duration, terminal bool, timeout time.Duration) time.Duration {
	switch {
	case wait != nil:
		return *wait
	case terminal:
		return timeout
	}
	return 0
}
