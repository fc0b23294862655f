package acksim

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/eksversion"
)

// Kubernetes version upgrades (issue 14): what EKS and the eks-controller
// (v1.20.0, the bare repository's HEAD; file:line below are of that
// commit) do with a Cluster's spec.version, a Nodegroup's spec.version
// and an Addon's spec.addonVersion. The Sim keeps, for each of these
// objects, the version the AWS resource runs (its "observed" version, as
// ReadOne would return it), pinned when the resource is created and
// changed only by an update the Sim lets through; ClusterVersion,
// NodegroupVersion and AddonVersion expose it.
//
// How a version error ends matters for the applier: the runtime does not
// requeue an object whose reconcile ended Terminal (runtime v0.62
// pkg/runtime/reconciler.go:1457 returns an empty Result for
// ackerr.Terminal), and its watch drops events that do not change the
// generation (GenerationChangedPredicate, reconciler.go:115), so neither
// the resync period nor re-applying the same spec wakes it: a Terminal
// version error stays until the spec changes (a new generation) or the
// controller restarts. A Recoverable one is retried with back-off and
// heals by itself.

// Event texts of version changes (Event.What).
const (
	// evVersionUpdating is "version updating: <from> -> <to>": the update
	// call (UpdateClusterVersion, UpdateNodegroupVersion) was accepted.
	evVersionUpdating = "version updating: "
	// evVersionUpdated is "version updated: <version>": the AWS resource
	// runs that version now.
	evVersionUpdated = "version updated: "
)

// verState is the Sim's memory of a version change in progress, part of
// objState.
type verState struct {
	// stepTo is the version an accepted update takes the resource to; ""
	// when none is in progress.
	stepTo string
	// from is the version it started from.
	from string
	// authTo is the authentication mode an accepted access config update
	// takes a Cluster to; "" when none is in progress (authmode.go).
	authTo string
	// terminalGen is the generation a version error was reported Terminal
	// for; the object is not reconciled again until its generation
	// changes (see above).
	terminalGen int64
}

// ClusterVersion returns the Kubernetes version the EKS cluster behind the
// Cluster kindName ("Cluster/name") runs in AWS, "" before the Sim created
// it.
func (s *Sim) ClusterVersion(kindName string) string { return s.knownVersion(kindName) }

// NodegroupVersion returns the Kubernetes version the node group behind
// the Nodegroup kindName ("Nodegroup/name") runs in AWS, "" before the Sim
// created it.
func (s *Sim) NodegroupVersion(kindName string) string { return s.knownVersion(kindName) }

// AddonVersion returns the add-on version the EKS add-on behind the Addon
// kindName ("Addon/name") runs in AWS, "" before the Sim created it.
func (s *Sim) AddonVersion(kindName string) string { return s.knownVersion(kindName) }

// knownVersion returns the observed version of kindName, "" if none.
func (s *Sim) knownVersion(kindName string) string { return s.memo(&s.versions, kindName) }

// setVersion sets the observed version of kindName; "" forgets it.
func (s *Sim) setVersion(kindName, v string) { s.setMemo(&s.versions, kindName, v) }

// memo returns key's value in *m, one of the Sim's memories of AWS, under
// its lock.
func (s *Sim) memo(m *map[string]string, key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return (*m)[key]
}

// setMemo sets key's value in *m under the Sim's lock; "" forgets it.
func (s *Sim) setMemo(m *map[string]string, key, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *m == nil {
		*m = map[string]string{}
	}
	if v == "" {
		delete(*m, key)
		return
	}
	(*m)[key] = v
}

// awsVersion returns the observed version of an EKS Cluster, Nodegroup or
// Addon, pinning it when the Sim has none yet: the version the spec asks
// for, else what AWS picks when the create call names none (a Cluster:
// defaultVersion; a Nodegroup: its cluster's version; an Addon: the
// version eksversion pins for its cluster's version, which the
// controller writes back into the spec, eks-controller
// pkg/resource/addon/sdk.go:106). An object synced by an earlier Sim is
// taken to run what its spec says.
func (s *Sim) awsVersion(ctx context.Context, obj *unstructured.Unstructured) (string, error) {
	kn := kindName(obj)
	if v := s.knownVersion(kn); v != "" {
		return v, nil
	}
	var v string
	switch obj.GetKind() {
	case "Cluster":
		v, _, _ = unstructured.NestedString(obj.Object, "spec", "version")
		if v == "" {
			v = defaultVersion
		}
	case "Nodegroup":
		v, _, _ = unstructured.NestedString(obj.Object, "spec", "version")
		if v == "" {
			var err error
			if v, err = s.nodegroupVersion(ctx, obj); err != nil {
				return "", err
			}
		}
	case "Addon":
		v, _, _ = unstructured.NestedString(obj.Object, "spec", "addonVersion")
		if v == "" {
			var err error
			if v, err = s.defaultAddonVersion(ctx, obj); err != nil {
				return "", err
			}
		}
	}
	s.setVersion(kn, v)
	return v, nil
}

