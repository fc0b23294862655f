package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/event"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/cli-utils/pkg/object"

	"github.com/eks-render/render/internal/graph"
)

// TerminalError is an object that will not become ready: ACK.Terminal.
type TerminalError struct {
	Object  string
	Message string
}

func (e *TerminalError) Error() string { return fmt.Sprintf("%s failed: %s", e.Object, e.Message) }

// ErrInterrupted is the cause (context.Cause) of a run stopped on
// request, a signal: Apply then reports what it applied and what was not
// ready, as a TimeoutError whose Cause it is.
var ErrInterrupted = errors.New("interrupted")

// TimeoutError lists what was still not ready when the run's time was up,
// or when it was interrupted (Cause).
type TimeoutError struct {
	// Timeout is the run's timeout.
	Timeout time.Duration
	// Cause, when set, is the interruption (an ErrInterrupted) that ended
	// the run before its time was up.
	Cause error
	// Pending are the objects of the level being waited for that were not
	// ready, each as "Kind/namespace/name: status: message".
	Pending []string
	// NotApplied counts objects never applied: what they depend on was
	// not ready.
	NotApplied int
}

func (e *TimeoutError) Error() string {
	msg := fmt.Sprintf("timed out after %s", e.Timeout)
	if e.Cause != nil {
		msg = e.Cause.Error()
	}
	if len(e.Pending) > 0 || e.Cause == nil {
		msg += fmt.Sprintf("; not ready:\n  %s", strings.Join(e.Pending, "\n  "))
	}
	switch {
	case e.NotApplied > 0 && e.Cause != nil:
		msg += fmt.Sprintf("\n%d objects were not applied", e.NotApplied)
	case e.NotApplied > 0:
		msg += fmt.Sprintf("\n%d objects were not applied: what they depend on was not ready", e.NotApplied)
	}
	return msg
}

// Unwrap is the interruption, if any.
func (e *TimeoutError) Unwrap() error { return e.Cause }

// waiter reports the statuses seen of the objects being waited for.
type waiter struct {
	m     *Manager
	res   *Result
	start time.Time
	last  map[object.ObjMetadata]*event.ResourceStatus
}

func (w *waiter) update(rs *event.ResourceStatus) error {
	if rs.Status == status.UnknownStatus && (errors.Is(rs.Error, context.Canceled) || errors.Is(rs.Error, context.DeadlineExceeded)) {
		// A read the run's own end cut short says nothing about the
		// object: keep what was seen before, for the timeout's list.
		return nil
	}
	id := rs.Identifier
	name := graph.Name(id.GroupKind.Kind, id.Namespace, id.Name)
	prev := w.last[id]
	w.last[id] = rs
	message := rs.Message
	if rs.Error != nil {
		message = rs.Error.Error()
	}
	w.res.setStatus(name, rs.Status.String(), message)
	if prev == nil || prev.Status != rs.Status || prev.Message != rs.Message {
		fmt.Fprintf(w.m.progress, "%s %s: %s (%s)\n", name, rs.Status, message, formatDuration(w.m.now().Sub(w.start)))
	}
	w.showLive(name, rs)
	if rs.Status == status.FailedStatus {
		return &TerminalError{Object: name, Message: message}
	}
	return nil
}

// showLive rewrites the live summary: how many objects are ready and the
// one being waited on.
func (w *waiter) showLive(name string, rs *event.ResourceStatus) {
	if !w.m.live {
		return
	}
	ready, total := w.res.readyCount()
	waiting := ""
	if rs.Status != status.CurrentStatus {
		phase, _ := strings.CutSuffix(rs.Message, ":")
		waiting = fmt.Sprintf(", waiting on %s (%s, %s)", name, firstField(phase), formatDuration(w.m.now().Sub(w.start)))
	}
	fmt.Fprintf(w.m.progress, "\r\033[K%d/%d ready%s", ready, total, waiting)
}

// firstField is the part of a status message before its first colon.
func firstField(msg string) string {
	before, _, _ := strings.Cut(msg, ":")
	return before
}
