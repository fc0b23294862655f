package acksim

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/ack"
)

// Defaults for the zero fields of Options.
const (
	DefaultInterval        = 50 * time.Millisecond
	DefaultClusterEndpoint = "https://ABC.gr7.us-west-2.eks.amazonaws.com"
	DefaultIssuer          = "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE"
	DefaultAccountID       = "111122223333"
	DefaultRegion          = "us-west-2"
)

// Options tune a Sim. The zero value is usable.
type Options struct {
	// Interval is the time between the starts of two reconcile passes;
	// default DefaultInterval (50ms).
	Interval time.Duration
	// Delay maps "Kind/name" to how long the object stays in creation
	// (ACK.ResourceSynced=False, Cluster status CREATING, VPC state pending)
	// after its references first resolved; default 0, synced in the same
	// pass.
	Delay map[string]time.Duration
	// ClusterEndpoint is written to a Cluster's status.endpoint; default
	// DefaultClusterEndpoint.
	ClusterEndpoint string
	// ClusterCA is the base64 PEM written to a Cluster's
	// status.certificateAuthority.data; default a fixed self-signed
	// Ed25519 CA that client-go can parse.
	ClusterCA string
	// Issuer is written to a Cluster's status.identity.oidc.issuer; default
	// DefaultIssuer.
	Issuer string
	// AccountID goes into every ARN and status.ackResourceMetadata;
	// default DefaultAccountID.
	AccountID string
	// Region goes into ARNs and status.ackResourceMetadata; default
	// DefaultRegion.
	Region string
	// Workload, when set, is the new EKS cluster: the Sim also plays what
	// EKS does inside it (workload.go): the CoreDNS Deployment a Cluster
	// bootstraps or the coredns Addon installs, its pods, and the Fargate
	// admission that gives each pod its scheduler when it is created. An
	// Addon coredns whose pods cannot be scheduled is DEGRADED, not synced.
	Workload client.Client
	// WorkloadNamespace stands in for kube-system in Workload, so that
	// tests sharing an apiserver do not meet; default "kube-system".
	WorkloadNamespace string
	// UpdateLag maps "Kind/name" to how long the controller takes after a
	// spec change of a synced object before it writes any status: the
	// watch event, the work queue and the AWS calls. Meanwhile the old
	// ACK.ResourceSynced=True stays, stale. Default 0.
	UpdateLag map[string]time.Duration
	// UpdateDelay maps "Kind/name" of an EKS Cluster or Nodegroup to how
	// long an asynchronous update keeps it UPDATING with
	// ACK.ResourceSynced=False; default 0, one pass. A Cluster version
	// change takes it once per minor (versions.go).
	UpdateDelay map[string]time.Duration
	// SystemNamespace is the ACK system namespace, where the runtime reads
	// the account map ack-role-account-map (carm.go); default ack-system.
	SystemNamespace string
	// RideOutOutages keeps Run going, like a real controller, when a
	// request fails for any reason (recorded as an "error: ..." event), for
	// tests that stop the apiserver. Without it such a failure ends Run.
	RideOutOutages bool
}

// withDefaults fills the zero fields of o and copies Delay, which the
// caller may change afterwards.
func (o Options) withDefaults() Options {
	o.Delay = maps.Clone(o.Delay)
	o.UpdateLag, o.UpdateDelay = maps.Clone(o.UpdateLag), maps.Clone(o.UpdateDelay)
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.ClusterEndpoint == "" {
		o.ClusterEndpoint = DefaultClusterEndpoint
	}
	if o.ClusterCA == "" {
		o.ClusterCA = defaultCA()
	}
	if o.Issuer == "" {
		o.Issuer = DefaultIssuer
	}
	if o.AccountID == "" {
		o.AccountID = DefaultAccountID
	}
	if o.Region == "" {
		o.Region = DefaultRegion
	}
	if o.SystemNamespace == "" {
		o.SystemNamespace = ack.SystemNamespace
	}
	if o.WorkloadNamespace == "" {
		o.WorkloadNamespace = podsNamespace
	}
	return o
}