// clusterVersionOf returns the observed version of the Cluster obj
// belongs to, "" when the Sim finds no such Cluster.
func (s *Sim) clusterVersionOf(ctx context.Context, obj *unstructured.Unstructured) (string, error) {
	c, err := s.clusterOf(ctx, obj)
	if err != nil || c == nil {
		return "", err
	}
	return s.awsVersion(ctx, c)
}

// defaultAddonVersion is the version EKS installs for an Addon that names
// none: the one eksversion pins for the add-on on its cluster's version,
// else the placeholder addonVersion for an add-on or version the table
// does not know.
func (s *Sim) defaultAddonVersion(ctx context.Context, obj *unstructured.Unstructured) (string, error) {
	cv, err := s.clusterVersionOf(ctx, obj)
	if err != nil {
		return "", err
	}
	name, _, _ := unstructured.NestedString(obj.Object, "spec", "name")
	if v, err := eksversion.AddonVersion(name, cv); err == nil {
		return v, nil
	}
	return addonVersion, nil
}

// versionOnCreate plays what the create call of an EKS Cluster, Nodegroup
// or Addon does with versions: it pins the observed version, or fails the
// create for good when AWS would refuse the version (ACK.Terminal, no
// finalizer: the runtime removes it after a create AWS refused, runtime
// reconciler.go createResource). It reports whether it wrote the outcome.
func (s *Sim) versionOnCreate(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState) (bool, error) {
	if k.Group != ack.EKSGroup {
		return false, nil
	}
	if st.ver.terminalGen == obj.GetGeneration() {
		return true, nil
	}
	var msg string
	var err error
	switch k.Kind {
	case "Nodegroup":
		msg, err = s.nodegroupAheadOfCluster(ctx, obj)
	case "Addon":
		msg, err = s.addonNotSupported(ctx, obj)
	case "Cluster":
	default:
		return false, nil
	}
	if err != nil || msg != "" {
		if err != nil {
			return true, err
		}
		return true, s.versionFailed(ctx, k, obj, st, override{terminal: true, message: msg})
	}
	_, err = s.awsVersion(ctx, obj)
	return false, err
}

// nodegroupAheadOfCluster returns the error EKS gives a node group whose
// spec.version is newer than its cluster's version, "" when it is not:
// an HTTP 400 InvalidParameterException. The text is modelled on the
// reports "Requested release version 1.31.3-20250103 is not valid for
// kubernetes version 1.30" (eksctl-io/eksctl#7976) and "Requested
// Nodegroup release version 1.17.9-20200723 is invalid"
// (hashicorp/terraform-provider-aws#14492); AWS's exact words for a
// version (rather than a release version) are not documented. The
// eks-controller does not compare the versions itself
// (pkg/resource/nodegroup/hook.go:368 calls UpdateNodegroupVersion with the
// desired version, hook.go:559 updateVersion), and InvalidParameterException
// is one of the Nodegroup's terminal codes (pkg/resource/nodegroup/sdk.go:902,
// generator.yaml), so the object goes ACK.Terminal.
func (s *Sim) nodegroupAheadOfCluster(ctx context.Context, obj *unstructured.Unstructured) (string, error) {
	want, _, _ := unstructured.NestedString(obj.Object, "spec", "version")
	if want == "" {
		return "", nil
	}
	cv, err := s.clusterVersionOf(ctx, obj)
	if err != nil || cv == "" || eksversion.Compare(want, cv) <= 0 {
		return "", err
	}
	return fmt.Sprintf("InvalidParameterException: Requested Nodegroup version %s is not valid for kubernetes version %s", want, cv), nil
}

