package acksim

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/eks-render/render/internal/ack"
)

// What the Sim copies of adoption from runtime v0.62 (pkg/runtime, at
// commit 95428e7 of github.com/aws-controllers-k8s/runtime, the newest in
// the snapshot; the controllers require v0.62.0):
//
//   - reconciler.go Sync (lines 552-674, adoption at 571-668): an object with the
//     adoption-policy annotation that is not managed yet (no finalizer) and
//     not marked adopted is looked up instead of created. Found: the
//     finalizer and services.k8s.aws/adopted: "true" are written
//     (setResourceManagedAndAdopted, lines 1290-1316) and, for
//     adopt-or-create, the object is requeued; the next pass is an ordinary
//     update from the object's spec. Not found: adopt-or-create creates it,
//     adopt fails with "adopted resource not found" (pkg/errors/error.go)
//     and retries.
//   - util.go GetAdoptionPolicy (lines 181-201): any other policy is
//     Terminal, "unrecognized adoption policy ...".
//   - reconciler.go handlePopulation (lines 467-505): adoption-fields that
//     are not JSON are Terminal for adopt and ignored for adopt-or-create;
//     with adopt-or-create only the status part of them counts
//     (resolved.SetStatus(populated)), so a kind identified by spec fields
//     (a name, a cluster name) is looked up by its own spec.
//
// The runtime sets no ACK.Adopted condition any more: that type is only a
// constant (apis/core/v1alpha1/conditions.go), set by the AdoptedResource
// reconciler that was removed with its CRD (829d005, "Remove
// AdoptedResource CRD"). Nor does the Sim. What "adopt" also does, patch
// the object's spec to the AWS resource's values, the Sim does not: it
// knows no values beyond the identifiers.

// specKeys are the adoption-fields keys that the controllers'
// PopulateResourceFromAnnotation writes into spec, not status (eks and iam
// controllers, pkg/resource/*/resource.go).
var specKeys = []string{"name", "clusterName", "principalARN"}

// Existing is an AWS resource that exists before any object asks for it.
type Existing struct {
	// Kind is the ACK kind that can adopt it, e.g. Subnet.
	Kind string
	// Fields are its identifiers, as the adoption-fields annotation
	// gives them (ack.AdoptionFields), e.g. {"subnetID": "subnet-0123"}.
	Fields map[string]string
	// AuthMode is the authentication mode of an existing EKS cluster
	// (Kind Cluster); "" is CONFIG_MAP, the API's default (authmode.go).
	AuthMode string
	// Version is the Kubernetes version an existing EKS cluster or node
	// group (Kind Cluster, Nodegroup) runs; "" is what its adopting
	// object's spec says. Adoption reads it (ReadOne's DescribeCluster,
	// DescribeNodegroup), so a spec that asks for another version is an
	// update from it (versions.go: one minor at a time for a Cluster).
	Version string
	// Spec are, for a Fargate profile, the values AWS holds of spec fields
	// (path -> JSON, e.g. spec.selectors): an adopting object that asks for
	// others is never synced (unchangeable.go).
	Spec map[string]string
}

// key identifies e among the existing resources.
func (e Existing) key() string {
	b, _ := json.Marshal(e.Fields) // sorted keys
	return e.Kind + " " + string(b)
}

// AddExisting makes the Sim play resources that already exist in AWS:
// objects that adopt them are adopted instead of created.
func (s *Sim) AddExisting(rs ...Existing) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rs {
		s.existing[r.key()] = r
	}
}

// Adopted returns "Kind/name" -> identifiers of every object the Sim
// adopted an existing resource for.
func (s *Sim) Adopted() map[string]map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]map[string]string{}
	for k, v := range s.adopted {
		out[k] = v.Fields
	}
	return out
}

// Created returns "Kind/name" of every object the Sim created an AWS
// resource for, in order; an object created twice is listed twice.
func (s *Sim) Created() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.created)
}

