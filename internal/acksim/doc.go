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
// controller's field manager; status writes through the status
// subresource with strict field validation; and spec changes of synced
// objects as the runtime reconciles them: nothing is written until the
// controller gets to the change (Options.UpdateLag; the old
// ACK.ResourceSynced=True stays, stale), then every condition is stamped
// with the time of that reconcile (the runtime's SetSynced always sets
// LastTransitionTime to now, pkg/condition/condition.go), and an EKS Cluster
// or Nodegroup change other than tags goes through UPDATING with
// ACK.ResourceSynced=False (Options.UpdateDelay), as the eks-controller's
// customUpdate does. Labels and annotations alone are not reconciled: the
// runtime watches with GenerationChangedPredicate.
//
// It resolves each object's account and region as the runtime does
// (carm.go): a namespace annotated services.k8s.aws/owner-account-id is
// managed through the role the ConfigMap ack-role-account-map in
// Options.SystemNamespace maps that account to, and its resources are
// created in the role's account (ARNs, ownerID, ackResourceMetadata);
// without the map, the key or a value, the object stays
// ACK.ResourceSynced=False "IAM Role is not available" with the runtime's
// reason, and nothing is created; a resource whose account changes is
// Terminal. The region is the status's, else the object's
// services.k8s.aws/region, else the namespace's
// services.k8s.aws/default-region, else Options.Region.
//
// With Options.Workload it also plays what EKS does inside the new cluster
// (workload.go): a Cluster that does not set bootstrapSelfManagedAddons
// false gets the self-managed CoreDNS Deployment (pods annotated
// eks.amazonaws.com/compute-type: ec2); the coredns Addon installs CoreDNS
// as its configurationValues say (the pods' compute-type annotation is
// computeType as given, ec2 without one); each CoreDNS pod gets
// fargate-scheduler only if, when it is created, its compute type is none
// or exactly "fargate" and an ACTIVE Fargate profile selects it, and pods are replaced only
// when the template changes, never because a profile appeared; an Addon
// whose pods cannot be scheduled is DEGRADED and not synced.
//
// It plays Kubernetes version upgrades (versions.go) as the eks-controller
// v1.20.0 and EKS do them, keeping the version each Cluster, Nodegroup and
// Addon runs in AWS (ClusterVersion, NodegroupVersion, AddonVersion,
// pinned at creation; an unset Nodegroup version or Addon addonVersion is
// late-initialized from the cluster's version and eksversion's add-on
// table). A Cluster spec.version change goes one minor per
// UpdateClusterVersion, each step UPDATING for Options.UpdateDelay with
// ACK.ResourceSynced=False, until the spec's version (1.33 -> 1.35 steps
// through 1.34; events "version updating: 1.33 -> 1.34", "version updated:
// 1.34"); a step waits, ACK.Recoverable, while a node group of the cluster
// does not run the cluster's version. A lower version is the controller's
// Terminal error "desired cluster version is less than the observed
// version: 1.34 < 1.35". A Nodegroup version newer than its cluster's is
// a Terminal InvalidParameterException, on create and on update, and so
// is one older than the version the node group runs (no rollback); a
// version that disagrees with its releaseVersion (which the controller
// wrote back at creation) is the controller's Terminal "version and
// release version do not match"; while its Cluster is UPDATING a
// Nodegroup version update is ACK.Recoverable (ResourceInUseException). An
// Addon version eksversion does not pin for the cluster's version is a
// Terminal InvalidParameterException (an Addon terminal code), applied at
// once otherwise. A Terminal version error stays until the spec changes:
// the runtime neither requeues it nor wakes it for an event of the same
// generation, so re-applying the same spec after the cluster caught up
// does not help.
//
// It also plays adoption (adopt.go): AWS resources that exist before any
// object (AddExisting) are adopted by an object whose
// services.k8s.aws/adoption-policy and adoption-fields name them, as the
// runtime's Sync does, and Adopted and Created say which objects took a
// resource over and which made a new one. An adopted EKS Cluster's
// adoption pass writes ACK.ResourceSynced=True with AWS's state, without
// ACK.LateInitialized, before its update starts (adoptionPassStatus); a
// full pass's synced Cluster has ACK.LateInitialized=True. Existing.Version
// is the version an adopted cluster or node group runs.
//
// It plays a Cluster's authentication mode (authmode.go): AuthMode is the
// mode the cluster runs (the spec's at creation, CONFIG_MAP without one;
// an adopted one's Existing.AuthMode, CONFIG_MAP by default). A change to
// the next mode of CONFIG_MAP -> API_AND_CONFIG_MAP -> API goes UPDATING
// for Options.UpdateDelay (events "authentication mode updating: ...",
// "authentication mode updated: ..."), before any version step; any other
// is ACK.Recoverable "InvalidParameterException: Unsupported
// authentication mode update from CONFIG_MAP to API" for ever, and holds
// the version back. An AccessEntry of a CONFIG_MAP cluster is
// ACK.Recoverable InvalidRequestException until the cluster moves on.
//
// It plays EKS's check of the subnet IDs a create call names (subnets.go):
// a Cluster's resourcesVPCConfig.subnetIDs, a Nodegroup's or
// FargateProfile's subnets must exist in the Sim's AWS (AddExisting of
// Kind Subnet, as a network render does not own is seeded, or a Subnet
// object's status.subnetID), else the create fails with EKS's
// InvalidParameterException "The subnet ID '...' does not exist",
// ACK.Recoverable for a Cluster and ACK.Terminal for the others, as the
// eks-controller v1.20.0 classes that code per kind.
//
// It plays EKS's control-plane log group (logs.go): a LogGroup named
// /aws/eks/<cluster>/cluster deleted while that cluster still exists and
// logs is re-created by EKS, and Orphans lists it.
//
// What it does not simulate: the kubelet version of the nodes pods run on
// (workload.go schedules only CoreDNS pods and binds none to a node),
// add-on UPDATING, deletion order and DependencyViolation (beyond the log
// group above),
// deletion-policy, read-only annotations, ACK.LateInitialized,
// ACK.Advisory for cross-namespace references, the "both reference and ID"
// error, FieldExport, and re-resolution of a synced object's references
// before its spec changes (the real controllers wait for the resync
// period too).
//
// The package is test support: only _test.go files import it. It imports
// the ack reference table and controller-runtime's client.
package acksim
