package acksim

import (
	"context"
	"errors"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/ack"
)

// What the Sim copies of cross-account resource management (CARM) and
// region resolution from the runtime, github.com/aws-controllers-k8s/runtime
// at 95428e7 (v0.61.0-1; the controllers pin v0.62.0), which runs with
// --enable-carm (default true, pkg/config/config.go) in cluster mode:
//
//   - pkg/runtime/reconciler.go Reconcile, before anything else, even
//     deletion: getOwnerAccountID takes the namespace's
//     services.k8s.aws/owner-account-id; when the namespace has one, the
//     role comes from getRoleARN, the ConfigMap ack-role-account-map in
//     the ACK system namespace (pkg/runtime/cache/account.go GetValue,
//     cache.go: ack-system unless ACK_SYSTEM_NAMESPACE), and the account
//     is the role ARN's. A missing map, key or value is handleCacheError:
//     ACK.ResourceSynced=False, message condition.UnavailableIAMRoleMessage
//     "IAM Role is not available", reason "retrieving role ARN for
//     account/team ID %q from %q configmap: %v" with cache.ErrCARMConfigMapNotFound,
//     ErrKeyNotFound or ErrEmptyValue, requeued after 15s; nothing is
//     created and no finalizer added.
//   - getRegion: status.ackResourceMetadata.region, else the object's
//     services.k8s.aws/region, else the namespace's
//     services.k8s.aws/default-region, else the controller's --aws-region.
//   - a resource whose status.ackResourceMetadata.ownerAccountID is not
//     the account resolved now is Terminal: "Resource already exists in
//     account %s, but the role used for reconciliation is in account %s. "

// location is the account and region an object's AWS resource lives in:
// which fake AWS the Sim creates it in.
type location struct{ account, region string }

// Runtime texts (pkg/condition/condition.go, pkg/runtime/cache/account.go).
const (
	msgUnavailableRole = "IAM Role is not available"
	carmNotFound       = "CARM configmap not found"
	carmKeyNotFound    = "key not found in CARM configmap"
	carmEmptyValue     = "role value is empty in CARM configmap"
)

// errRole is a role the runtime cannot find for an account: the object
// waits, unsynced, until the account map has it.
type errRole struct{ reason string }

func (e *errRole) Error() string { return e.reason }

// locate resolves where obj's AWS resource lives, as the runtime does
// before it reconciles; an *errRole when the account map has no role for
// the namespace's account.
func (s *Sim) locate(ctx context.Context, obj *unstructured.Unstructured, ns map[string]string) (location, error) {
	loc := location{account: s.opts.AccountID, region: s.opts.Region}
	if owner := ns[ack.OwnerAccountAnnotation]; owner != "" {
		role, err := s.roleARN(ctx, owner)
		if err != nil {
			return location{}, err
		}
		loc.account = role
	} else if meta, _, _ := unstructured.NestedString(obj.Object, "status", "ackResourceMetadata", "ownerAccountID"); meta != "" {
		loc.account = meta
	}
	switch meta, _, _ := unstructured.NestedString(obj.Object, "status", "ackResourceMetadata", "region"); {
	case meta != "":
		loc.region = meta
	case obj.GetAnnotations()[ack.RegionAnnotation] != "":
		loc.region = obj.GetAnnotations()[ack.RegionAnnotation]
	case ns[ack.DefaultRegionAnnotation] != "":
		loc.region = ns[ack.DefaultRegionAnnotation]
	}
	return loc, nil
}

// roleARN returns the account of the role the account map gives for
// account, or the runtime's *errRole.
func (s *Sim) roleARN(ctx context.Context, account string) (string, error) {
	cm := &unstructured.Unstructured{}
	cm.SetGroupVersionKind(schema.GroupVersionKind{Version: "v1", Kind: "ConfigMap"})
	err := s.c.Get(ctx, client.ObjectKey{Namespace: s.opts.SystemNamespace, Name: ack.AccountMapName}, cm)
	var cause string
	role, found, _ := unstructured.NestedString(cm.Object, "data", account)
	switch {
	case apierrors.IsNotFound(err):
		cause = carmNotFound
	case err != nil:
		return "", err
	case !found:
		cause = carmKeyNotFound
	case role == "":
		cause = carmEmptyValue
	}
	if cause != "" {
		return "", &errRole{fmt.Sprintf("retrieving role ARN for account/team ID %q from %q configmap: %s", account, ack.AccountMapName, cause)}
	}
	// arn:<partition>:iam::<account>:role/<name>
	parts := strings.SplitN(role, ":", 6)
	if len(parts) != 6 || parts[4] == "" {
		return "", fmt.Errorf("parsing role ARN %q from %q configmap", role, ack.AccountMapName)
	}
	return parts[4], nil
}

// namespaceAnnotations reads the annotations of the Sim's namespace, once
// a pass, as the runtime's namespace cache holds them.
func (s *Sim) namespaceAnnotations(ctx context.Context) (map[string]string, error) {
	ns := &unstructured.Unstructured{}
	ns.SetGroupVersionKind(schema.GroupVersionKind{Version: "v1", Kind: "Namespace"})
	if err := s.c.Get(ctx, client.ObjectKey{Name: s.namespace}, ns); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("namespace %s: %w", s.namespace, err)
	}
	return ns.GetAnnotations(), nil
}

// unavailableRole writes what the runtime's handleCacheError writes.
func (s *Sim) unavailableRole(ctx context.Context, k kind, obj *unstructured.Unstructured, e *errRole) error {
	conds := withReady([]condition{{Type: condResourceSynced, Status: "False", Message: msgUnavailableRole, Reason: e.reason}})
	return s.write(ctx, k, obj, conds, nil, "unsynced: "+msgUnavailableRole+": "+e.reason, false)
}

// accountMoved is the runtime's Terminal error for a resource that exists
// in an account other than the one now resolved.
func accountMoved(obj *unstructured.Unstructured, loc location) string {
	had, _, _ := unstructured.NestedString(obj.Object, "status", "ackResourceMetadata", "ownerAccountID")
	if had == "" || had == loc.account {
		return ""
	}
	return fmt.Sprintf("Resource already exists in account %s, but the role used for reconciliation is in account %s. ", had, loc.account)
}

// isRole reports whether err is the runtime's missing-role error.
func isRole(err error) (*errRole, bool) {
	var e *errRole
	return e, errors.As(err, &e)
}
