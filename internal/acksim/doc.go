// Package acksim plays the part of the ACK service controllers (ec2, iam,
// eks, cloudwatchlogs) against a real kube-apiserver, for the applier's
// tests. It talks to no AWS endpoint: every AWS resource "exists" as soon as
// the Sim says so, and its IDs and ARNs are derived from the object's kind
// and name.
//
// What it copies from the real controllers (runtime v0.62, see
// FIELDS.md): the finalizer finalizers.<group>/<Kind>, added when creation
// starts and removed on deletion; reference resolution through the fields
// of ack.RefFields with the runtime's condition texts; the conditions
// ACK.ReferencesResolved, ACK.ResourceSynced, Ready, ACK.Terminal and
// ACK.Recoverable; the status fields later objects and the applier read;
// late initialization of unset spec fields with an Update under the
// controller's field manager; and status writes through the status
// subresource with strict field validation.
//
// It also plays adoption (adopt.go): AWS resources that exist before any
// object (AddExisting) are adopted by an object whose
// services.k8s.aws/adoption-policy and adoption-fields name them, as the
// runtime's Sync does, and Adopted and Created say which objects took a
// resource over and which made a new one.
//
// What it does not simulate: deletion order and DependencyViolation,
// deletion-policy, read-only annotations, ACK.LateInitialized,
// ACK.Advisory for cross-namespace references, the "both reference and ID"
// error, FieldExport, and re-resolution of a synced object's references
// before its spec changes (the real controllers wait for the resync
// period too).
//
// The package is test support: only _test.go files import it. It imports
// the ack reference table and controller-runtime's client.
package acksim
