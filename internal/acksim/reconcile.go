package acksim

import (
	"context"
	"maps"
	"reflect"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/eks-render/render/internal/ack"
)

// strict makes the apiserver reject fields the CRD does not know, so that
// a status field the Sim invents fails the test instead of being pruned.
const strict = client.FieldValidation("Strict")

// reconcile does to obj what its controller does in one reconcile.
func (s *Sim) reconcile(ctx context.Context, k kind, obj *unstructured.Unstructured, ns map[string]string) error {
	loc, err := s.locate(ctx, obj, ns)
	if e, ok := isRole(err); ok {
		return s.unavailableRole(ctx, k, obj, e)
	}
	if err != nil {
		return err
	}
	if msg := accountMoved(obj, loc); msg != "" {
		return s.write(ctx, k, obj, failed(override{terminal: true, message: msg}), nil, "terminal: "+msg, false)
	}
	st := s.state(k, obj)
	st.loc = loc
	if obj.GetDeletionTimestamp() != nil {
		return s.finalize(ctx, k, obj)
	}
	if o, ok := s.overrideFor(kindName(obj)); ok {
		what := "recoverable: " + o.message
		if o.terminal {
			what = "terminal: " + o.message
		}
		// Each reconcile of a new generation stamps its conditions with
		// its own time (the runtime's SetTerminal and SetRecoverable set
		// LastTransitionTime to now, pkg/condition/condition.go), so the
		// failure is not mistaken for one from before the change.
		stamp := obj.GetGeneration() != st.failedGen
		st.failedGen = obj.GetGeneration()
		return s.write(ctx, k, obj, failed(o), nil, what, stamp)
	}
	hasRefs := len(refsOf(k, obj)) > 0
	switch {
	case st.synced && !st.updating && obj.GetGeneration() != st.syncedGen:
		return s.update(ctx, k, obj, st, hasRefs)
	case st.synced && !st.updating:
		return s.keepSynced(ctx, k, obj, st, hasRefs)
	case st.updating && time.Since(st.updateStarted) < s.opts.UpdateDelay[kindName(obj)]:
		return nil
	}
	if done, err := s.versionStepDone(ctx, k, obj, st, hasRefs); done || err != nil {
		return err
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
	conds := conditionsOf(obj)
	if controllerutil.ContainsFinalizer(obj, k.finalizer()) && hasCondition(conds, condResourceSynced, "True") &&
		!(k.Kind == "Cluster" && k.Group == ack.EKSGroup && !hasCondition(conds, condLateInitialized, "True")) {
		// (A Cluster without ACK.LateInitialized was left by an adoption
		// pass, not synced: adoptionPassStatus. The runtime late-initializes
		// only after a pass that reaches the end of Sync, runtime 95428e7
		// pkg/runtime/reconciler.go:655-668, and the eks-controller's
		// Cluster always has fields to late-initialize, v1.20.0
		// pkg/resource/cluster/manager.go:53, 240-245.)
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
	s.setVersion(kindName(obj), "")
	s.setAuthMode(kindName(obj), "")
	if !controllerutil.RemoveFinalizer(obj, k.finalizer()) {
		return nil
	}
	if err := s.c.Update(ctx, obj, client.FieldOwner(k.manager())); err != nil {
		return err
	}
	s.record(obj, "finalizer removed")
	return s.recreatedByEKS(ctx, k, obj)
}

// update reconciles a spec change of a synced object the way the runtime
// does (see the package doc): nothing is written until Options.UpdateLag
// has passed since the Sim first saw the new generation (the old
// ACK.ResourceSynced=True stays, stale); then, for a change AWS applies
// asynchronously (an EKS Cluster or Nodegroup change other than tags),
// ACK.ResourceSynced=False with the eks-controller's message and status
// UPDATING until Options.UpdateDelay has passed; for any other change, one
// status write with ACK.ResourceSynced=True stamped now, as every
// reconcile's ensureConditions stamps it, even when nothing in AWS changed.
func (s *Sim) update(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool) error {
	if st.changeGen != obj.GetGeneration() {
		st.changeGen, st.changeSeen = obj.GetGeneration(), time.Now()
	}
	if time.Since(st.changeSeen) < s.opts.UpdateLag[kindName(obj)] {
		return nil
	}
	// An adopted Fargate profile whose spec differs from AWS's is never
	// updated: eks-controller v1.20.0 pkg/resource/fargate_profile/hook.go
	// customUpdate ("Never allow any changes"; unchangeable.go).
	if msg := s.unchangeable(obj); msg != "" {
		return s.writePhase(ctx, k, obj, st, active, progress(hasRefs, "False", msg), "unsynced: "+msg)
	}
	if done, err := s.versionUpdate(ctx, k, obj, st, hasRefs); done || err != nil {
		return err
	}
	if msg, async := asyncUpdate(obj, st.syncedSpec); async {
		st.updating, st.updateStarted = true, time.Now()
		return s.writePhase(ctx, k, obj, st, updating, progress(hasRefs, "False", msg), "unsynced: "+msg)
	}
	return s.markSynced(ctx, k, obj, st, hasRefs, true)
}

// asyncUpdate tells whether AWS applies the change from the spec synced to
// obj's asynchronously, and the message the controller reports meanwhile.
// The eks-controller (v1.20.0) syncs tags in the reconcile and returns
// ("If no changes except tags", pkg/resource/cluster/hook.go customUpdate;
// nodegroup/hook.go likewise); any other Cluster or Nodegroup change starts
// an update and sets ACK.ResourceSynced=False with these messages
// (returnClusterUpdating, returnNodegroupUpdating).
func asyncUpdate(obj *unstructured.Unstructured, synced map[string]any) (string, bool) {
	msg, ok := map[string]string{"Cluster": "Cluster is currently being updated", "Nodegroup": "Nodegroup is currently being updated"}[obj.GetKind()]
	if !ok || obj.GroupVersionKind().Group != ack.EKSGroup {
		return "", false
	}
	spec, _, _ := unstructured.NestedMap(obj.Object, "spec")
	spec, synced = maps.Clone(spec), maps.Clone(synced)
	delete(spec, "tags")
	delete(synced, "tags")
	return msg, synced == nil || !reflect.DeepEqual(spec, synced)
}

// keepSynced rewrites the status of a synced object only when its
// conditions are not the synced ones, e.g. after Clear.
func (s *Sim) keepSynced(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool) error {
	conds := syncedConditions(k, hasRefs)
	if reflect.DeepEqual(conditionsOf(obj), conds) {
		return nil
	}
	fields, err := s.statusFields(ctx, obj, active, st)
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
	if st.resolvedAt.IsZero() {
		// The create call: EKS refuses subnets that do not exist
		// (subnetsRefused; terminal per kind as eks-controller v1.20.0
		// generator.yaml terminal_codes say), a second Fargate profile of a cluster while
		// one is being created, and an access entry of a cluster without
		// the access entry API (createRefused).
		if msg, terminal, err := s.subnetsRefused(ctx, obj); err != nil || msg != "" {
			if err != nil {
				return err
			}
			return s.writeStatus(ctx, k, obj, failed(override{terminal: terminal, message: msg}), nil, failedEvent(terminal)+msg)
		}
		if msg, err := s.createRefused(ctx, k, obj); err != nil || msg != "" {
			if err != nil {
				return err
			}
			return s.writeStatus(ctx, k, obj, failed(override{message: msg}), nil, "recoverable: "+msg)
		}
		if done, err := s.versionOnCreate(ctx, k, obj, st); done || err != nil {
			return err
		}
		// An adopted Cluster's next pass is an ordinary update from its
		// spec (adopt.go): a mode it does not run yet is changed first.
		if k.Kind == "Cluster" && k.Group == ack.EKSGroup {
			if done, err := s.authModeStep(ctx, k, obj, st, len(refs) > 0); done || err != nil {
				return err
			}
		}
	}
	if msg := s.unchangeable(obj); msg != "" {
		return s.writePhase(ctx, k, obj, st, active, progress(len(refs) > 0, "False", msg), "unsynced: "+msg)
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
	issue, err := s.eksInside(ctx, obj)
	if err != nil {
		return err
	}
	if issue != "" {
		return s.writePhase(ctx, k, obj, st, degraded, progress(len(refs) > 0, "False", msgDegraded), "degraded: "+issue)
	}
	return s.markSynced(ctx, k, obj, st, len(refs) > 0, false)
}

// markSynced writes obj's status as synced and remembers the spec it synced;
// stamp stamps every condition now, as a reconcile of a change does,
// instead of keeping the times of conditions that did not change.
func (s *Sim) markSynced(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs, stamp bool) error {
	fields, err := s.statusFields(ctx, obj, active, st)
	if err != nil {
		return err
	}
	// Recorded before the write: a reader that sees the synced status
	// (waitSynced) must find the object in SyncedOrder too. A write that
	// fails is retried on the next pass.
	s.markFirstSynced(kindName(obj))
	if err := s.write(ctx, k, obj, syncedConditions(k, hasRefs), fields, "synced", stamp); err != nil {
		return err
	}
	st.synced, st.updating, st.syncedGen = true, false, obj.GetGeneration()
	st.syncedSpec, _, _ = unstructured.NestedMap(obj.Object, "spec")
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
	fields, err := s.statusFields(ctx, obj, ph, st)
	if err != nil {
		return err
	}
	return s.writeStatus(ctx, k, obj, conds, fields, what)
}

// writeStatus sets conds and fields in obj's status and writes it through
// the status subresource, unless nothing changes; it records what when
// it writes.
func (s *Sim) writeStatus(ctx context.Context, k kind, obj *unstructured.Unstructured, conds []condition, fields map[string]any, what string) error {
	return s.write(ctx, k, obj, conds, fields, what, false)
}

// write is writeStatus; with stamp, every condition gets the time now.
func (s *Sim) write(ctx context.Context, k kind, obj *unstructured.Unstructured, conds []condition, fields map[string]any, what string, stamp bool) error {
	old, _, _ := unstructured.NestedMap(obj.Object, "status")
	status, _, _ := unstructured.NestedMap(obj.Object, "status")
	if status == nil {
		status = map[string]any{}
	}
	for name, v := range fields {
		status[name] = v
	}
	oldConds, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	if stamp {
		oldConds = nil
	}
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

// failedEvent is the event prefix of a failed create.
func failedEvent(terminal bool) string {
	if terminal {
		return "terminal: "
	}
	return "recoverable: "
}