// adopt plays the adoption path of Sync for obj, whose references
// resolved. done is true when this pass is over for obj: adopted (and
// requeued), or failed.
func (s *Sim) adopt(ctx context.Context, k kind, obj *unstructured.Unstructured) (done bool, err error) {
	ann := obj.GetAnnotations()
	policy, ok := ann[ack.AdoptionPolicyAnnotation]
	if !ok || strings.EqualFold(ann[ack.AdoptedAnnotation], "true") || controllerutil.ContainsFinalizer(obj, k.finalizer()) {
		return false, nil
	}
	if policy != "adopt" && policy != ack.AdoptOrCreate {
		msg := fmt.Sprintf("unrecognized adoption policy %s. Supported policies are \"adopt\" and \"adopt-or-create\"", policy)
		return true, s.writeStatus(ctx, k, obj, failed(override{terminal: true, message: msg}), nil, "terminal: "+msg)
	}
	fields := map[string]string{}
	if err := json.Unmarshal([]byte(ann[ack.AdoptionFieldsAnnotation]), &fields); err != nil && policy == "adopt" {
		msg := "unmarshalling adoption-fields annotation: " + err.Error()
		return true, s.writeStatus(ctx, k, obj, failed(override{terminal: true, message: msg}), nil, "terminal: "+msg)
	}
	want, err := s.lookup(ctx, obj, policy, fields)
	if err != nil {
		return true, err
	}
	s.mu.Lock()
	found, exists := s.existing[want.key()]
	s.mu.Unlock()
	switch {
	case !exists && policy == "adopt":
		return true, s.writeStatus(ctx, k, obj, failed(override{message: "adopted resource not found"}), nil, "recoverable: adopted resource not found")
	case !exists:
		return false, nil // adopt-or-create: created as usual
	}
	controllerutil.AddFinalizer(obj, k.finalizer())
	ann[ack.AdoptedAnnotation] = "true"
	obj.SetAnnotations(ann)
	if err := s.c.Update(ctx, obj, client.FieldOwner(k.manager()), strict); err != nil {
		return true, err
	}
	s.mu.Lock()
	s.adopted[kindName(obj)] = found
	s.mu.Unlock()
	if found.Kind == "Cluster" {
		s.setAuthMode(kindName(obj), cmp.Or(found.AuthMode, authModeDefault))
	}
	if found.Version != "" {
		s.setVersion(kindName(obj), found.Version)
	}
	s.record(obj, "adopted: "+found.key())
	return true, s.adoptionPassStatus(ctx, k, obj)
}

// adoptionPassStatus writes the status the adoption pass of an EKS Cluster
// leaves: the runtime's adopt-or-create path returns the ReadOne result
// with a requeue, before any update and before late initialization
// (runtime 95428e7 pkg/runtime/reconciler.go:655-663; lateInitializeResource
// comes after, :668), and the eks-controller's ReadOne sets
// ACK.ResourceSynced=True, with no message, for any ACTIVE cluster
// (eks-controller v1.20.0 pkg/resource/cluster/sdk.go:494-500), which
// ensureConditions keeps and mirrors into Ready (reconciler.go:721-770).
// So an adopted Cluster reads as synced for one pass although AWS still
// runs its old authentication mode and version: what made issue 27's
// add-ons go to a 1.34 control plane with 1.35's versions. It lacks the
// ACK.LateInitialized condition a full pass sets (syncedConditions).
func (s *Sim) adoptionPassStatus(ctx context.Context, k kind, obj *unstructured.Unstructured) error {
	if k.Kind != "Cluster" || k.Group != ack.EKSGroup {
		return nil
	}
	// Where this reconcile located the resource (carm.go), created now.
	fields, err := s.statusFields(ctx, obj, active, &objState{resolvedAt: time.Now(), loc: s.state(k, obj).loc})
	if err != nil {
		return err
	}
	return s.writeStatus(ctx, k, obj, progress(len(refsOf(k, obj)) > 0, "True", ""), fields, "adoption pass: synced as it is in AWS")
}

// lookup returns the identifiers the controller reads obj's resource by:
// status fields from the annotation; spec fields from the annotation with
// adopt, from the object's own spec with adopt-or-create.
func (s *Sim) lookup(ctx context.Context, obj *unstructured.Unstructured, policy string, fields map[string]string) (Existing, error) {
	out := Existing{Kind: obj.GetKind(), Fields: map[string]string{}}
	for _, key := range ack.AdoptionFields[obj.GetKind()] {
		v := fields[key]
		if policy == ack.AdoptOrCreate && slices.Contains(specKeys, key) {
			var err error
			if v, err = s.specValue(ctx, obj, key); err != nil {
				return out, err
			}
		}
		out.Fields[key] = v
	}
	return out, nil
}

// specValue is spec.<key> of obj; a cluster name may come through
// clusterRef.
func (s *Sim) specValue(ctx context.Context, obj *unstructured.Unstructured, key string) (string, error) {
	if key == "clusterName" {
		return s.clusterName(ctx, obj)
	}
	v, _, _ := unstructured.NestedString(obj.Object, "spec", key)
	return v, nil
}

// idFor is the AWS ID of the object of an EC2 kind called name: the
// adopted resource's, else the one the Sim makes up.
func (s *Sim) idFor(kind, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.adopted[kind+"/"+name]; ok {
		if id := e.Fields[ec2IDs[kind].field]; id != "" {
			return id
		}
	}
	return ID(kind, name)
}
