package apply

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling"
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

// TimeoutError lists what was still not ready when the run's time was up.
type TimeoutError struct {
	Timeout time.Duration
	// Timeout is the run's timeout.
	// Pending are the objects of the level being waited for that were not
	// ready, each as "Kind/namespace/name: status: message".
	Pending []string
	// NotApplied counts objects never applied: what they depend on was
	// not ready.
	NotApplied int
}

func (e *TimeoutError) Error() string {
	msg := fmt.Sprintf("timed out after %s; not ready:\n  %s", e.Timeout, strings.Join(e.Pending, "\n  "))
	if e.NotApplied > 0 {
		msg += fmt.Sprintf("\n%d objects were not applied: what they depend on was not ready", e.NotApplied)
	}
	return msg
}

// waiter follows one level's objects until all are Current.
type waiter struct {
	m     *Manager
	res   *Result
	start time.Time
	last  map[object.ObjMetadata]*event.ResourceStatus
}

// wait polls the level's objects with kstatus (ACK kinds through
// ACKStatus) until all are Current, one is Failed, or ctx ends. It prints
// a line each time an object's status or message changes.
func (m *Manager) wait(ctx context.Context, level []*unstructured.Unstructured, interval time.Duration, res *Result) error {
	set := object.UnstructuredSetToObjMetadataSet(level)
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &waiter{m: m, res: res, start: m.now(), last: map[object.ObjMetadata]*event.ResourceStatus{}}
	for e := range m.poller.Poll(pctx, set, polling.PollOptions{PollInterval: interval}) {
		switch e.Type {
		case event.ErrorEvent:
			return fmt.Errorf("watch status: %w", e.Error)
		case event.ResourceUpdateEvent:
			if err := w.update(e.Resource); err != nil {
				return err
			}
			if w.allCurrent(set) {
				return nil
			}
		}
	}
	return w.timeout(ctx, set)
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
		w.clearLive()
		fmt.Fprintf(w.m.progress, "%s %s: %s (%s)\n", name, rs.Status, message, formatDuration(w.m.now().Sub(w.start)))
	}
	w.showLive(name, rs)
	if rs.Status == status.FailedStatus {
		return &TerminalError{Object: name, Message: message}
	}
	return nil
}

// clearLive erases the live summary line before a progress line.
func (w *waiter) clearLive() {
	if w.m.live {
		fmt.Fprint(w.m.progress, "\r\033[K")
	}
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

func (w *waiter) allCurrent(set object.ObjMetadataSet) bool {
	for _, id := range set {
		if rs := w.last[id]; rs == nil || rs.Status != status.CurrentStatus {
			return false
		}
	}
	return true
}

func (w *waiter) timeout(ctx context.Context, set object.ObjMetadataSet) error {
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return ctx.Err()
	}
	var pending []string
	for _, id := range set {
		rs := w.last[id]
		line := graph.Name(id.GroupKind.Kind, id.Namespace, id.Name) + ": not seen yet"
		if rs != nil && rs.Status != status.CurrentStatus {
			line = fmt.Sprintf("%s: %s: %s", graph.Name(id.GroupKind.Kind, id.Namespace, id.Name), rs.Status, rs.Message)
		} else if rs != nil {
			continue
		}
		pending = append(pending, line)
	}
	sort.Strings(pending)
	return &TimeoutError{Pending: pending} // Apply fills in the rest
}