// addonNotSupported returns the error EKS gives an Addon whose
// spec.addonVersion is not one its cluster's version supports, "" when it
// is supported or when eksversion's table does not know the add-on or the
// cluster's version. EKS answers CreateAddon and UpdateAddon with HTTP 400
// "InvalidParameterException: Addon version specified is not supported"
// (hashicorp/terraform-provider-aws#20559, #32238;
// aws/aws-sdk-go-v2#2554). InvalidParameterException is one of the Addon's
// terminal codes (eks-controller generator.yaml Addon exceptions,
// pkg/resource/addon/sdk.go:703 terminalAWSError), so the object goes
// ACK.Terminal, not Recoverable: it does not converge by itself once the
// cluster reaches the version, only when its spec changes again.
func (s *Sim) addonNotSupported(ctx context.Context, obj *unstructured.Unstructured) (string, error) {
	want, _, _ := unstructured.NestedString(obj.Object, "spec", "addonVersion")
	if want == "" {
		return "", nil
	}
	cv, err := s.clusterVersionOf(ctx, obj)
	if err != nil {
		return "", err
	}
	name, _, _ := unstructured.NestedString(obj.Object, "spec", "name")
	if _, err := eksversion.AddonVersion(name, cv); err != nil || eksversion.AddonCompatible(name, want, cv) {
		return "", nil
	}
	return "InvalidParameterException: Addon version specified is not supported", nil
}

// versionUpdate plays a spec change of a synced EKS Cluster, Nodegroup or
// Addon that changes its version, and reports whether it wrote the
// outcome; when it did not, the change goes on as any other (asyncUpdate,
// markSynced).
func (s *Sim) versionUpdate(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool) (bool, error) {
	if k.Group != ack.EKSGroup {
		return false, nil
	}
	if st.ver.terminalGen == obj.GetGeneration() {
		return true, nil
	}
	switch k.Kind {
	case "Cluster":
		return s.clusterUpdate(ctx, k, obj, st, hasRefs)
	case "Nodegroup":
		return s.nodegroupUpdate(ctx, k, obj, st, hasRefs)
	case "Addon":
		return s.addonUpdate(ctx, k, obj, st)
	}
	return false, nil
}

// clusterStep starts the next step of a Cluster version change, as the
// eks-controller does (pkg/resource/cluster/hook.go:372-383 customUpdate
// calls updateVersion, hook.go:476-525): a desired version below the
// observed one is a Terminal error with the controller's text; else it
// calls UpdateClusterVersion with the minor after the observed version,
// never the desired one, and returns returnClusterUpdating
// (ACK.ResourceSynced=False "Cluster is currently being updated",
// hook.go:168), so that each step keeps the Cluster UPDATING for
// Options.UpdateDelay and the reconcile after it starts the next step,
// until the desired version is reached: 1.33 -> 1.35 goes through 1.34.
//
// EKS refuses a step while a node group of the cluster does not run the
// cluster's current version: "Nodegroups <names> must be updated to match
// cluster version 1.34 before updating cluster version"
// (hashicorp/terraform-provider-aws#19478,
// awsdocs/amazon-eks-user-guide#475). The Cluster's terminal codes list
// neither InvalidParameterException nor InvalidRequestException
// (pkg/resource/cluster/sdk.go:1425-1436), so that is ACK.Recoverable and
// retried until the node groups caught up.
//
// A step of a Cluster whose spec changes other fields too carries those
// along; the controller would make one update call per reconcile, in
// customUpdate's order.
func (s *Sim) clusterStep(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool) (bool, error) {
	want, _, _ := unstructured.NestedString(obj.Object, "spec", "version")
	have, err := s.awsVersion(ctx, obj)
	if err != nil || want == "" || want == have {
		return false, err
	}
	if eksversion.Compare(want, have) < 0 {
		return true, s.versionFailed(ctx, k, obj, st, override{terminal: true,
			message: fmt.Sprintf("desired cluster version is less than the observed version: %s < %s", want, have)})
	}
	behind, err := s.nodegroupsBehind(ctx, obj, have)
	if err != nil {
		return true, err
	}
	if behind != "" {
		msg := fmt.Sprintf("Nodegroups %s must be updated to match cluster version %s before updating cluster version", behind, have)
		return true, s.versionFailed(ctx, k, obj, st, override{message: msg})
	}
	return true, s.startVersionUpdate(ctx, k, obj, st, hasRefs, have, eksversion.Next(have))
}