// Event is one thing the Sim did to an object, for assertions.
type Event struct {
	// Time is when the write succeeded.
	Time time.Time
	// Object is "Kind/namespace/name".
	Object string
	// What is one of: "finalizer added", "finalizer removed",
	// "references unresolved: <reason>", "creating", "late-initialized:
	// <spec paths>", "synced", "unsynced: Cluster is currently being
	// updated" (and Nodegroup),
	// "terminal: <message>", "recoverable: <message>", "version updating:
	// <from> -> <to>", "version updated: <version>" (versions.go),
	// "authentication mode updating: <from> -> <to>", "authentication
	// mode updated: <mode>" (authmode.go).
	What string
}

// Sim plays the ACK controllers for one namespace. Create it with New and
// run it with Run or Start; the other methods are safe to call meanwhile.
//
// Like runtime v0.62, while an object's references do not resolve its
// status.conditions hold only ACK.ReferencesResolved (Unknown, or False
// for a Terminal target; message "Reference resolution failed", reason
// the runtime's error text), with no ACK.ResourceSynced and no Ready, and
// the object gets its finalizer only once they resolve.
type Sim struct {
	c         client.Client
	namespace string
	opts      Options
	kinds     []kind

	mu        sync.Mutex
	overrides map[string]override // by "Kind/name"
	synced    []string
	events    []Event
	// existing are the AWS resources that exist before any object (by
	// Existing.key), adopted what objects adopted (by "Kind/name"),
	// created the objects whose resource the Sim created.
	existing map[string]Existing
	adopted  map[string]Existing
	created  []string
	// orphans are the AWS resources left with no object (logs.go).
	orphans []string
	// versions is the version each EKS Cluster, Nodegroup and Addon runs
	// in AWS, by "Kind/name" (versions.go).
	versions map[string]string
	// authModes is the authentication mode each EKS Cluster runs in AWS,
	// by "Kind/name" (authmode.go).
	authModes map[string]string

	// objs is the memory of each object by UID; only Run's goroutine
	// touches it.
	objs map[types.UID]*objState
}

// override is a failure forced by SetTerminal or SetRecoverable.
type override struct {
	terminal bool
	message  string
}

// objState is what a controller would know about the AWS resource behind
// an object.
type objState struct {
	// resolvedAt is when the references first resolved: creation began.
	resolvedAt time.Time
	// loc is where the resource lives, as this reconcile resolved it
	// (carm.go).
	loc location
	// synced is true once the object became Synced (the resource exists).
	synced bool
	// syncedGen is the metadata.generation last reported Synced.
	syncedGen int64
	// updating is true between the start of an asynchronous update and
	// the next sync; updateStarted is when it started.
	updating      bool
	updateStarted time.Time
	// syncedSpec is the spec last reported Synced (nil if the Sim did
	// not sync it itself).
	syncedSpec map[string]any
	// changeGen is the generation of the last spec change seen, at
	// changeSeen.
	changeGen  int64
	changeSeen time.Time
	// ver is a version change in progress or refused (versions.go).
	ver verState
	// failedGen is the generation a forced failure (SetTerminal,
	// SetRecoverable) was last written for.
	failedGen int64
}

// New returns a Sim that reconciles the ACK objects in namespace through c,
// a controller-runtime client whose scheme need not know the ACK kinds
// (they are handled as unstructured). c should not be rate limited much:
// each pass lists every kind.
func New(c client.Client, namespace string, opts Options) *Sim {
	return &Sim{
		c:         c,
		namespace: namespace,
		opts:      opts.withDefaults(),
		kinds:     simKinds(),
		overrides: map[string]override{},
		objs:      map[types.UID]*objState{},
		existing:  map[string]Existing{},
		adopted:   map[string]Existing{},
	}
}

