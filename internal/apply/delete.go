package apply

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/graph"
)

// Actions of a deletion.
const (
	Deleted = "deleted"
	Skipped = "skipped"
	Absent  = "absent"
)

// DeleteOptions control deletion (render delete, pruning, replacement).
type DeleteOptions struct {
	// Wait for each level's objects to be gone (their finalizers removed:
	// for ACK kinds, the AWS resource deleted) before deleting the next.
	// Without it every deletion is requested at once, in order.
	Wait bool
	// Timeout bounds the wait for each level. Default 30 minutes.
	Timeout time.Duration
	// Interval is how often to check. Default 2 seconds.
	Interval time.Duration
}

// DefaultDeleteOptions waits, 30 minutes per level, polling every 2 seconds.
func DefaultDeleteOptions() DeleteOptions {
	return DeleteOptions{Wait: true, Timeout: 30 * time.Minute, Interval: 2 * time.Second}
}

// DeleteOrder sorts objs into the order they are deleted in, one slice per
// step: the reverse of the dependency levels (what references an object
// goes before it, a Namespace after what is in it), except that what makes
// the AWS load balancer controller delete a load balancer (Ingresses,
// Services of type LoadBalancer) goes first, while the controller still
// runs, and its webhook configurations second, before the webhook's
// Service and Deployment go.
func DeleteOrder(objs []*unstructured.Unstructured) ([][]*unstructured.Unstructured, error) {
	var lb, hooks, rest []*unstructured.Unstructured
	for _, u := range objs {
		switch {
		case isLoadBalancer(u):
			lb = append(lb, u)
		case u.GroupVersionKind().Group == "admissionregistration.k8s.io":
			hooks = append(hooks, u)
		default:
			rest = append(rest, u)
		}
	}
	levels, err := graph.New(rest).Levels()
	if err != nil {
		return nil, err
	}
	var out [][]*unstructured.Unstructured
	for _, first := range [][]*unstructured.Unstructured{lb, hooks} {
		if len(first) > 0 {
			sortObjects(first)
			out = append(out, first)
		}
	}
	for i := len(levels) - 1; i >= 0; i-- {
		if len(levels[i]) > 0 {
			out = append(out, levels[i])
		}
	}
	return out, nil
}

func isLoadBalancer(u *unstructured.Unstructured) bool {
	gvk := u.GroupVersionKind()
	if gvk.Group == "networking.k8s.io" && gvk.Kind == "Ingress" {
		return true
	}
	t, _, _ := unstructured.NestedString(u.Object, "spec", "type")
	return gvk.Group == "" && gvk.Kind == "Service" && t == "LoadBalancer"
}

func sortObjects(objs []*unstructured.Unstructured) {
	sort.Slice(objs, func(a, b int) bool { return graph.NameOf(objs[a]) < graph.NameOf(objs[b]) })
}

// Retained reports whether deleting u leaves its AWS resource in place:
// ACK's deletion-policy annotation says retain.
func Retained(u *unstructured.Unstructured) bool {
	return u.GetAnnotations()[ack.DeletionPolicyAnnotation] == "retain"
}

// Delete deletes objs that exist, in DeleteOrder, and with Wait waits for
// each step to be gone before the next. It returns what it did per object,
// also when it fails.
func (m *Manager) Delete(ctx context.Context, objs []*unstructured.Unstructured, opts DeleteOptions) ([]Deletion, error) {
	if opts.Timeout == 0 {
		opts.Timeout = DefaultDeleteOptions().Timeout
	}
	if opts.Interval == 0 {
		opts.Interval = DefaultDeleteOptions().Interval
	}
	steps, err := DeleteOrder(objs)
	if err != nil {
		return nil, err
	}
	var out []Deletion
	for n, step := range steps {
		done, err := m.deleteStep(ctx, step, opts)
		out = append(out, done...)
		if err != nil {
			return out, fmt.Errorf("deletion step %d of %d: %w", n+1, len(steps), err)
		}
	}
	return out, nil
}