// nodegroupsBehind returns the names (spec.name, comma-separated) of the
// node groups of cluster that the Sim created and that do not run version.
func (s *Sim) nodegroupsBehind(ctx context.Context, cluster *unstructured.Unstructured, version string) (string, error) {
	name, _, _ := unstructured.NestedString(cluster.Object, "spec", "name")
	items, err := s.list(ctx, kind{GroupKind: schema.GroupKind{Group: ack.EKSGroup, Kind: "Nodegroup"}})
	if err != nil {
		return "", err
	}
	var behind []string
	for i := range items {
		ng := &items[i]
		v := s.knownVersion(kindName(ng))
		if v == "" || v == version {
			continue
		}
		if c, err := s.clusterName(ctx, ng); err != nil || c != name {
			if err != nil {
				return "", err
			}
			continue
		}
		ngName, _, _ := unstructured.NestedString(ng.Object, "spec", "name")
		behind = append(behind, ngName)
	}
	return strings.Join(behind, ", "), nil
}

// nodegroupUpdate plays a Nodegroup spec.version change
// (pkg/resource/nodegroup/hook.go:252-375 customUpdate):
//   - both version and releaseVersion set and not matching (AMI types
//     other than Bottlerocket and CUSTOM) is the controller's own Terminal
//     error (hook.go:330-351). The controller writes releaseVersion back
//     when it creates the node group (sdk.go:467, patched into the spec by
//     the runtime), so changing version alone, with the releaseVersion the
//     controller wrote, ends here: "version and release version do not
//     match: 1.35 and 1.34". A spec must change both, or set
//     releaseVersion "" (the controller then leaves it out, hook.go:114).
//   - while the Cluster is UPDATING, EKS allows one update at a time per
//     cluster: the Sim answers ResourceInUseException, which the
//     Nodegroup's terminal codes do not list (they list "ResourceInUse",
//     sdk.go:898, which never matches the error code), so ACK.Recoverable
//     and retried. This is a modelling choice; the text is the Sim's.
//   - a version newer than the cluster's is InvalidParameterException,
//     Terminal (nodegroupAheadOfCluster).
//   - a version older than the one the node group runs is refused:
//     "You cannot roll back a node group to an earlier Kubernetes version
//     or AMI version" (boto/botocore
//     botocore/data/eks/2017-11-01/service-2.json, UpdateNodegroupVersion,
//     commit 0e6e240). The error code is not documented; the operation's
//     documented errors are InvalidParameterException,
//     InvalidRequestException, ClientException, ServerException,
//     ResourceInUseException and ResourceNotFoundException, and the Sim
//     answers InvalidParameterException, which the controller's Update
//     turns Terminal (pkg/resource/nodegroup/manager.go:160-164 onError,
//     sdk.go:832 updateConditions, sdk.go:886-912 terminalAWSError). The
//     eks-controller passes the desired version through unchecked
//     (hook.go:368, updateVersion hook.go:559).
//   - else UpdateNodegroupVersion is accepted: UPDATING for
//     Options.UpdateDelay (returnNodegroupUpdating, hook.go:246), then the
//     node group runs the version.
//
// A releaseVersion change alone goes through as any other update.
func (s *Sim) nodegroupUpdate(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool) (bool, error) {
	want, _, _ := unstructured.NestedString(obj.Object, "spec", "version")
	have, err := s.awsVersion(ctx, obj)
	if err != nil || want == "" || want == have {
		return false, err
	}
	if msg := releaseMismatch(obj, want); msg != "" {
		return true, s.versionFailed(ctx, k, obj, st, override{terminal: true, message: msg})
	}
	cluster, err := s.clusterOf(ctx, obj)
	if err != nil {
		return true, err
	}
	if cluster != nil {
		if phase, _, _ := unstructured.NestedString(cluster.Object, "status", "status"); phase == "UPDATING" {
			name, _, _ := unstructured.NestedString(cluster.Object, "spec", "name")
			msg := fmt.Sprintf("ResourceInUseException: Cluster %s has an update in progress", name)
			return true, s.versionFailed(ctx, k, obj, st, override{message: msg})
		}
	}
	msg, err := s.nodegroupAheadOfCluster(ctx, obj)
	if err != nil {
		return true, err
	}
	if eksversion.Compare(want, have) < 0 {
		msg = fmt.Sprintf("InvalidParameterException: Nodegroup version %s is older than the version it runs, %s; a node group cannot be rolled back", want, have)
	}
	if msg != "" {
		return true, s.versionFailed(ctx, k, obj, st, override{terminal: true, message: msg})
	}
	return true, s.startVersionUpdate(ctx, k, obj, st, hasRefs, have, want)
}