// Run reconciles every Interval until ctx is done, then returns nil. A
// write that conflicts or finds its object gone is retried on the next
// pass; any other failed request ends Run with an error, because it means
// the Sim or the test is wrong (e.g. a status field the CRD lacks). Call
// Run from one goroutine at a time.
func (s *Sim) Run(ctx context.Context) error {
	ticker := time.NewTicker(s.opts.Interval)
	defer ticker.Stop()
	for {
		if err := s.pass(ctx); err != nil {
			// client-go's rate limiter fails a request early when it would
			// outlast ctx's deadline: that is ctx ending too.
			if ctx.Err() != nil || strings.Contains(err.Error(), "would exceed context deadline") {
				return nil
			}
			if !s.opts.RideOutOutages {
				return err
			}
			s.mu.Lock()
			s.events = append(s.events, Event{Time: time.Now(), What: "error: " + err.Error()})
			s.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// Start runs Run in a goroutine until t ends; an error from Run fails t.
func (s *Sim) Start(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Run(ctx); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// SetTerminal makes the object kindName ("Kind/name") fail for good from
// the next pass on: ACK.Terminal=True with message, ACK.ResourceSynced=False
// and Ready=False, until Clear. Like a create that AWS rejects, it adds no
// finalizer to an object that has none.
func (s *Sim) SetTerminal(kindName, message string) {
	s.setOverride(kindName, override{terminal: true, message: message})
}

// SetRecoverable makes the object kindName fail with a retryable AWS error
// from the next pass on: ACK.Recoverable=True with message,
// ACK.ResourceSynced=Unknown (as the runtime reports a reconcile error) and
// Ready=False, until Clear.
func (s *Sim) SetRecoverable(kindName, message string) {
	s.setOverride(kindName, override{message: message})
}

// Clear removes what SetTerminal or SetRecoverable set on kindName; the
// object then converges as usual.
func (s *Sim) Clear(kindName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.overrides, kindName)
}

// setOverride forces o on kindName.
func (s *Sim) setOverride(kindName string, o override) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.overrides[kindName] = o
}

// overrideFor returns the failure forced on kindName, if any.
func (s *Sim) overrideFor(kindName string) (override, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.overrides[kindName]
	return o, ok
}

// SyncedOrder returns "Kind/name" of every object that became Synced, in
// the order they first did.
func (s *Sim) SyncedOrder() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.synced)
}

// Events returns what the Sim did so far, oldest first.
func (s *Sim) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.events)
}

// record appends an event about obj.
func (s *Sim) record(obj *unstructured.Unstructured, what string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, Event{Time: time.Now(), Object: objectRef(obj), What: what})
}

// markFirstSynced appends kindName to the synced order once.
func (s *Sim) markFirstSynced(kindName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.Contains(s.synced, kindName) {
		s.synced = append(s.synced, kindName)
	}
}

// pass reconciles every object of every known kind once.
func (s *Sim) pass(ctx context.Context) error {
	seen := map[types.UID]bool{}
	ns, err := s.namespaceAnnotations(ctx)
	if err != nil {
		return err
	}
	for _, k := range s.kinds {
		items, err := s.list(ctx, k)
		if err != nil {
			return err
		}
		for i := range items {
			obj := &items[i]
			seen[obj.GetUID()] = true
			err := s.reconcile(ctx, k, obj, ns)
			if err != nil && !retryable(err) {
				return fmt.Errorf("acksim: %s: %w", objectRef(obj), err)
			}
		}
	}
	for uid := range s.objs {
		if !seen[uid] {
			delete(s.objs, uid)
		}
	}
	return nil
}

// retryable reports whether err only means "try again next pass": someone
// else wrote the object first, or it is gone.
func retryable(err error) bool {
	return apierrors.IsConflict(err) || apierrors.IsNotFound(err)
}

// objectRef names obj as Kind/namespace/name.
func objectRef(obj *unstructured.Unstructured) string {
	return obj.GetKind() + "/" + obj.GetNamespace() + "/" + obj.GetName()
}

// kindName names obj as Kind/name, the key of Options.Delay and the
// override methods.
func kindName(obj *unstructured.Unstructured) string {
	return obj.GetKind() + "/" + obj.GetName()
}