// deleteStep requests the deletion of every object of one step, in
// parallel, then waits until they are gone.
func (m *Manager) deleteStep(ctx context.Context, step []*unstructured.Unstructured, opts DeleteOptions) ([]Deletion, error) {
	out := make([]Deletion, len(step))
	errs := make([]error, len(step))
	parallel(m.concurrency, len(step), func(i int) {
		u := step[i]
		out[i] = Deletion{Object: graph.NameOf(u), Action: Deleted, Retained: Retained(u)}
		obj := &unstructured.Unstructured{}
		obj.SetGroupVersionKind(u.GroupVersionKind())
		obj.SetNamespace(u.GetNamespace())
		obj.SetName(u.GetName())
		err := m.client.Delete(ctx, obj, client.PropagationPolicy("Background"))
		switch {
		case apierrors.IsNotFound(err):
			out[i].Action = Absent
		case err != nil:
			errs[i] = fmt.Errorf("delete %s: %w", graph.NameOf(u), err)
		}
	})
	for _, p := range out {
		if p.Action == Deleted {
			fmt.Fprintf(m.progress, "%s deleting\n", p.Object)
		}
	}
	if err := errors.Join(errs...); err != nil || !opts.Wait {
		return out, err
	}
	if err := m.waitGone(ctx, step, opts); err != nil {
		return out, err
	}
	for _, p := range out {
		switch {
		case p.Action == Deleted && p.Retained:
			fmt.Fprintf(m.progress, "%s deleted (AWS resource retained: deletion-policy retain)\n", p.Object)
		case p.Action == Deleted:
			fmt.Fprintf(m.progress, "%s deleted\n", p.Object)
		}
	}
	return out, nil
}

// waitGone polls until none of objs exists. On timeout the error lists
// what is left, with its finalizers and the controller's last message.
func (m *Manager) waitGone(ctx context.Context, objs []*unstructured.Unstructured, opts DeleteOptions) error {
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	start := m.now()
	tick := time.NewTicker(opts.Interval)
	defer tick.Stop()
	for {
		left := make([]*unstructured.Unstructured, len(objs))
		errs := make([]error, len(objs))
		parallel(m.concurrency, len(objs), func(i int) {
			live := &unstructured.Unstructured{}
			live.SetGroupVersionKind(objs[i].GroupVersionKind())
			err := m.client.Get(ctx, client.ObjectKeyFromObject(objs[i]), live)
			switch {
			case apierrors.IsNotFound(err):
			case err != nil:
				errs[i] = fmt.Errorf("%s: %w", graph.NameOf(objs[i]), err)
			default:
				left[i] = live
			}
		})
		var waiting []string
		for i, u := range left {
			switch {
			case u != nil:
				waiting = append(waiting, goneLine(u))
			case errs[i] != nil:
				waiting = append(waiting, graph.NameOf(objs[i])+": not readable")
			}
		}
		if len(waiting) == 0 {
			return nil
		}
		// A failed read is retried on the next tick (the apiserver may be
		// restarting); it shows only if the wait times out.
		readErr := errors.Join(errs...)
		if ctx.Err() != nil {
			if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return ctx.Err()
			}
			msg := fmt.Sprintf("timed out after %s waiting for deletion of:\n  %s", formatDuration(m.now().Sub(start)), strings.Join(waiting, "\n  "))
			if readErr != nil {
				msg += fmt.Sprintf("\nlast read errors: %v", readErr)
			}
			return errors.New(msg)
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
}

// goneLine says why a deleted object is still there.
func goneLine(u *unstructured.Unstructured) string {
	line := graph.NameOf(u)
	if f := u.GetFinalizers(); len(f) > 0 {
		line += " (finalizers " + strings.Join(f, ", ") + ")"
	}
	if IsACK(u.GroupVersionKind().GroupKind()) {
		// Why the controller has not removed its finalizer: a recoverable
		// error such as DependencyViolation.
		if s, _ := ackStatus(conditions(u)); s.Message != "waiting for the ACK controller" {
			line += ": " + s.Message
		}
	}
	return line
}