// releaseMismatch is the eks-controller's check that a Nodegroup's version
// and releaseVersion agree (pkg/resource/nodegroup/hook.go:330-351, with
// util.GetEKSVersionFromReleaseVersion, pkg/util/version.go:51): its
// Terminal message, "" when they agree or the check does not apply.
func releaseMismatch(obj *unstructured.Unstructured, version string) string {
	release, _, _ := unstructured.NestedString(obj.Object, "spec", "releaseVersion")
	ami, _, _ := unstructured.NestedString(obj.Object, "spec", "amiType")
	_, hasLT, _ := unstructured.NestedFieldNoCopy(obj.Object, "spec", "launchTemplate")
	if release == "" || strings.HasPrefix(ami, "BOTTLEROCKET_") || (ami == "CUSTOM" && hasLT) {
		return ""
	}
	parts := strings.Split(release, "-")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	nums := strings.Split(parts[0], ".")
	if len(nums) != 3 || nums[0] == "" || nums[1] == "" || nums[2] == "" {
		return ""
	}
	if minor := nums[0] + "." + nums[1]; minor != version {
		return fmt.Sprintf("version and release version do not match: %s and %s", version, minor)
	}
	return ""
}

// addonUpdate plays an Addon spec.addonVersion change: refused as on
// create (addonNotSupported, Terminal), else applied at once: the Sim does
// not model the add-on's UPDATING (the controller calls UpdateAddon and
// requeues, pkg/resource/addon/sdk.go:473-496). An Addon whose
// addonVersion does not change is not checked again, though the cluster
// may have moved on.
func (s *Sim) addonUpdate(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState) (bool, error) {
	want, _, _ := unstructured.NestedString(obj.Object, "spec", "addonVersion")
	have, err := s.awsVersion(ctx, obj)
	if err != nil || want == "" || want == have {
		return false, err
	}
	msg, err := s.addonNotSupported(ctx, obj)
	if err != nil || msg != "" {
		if err != nil {
			return true, err
		}
		return true, s.versionFailed(ctx, k, obj, st, override{terminal: true, message: msg})
	}
	s.setVersion(kindName(obj), want)
	s.record(obj, evVersionUpdated+want)
	return false, nil
}

// startVersionUpdate records an accepted version update from -> to and
// keeps obj UPDATING with ACK.ResourceSynced=False until
// Options.UpdateDelay has passed (versionStepDone).
func (s *Sim) startVersionUpdate(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool, from, to string) error {
	st.ver.from, st.ver.stepTo = from, to
	st.updating, st.updateStarted = true, time.Now()
	s.record(obj, evVersionUpdating+from+" -> "+to)
	msg, _ := asyncUpdate(obj, nil)
	return s.writePhase(ctx, k, obj, st, updating, progress(hasRefs, "False", msg), "unsynced: "+msg)
}

// versionStepDone ends a version update whose UpdateDelay has passed: the
// resource runs the new version. A Cluster short of its spec.version
// starts the next step at once (the reconcile after an update finds the
// version still differs); the Sim reports whether it wrote the outcome.
func (s *Sim) versionStepDone(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool) (bool, error) {
	if s.authModeStepDone(obj, st) {
		return s.clusterUpdate(ctx, k, obj, st, hasRefs)
	}
	if st.ver.stepTo == "" {
		return false, nil
	}
	to := st.ver.stepTo
	st.ver.stepTo, st.ver.from = "", ""
	s.setVersion(kindName(obj), to)
	s.record(obj, evVersionUpdated+to)
	if k.Kind != "Cluster" {
		return false, nil
	}
	return s.clusterUpdate(ctx, k, obj, st, hasRefs)
}

// clusterUpdate makes the next update call of a Cluster whose spec
// differs from what AWS runs, in the controller's order: the access
// config before the version (authmode.go).
func (s *Sim) clusterUpdate(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool) (bool, error) {
	if done, err := s.authModeStep(ctx, k, obj, st, hasRefs); done || err != nil {
		return done, err
	}
	return s.clusterStep(ctx, k, obj, st, hasRefs)
}

// versionFailed reports a version error: ACK.Terminal, which nothing
// retries until the generation changes, or ACK.Recoverable, retried on the
// next pass. A resource that exists is ACTIVE at its old version
// meanwhile.
func (s *Sim) versionFailed(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, o override) error {
	what := "recoverable: " + o.message
	if o.terminal {
		st.ver.terminalGen, what = obj.GetGeneration(), "terminal: "+o.message
	}
	st.updating = false
	if !st.synced {
		return s.writeStatus(ctx, k, obj, failed(o), nil, what)
	}
	return s.writePhase(ctx, k, obj, st, active, failed(o), what)
}
