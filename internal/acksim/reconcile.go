package acksim

import (
	"context"
	"reflect"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// strict makes the apiserver reject fields the CRD does not know, so that
// a status field the Sim invents fails the test instead of being pruned.
const strict = client.FieldValidation("Strict")

// reconcile does to obj what its controller does in one reconcile.
func (s *Sim) reconcile(ctx context.Context, k kind, obj *unstructured.Unstructured) error {
	st := s.state(k, obj)
	if obj.GetDeletionTimestamp() != nil {
		return s.finalize(ctx, k, obj)
	}
	if o, ok := s.overrideFor(kindName(obj)); ok {
		what := "recoverable: " + o.message
		if o.terminal {
			what = "terminal: " + o.message
		}
		return s.writeStatus(ctx, k, obj, failed(o), nil, what)
	}
	hasRefs := len(refsOf(k, obj)) > 0
	switch {
	case st.synced && !st.updating && obj.GetGeneration() != st.syncedGen:
		return s.startUpdate(ctx, k, obj, st, hasRefs)
	case st.synced && !st.updating:
		return s.keepSynced(ctx, k, obj, st, hasRefs)
	}
	return s.converge(ctx, k, obj, st)
}

// state returns the Sim's memory of obj. An object the Sim has not seen
// but which carries the finalizer and ACK.ResourceSynced=True was synced
// by an earlier Sim: like a restarted controller, take it as it is.
func (s *Sim) state(k kind, obj *unstructured.Unstructured) *objState {
	if st := s.objs[obj.GetUID()]; st != nil {
		return st
	}
	st := &objState{}
	if controllerutil.ContainsFinalizer(obj, k.finalizer()) && hasCondition(conditionsOf(obj), condResourceSynced, "True") {
		st.synced, st.syncedGen = true, obj.GetGeneration()
		st.resolvedAt = obj.GetCreationTimestamp().Time
	}
	s.objs[obj.GetUID()] = st
	return st
}

// finalize removes the controller's finalizer from an object being
// deleted, as the controller does once the AWS resource is gone.
func (s *Sim) finalize(ctx context.Context, k kind, obj *unstructured.Unstructured) error {
	delete(s.objs, obj.GetUID())
	if !controllerutil.RemoveFinalizer(obj, k.finalizer()) {
		return nil
	}
	if err := s.c.Update(ctx, obj, client.FieldOwner(k.manager())); err != nil {
		return err
	}
	s.record(obj, "finalizer removed")
	return nil
}

// startUpdate reports a synced object whose spec changed as not synced for
// one pass, as the controller does while its update call runs.
func (s *Sim) startUpdate(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool) error {
	if err := s.writePhase(ctx, k, obj, st, updating, progress(hasRefs, "False", msgUpdating), "unsynced: "+msgUpdating); err != nil {
		return err
	}
	st.updating = true
	return nil
}

// keepSynced rewrites the status of a synced object only when its
// conditions are not the synced ones, e.g. after Clear.
func (s *Sim) keepSynced(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool) error {
	conds := progress(hasRefs, "True", msgSynced)
	if reflect.DeepEqual(conditionsOf(obj), conds) {
		return nil
	}
	fields, err := s.statusFields(ctx, obj, active, st.resolvedAt)
	if err != nil {
		return err
	}
	return s.writeStatus(ctx, k, obj, conds, fields, "synced")
}

// converge resolves obj's references and, once they resolve, creates
// (or updates) its AWS resource: finalizer, creation delay, late
// initialization, synced status.
func (s *Sim) converge(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState) error {
	refs := refsOf(k, obj)
	failure, err := s.resolve(ctx, refs)
	if err != nil {
		return err
	}
	if failure != nil {
		// The runtime replaces all conditions with this one: no
		// ACK.ResourceSynced, no Ready.
		return s.writeStatus(ctx, k, obj, []condition{*failure}, nil, "references unresolved: "+failure.Reason)
	}
	if done, err := s.adopt(ctx, k, obj); done || err != nil {
		return err
	}
	if err := s.addFinalizer(ctx, k, obj); err != nil {
		return err
	}
	if st.resolvedAt.IsZero() {
		st.resolvedAt = time.Now()
	}
	if time.Since(st.resolvedAt) < s.opts.Delay[kindName(obj)] {
		return s.writePhase(ctx, k, obj, st, creating, progress(len(refs) > 0, "False", msgCreating), "creating")
	}
	if err := s.lateInitialize(ctx, k, obj); err != nil {
		return err
	}
	if err := s.writePhase(ctx, k, obj, st, active, progress(len(refs) > 0, "True", msgSynced), "synced"); err != nil {
		return err
	}
	st.synced, st.updating, st.syncedGen = true, false, obj.GetGeneration()
	s.markFirstSynced(kindName(obj))
	return nil
}

// addFinalizer marks obj as managed, as the controller does right before
// its create call.
func (s *Sim) addFinalizer(ctx context.Context, k kind, obj *unstructured.Unstructured) error {
	if !controllerutil.AddFinalizer(obj, k.finalizer()) {
		return nil
	}
	if err := s.c.Update(ctx, obj, client.FieldOwner(k.manager()), strict); err != nil {
		return err
	}
	s.record(obj, "finalizer added")
	s.mu.Lock()
	s.created = append(s.created, kindName(obj))
	s.mu.Unlock()
	return nil
}

// lateInitialize writes the spec fields obj leaves unset that the
// controller fills from AWS, with an Update under the controller's field
// manager.
func (s *Sim) lateInitialize(ctx context.Context, k kind, obj *unstructured.Unstructured) error {
	filled, err := s.lateInit(ctx, obj)
	if err != nil || len(filled) == 0 {
		return err
	}
	if err := s.c.Update(ctx, obj, client.FieldOwner(k.manager()), strict); err != nil {
		return err
	}
	s.record(obj, "late-initialized: "+strings.Join(filled, ", "))
	return nil
}

// writePhase writes conds and the status fields of phase ph.
func (s *Sim) writePhase(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, ph phase, conds []condition, what string) error {
	fields, err := s.statusFields(ctx, obj, ph, st.resolvedAt)
	if err != nil {
		return err
	}
	return s.writeStatus(ctx, k, obj, conds, fields, what)
}

// writeStatus sets conds and fields in obj's status and writes it through
// the status subresource, unless nothing changes; it records what when
// it writes.
func (s *Sim) writeStatus(ctx context.Context, k kind, obj *unstructured.Unstructured, conds []condition, fields map[string]any, what string) error {
	old, _, _ := unstructured.NestedMap(obj.Object, "status")
	status, _, _ := unstructured.NestedMap(obj.Object, "status")
	if status == nil {
		status = map[string]any{}
	}
	for name, v := range fields {
		status[name] = v
	}
	oldConds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	status["conditions"] = renderConditions(conds, oldConds, time.Now())
	if reflect.DeepEqual(status, old) {
		return nil
	}
	obj.Object["status"] = status
	if err := s.c.Status().Update(ctx, obj, client.FieldOwner(k.manager()), strict); err != nil {
		return err
	}
	s.record(obj, what)
	return nil
}
