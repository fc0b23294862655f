package acksim

import (
	"context"
	"fmt"
	"slices"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
)

// Authentication modes (issue 27): what EKS and the eks-controller do with
// a Cluster's spec.accessConfig.authenticationMode, and with an
// AccessEntry of a cluster that has no access entry API.
//
//   - A cluster created through the API without an access config runs
//     CONFIG_MAP: "If you create a cluster by using the EKS API, Amazon
//     Web Services SDKs, or CloudFormation, the default is CONFIG_MAP"
//     (boto/botocore botocore/data/eks/2017-11-01/service-2.json
//     CreateAccessConfigRequest.authenticationMode, commit 0e6e240).
//   - The controller sends a changed access config as its own
//     UpdateClusterConfig call, before any version update, one kind of
//     update per reconcile (eks-controller v1.20.0, commit fcb7569,
//     pkg/resource/cluster/hook.go:303-314 customUpdate, and
//     newAccessConfig/updateAccessConfig at hook.go:548-574), and returns
//     returnClusterUpdating when EKS accepts it.
//   - EKS changes the mode one way and one step at a time, CONFIG_MAP ->
//     API_AND_CONFIG_MAP -> API: "you can't change the authentication mode
//     back to a mode that removes the EKS API and access entries"
//     (awsdocs/amazon-eks-user-guide
//     latest/ug/manage-access/k8s-access/grant-k8s-access.adoc, "Change
//     authentication mode to use access entries", commit 4d52b4d); going
//     from CONFIG_MAP straight to API, or back, is answered
//     "InvalidParameterException ... Unsupported authentication mode
//     update from CONFIG_MAP to API" (the AWS EKS security workshop page
//     "Switching between Authentication Modes", which shows both refusals
//     and the accepted CONFIG_MAP -> API_AND_CONFIG_MAP update, read in the
//     stored public code index on 2026-12-06). InvalidParameterException
//     is not among the Cluster's terminal codes
//     (pkg/resource/cluster/sdk.go:1425-1436), so the refusal is
//     ACK.Recoverable, retried for ever, and the version update behind it
//     never starts.
//   - An access entry needs a mode with the EKS API: "To begin using
//     access entries, you must change the authentication mode of the
//     cluster to either the API_AND_CONFIG_MAP or API modes" (same
//     User Guide page); EKS answers "InvalidRequestException ... The
//     cluster's authentication mode must be set to one of [API,
//     API_AND_CONFIG_MAP] to perform this operation" (same workshop page).
//     The AccessEntry has no terminal codes
//     (pkg/resource/access_entry/sdk.go:558-561): Recoverable.

// Event texts of authentication mode changes (Event.What).
const (
	// evAuthModeUpdating is "authentication mode updating: <from> -> <to>":
	// EKS accepted the UpdateClusterConfig call.
	evAuthModeUpdating = "authentication mode updating: "
	// evAuthModeUpdated is "authentication mode updated: <mode>".
	evAuthModeUpdated = "authentication mode updated: "
)

// authModeDefault is the mode of a cluster created through the API with
// none given.
const authModeDefault = "CONFIG_MAP"

// authModeOrder is the one-way order EKS changes modes in, one step at a
// time.
var authModeOrder = []string{"CONFIG_MAP", "API_AND_CONFIG_MAP", "API"}

// AuthMode returns the authentication mode the EKS cluster behind the
// Cluster kindName ("Cluster/name") runs in AWS, "" before the Sim created
// or adopted it.
func (s *Sim) AuthMode(kindName string) string { return s.memo(&s.authModes, kindName) }

// setAuthMode sets the observed mode of kindName; "" forgets it.
func (s *Sim) setAuthMode(kindName, mode string) { s.setMemo(&s.authModes, kindName, mode) }

// awsAuthMode returns the observed mode of the Cluster obj, pinning it
// when the Sim has none yet: what the spec asks for, else the API's
// default. A Cluster synced by an earlier Sim is taken to run what its
// spec says; an adopted one runs Existing.AuthMode (pinned on adoption).
func (s *Sim) awsAuthMode(obj *unstructured.Unstructured) string {
	kn := kindName(obj)
	if m := s.AuthMode(kn); m != "" {
		return m
	}
	m := specAuthMode(obj)
	if m == "" {
		m = authModeDefault
	}
	s.setAuthMode(kn, m)
	return m
}

// specAuthMode is obj's spec.accessConfig.authenticationMode, "" if unset.
func specAuthMode(obj *unstructured.Unstructured) string {
	m, _, _ := unstructured.NestedString(obj.Object, "spec", "accessConfig", "authenticationMode")
	return m
}

// authModeStep plays the access config update of a Cluster whose spec
// asks for another mode than the one it runs: the next mode in
// authModeOrder is accepted (UPDATING for Options.UpdateDelay, then
// authModeStepDone), any other is refused, Recoverable. It reports whether
// it wrote the outcome; when it did not, the modes agree (or the spec names
// none, which the controller sends as no change).
func (s *Sim) authModeStep(ctx context.Context, k kind, obj *unstructured.Unstructured, st *objState, hasRefs bool) (bool, error) {
	want, have := specAuthMode(obj), s.awsAuthMode(obj)
	if want == "" || want == have {
		return false, nil
	}
	if i := slices.Index(authModeOrder, have); i < 0 || i+1 >= len(authModeOrder) || authModeOrder[i+1] != want {
		msg := fmt.Sprintf("InvalidParameterException: Unsupported authentication mode update from %s to %s", have, want)
		return true, s.versionFailed(ctx, k, obj, st, override{message: msg})
	}
	st.ver.authTo = want
	st.updating, st.updateStarted = true, time.Now()
	s.record(obj, evAuthModeUpdating+have+" -> "+want)
	msg, _ := asyncUpdate(obj, nil)
	return true, s.writePhase(ctx, k, obj, st, updating, progress(hasRefs, "False", msg), "unsynced: "+msg)
}

// authModeStepDone ends an accepted mode update: the cluster runs the new
// mode. It reports whether one was in progress.
func (s *Sim) authModeStepDone(obj *unstructured.Unstructured, st *objState) bool {
	if st.ver.authTo == "" {
		return false
	}
	s.setAuthMode(kindName(obj), st.ver.authTo)
	s.record(obj, evAuthModeUpdated+st.ver.authTo)
	st.ver.authTo = ""
	return true
}

// accessEntryRefused returns the error EKS gives the create call of an
// AccessEntry whose cluster runs CONFIG_MAP, "" otherwise (or when the Sim
// knows no such cluster).
func (s *Sim) accessEntryRefused(ctx context.Context, obj *unstructured.Unstructured) (string, error) {
	if obj.GetKind() != "AccessEntry" || obj.GroupVersionKind().Group != ack.EKSGroup {
		return "", nil
	}
	c, err := s.clusterOf(ctx, obj)
	if err != nil || c == nil {
		return "", err
	}
	if s.awsAuthMode(c) != authModeDefault {
		return "", nil
	}
	return "InvalidRequestException: The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.", nil
}

// createRefused returns the Recoverable error EKS gives obj's create call
// for the state of its cluster, "" when it accepts it.
func (s *Sim) createRefused(ctx context.Context, k kind, obj *unstructured.Unstructured) (string, error) {
	if msg, err := s.profileInUse(ctx, k, obj); err != nil || msg != "" {
		return msg, err
	}
	return s.accessEntryRefused(ctx, obj)
}
