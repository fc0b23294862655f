package acksim

import (
	"context"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/ack"
)

// Texts of the runtime's reference errors (pkg/errors/resource_reference.go)
// and of the condition it sets from them (pkg/condition).
const (
	refNotSynced          = "the referenced resource is not synced yet"
	refTerminal           = "the referenced resource has 'ACK.Terminal' condition 'True'. Cannot be referenced"
	refMissingTargetField = "the referenced resource is missing the target field"
	refFailedMessage      = "Reference resolution failed"
)

// targetField is the field a referrer takes from a target kind: its path
// in the object and its name in the controller's Go types, which the
// runtime puts in its error text.
type targetField struct {
	path   []string
	goName string
}

// targetFields follows the "value taken from" column of FIELDS.md.
var targetFields = map[string]targetField{
	"VPC":                  {[]string{"status", "vpcID"}, "Status.VPCID"},
	"Subnet":               {[]string{"status", "subnetID"}, "Status.SubnetID"},
	"RouteTable":           {[]string{"status", "routeTableID"}, "Status.RouteTableID"},
	"InternetGateway":      {[]string{"status", "internetGatewayID"}, "Status.InternetGatewayID"},
	"NATGateway":           {[]string{"status", "natGatewayID"}, "Status.NATGatewayID"},
	"ElasticIPAddress":     {[]string{"status", "allocationID"}, "Status.AllocationID"},
	"SecurityGroup":        {[]string{"status", "id"}, "Status.ID"},
	"TransitGateway":       {[]string{"status", "transitGatewayID"}, "Status.TransitGatewayID"},
	"VPCEndpoint":          {[]string{"status", "vpcEndpointID"}, "Status.VPCEndpointID"},
	"VPCPeeringConnection": {[]string{"status", "vpcPeeringConnectionID"}, "Status.VPCPeeringConnectionID"},
	"Cluster":              {[]string{"spec", "name"}, "Spec.Name"},
}

// arnTarget is the target field of every kind not in targetFields.
var arnTarget = targetField{[]string{"status", "ackResourceMetadata", "arn"}, "Status.ACKResourceMetadata.ARN"}

// ref is one reference an object makes.
type ref struct {
	field     ack.RefField
	namespace string
	name      string
}

// refsOf returns the references obj makes through k's reference fields,
// in ack.RefFields order. A ref without from.name is ignored, as the
// controller ignores it.
func refsOf(k kind, obj *unstructured.Unstructured) []ref {
	var out []ref
	for _, f := range k.refs {
		for _, v := range walk(obj.Object, f.Path) {
			m, _ := v.(map[string]any)
			name, _, _ := unstructured.NestedString(m, "from", "name")
			ns, _, _ := unstructured.NestedString(m, "from", "namespace")
			if name == "" {
				continue
			}
			if ns == "" {
				ns = obj.GetNamespace()
			}
			out = append(out, ref{field: f, namespace: ns, name: name})
		}
	}
	return out
}

// walk returns the values at path (schema.RefPaths notation: "." between
// fields, "[]" after a list) below v.
func walk(v any, path string) []any {
	vals := []any{v}
	for _, seg := range strings.Split(path, ".") {
		name, isList := strings.CutSuffix(seg, "[]")
		var next []any
		for _, v := range vals {
			m, _ := v.(map[string]any)
			x, ok := m[name]
			switch {
			case !ok || x == nil:
			case isList:
				l, _ := x.([]any)
				next = append(next, l...)
			default:
				next = append(next, x)
			}
		}
		vals = next
	}
	return vals
}

// resolve checks every reference the way the generated
// getReferencedResourceState_* functions do and returns the
// ACK.ReferencesResolved condition for the first that fails, or nil when
// all resolve. It returns an error only when the apiserver fails.
func (s *Sim) resolve(ctx context.Context, refs []ref) (*condition, error) {
	for _, r := range refs {
		reason, err := s.checkRef(ctx, r)
		if err != nil {
			return nil, err
		}
		if reason == "" {
			continue
		}
		status := "Unknown"
		if strings.HasPrefix(reason, refTerminal) {
			status = "False"
		}
		return &condition{Type: condReferencesResolved, Status: status, Message: refFailedMessage, Reason: reason}, nil
	}
	return nil, nil
}

// checkRef returns why r does not resolve, or "" when it does.
func (s *Sim) checkRef(ctx context.Context, r ref) (string, error) {
	target := &unstructured.Unstructured{}
	target.SetGroupVersionKind(schema.GroupVersionKind{Group: r.field.TargetGroup, Version: ack.Version, Kind: r.field.TargetKind})
	err := s.c.Get(ctx, client.ObjectKey{Namespace: r.namespace, Name: r.name}, target)
	if apierrors.IsNotFound(err) || meta.IsNoMatchError(err) {
		return err.Error(), nil
	}
	if err != nil {
		return "", fmt.Errorf("get %s/%s/%s: %w", r.field.TargetKind, r.namespace, r.name, err)
	}
	conds := conditionsOf(target)
	what := fmt.Sprintf(". resource:%s, namespace:%s, name:%s", r.field.TargetKind, r.namespace, r.name)
	switch {
	case hasCondition(conds, condTerminal, "True"):
		return refTerminal + what, nil
	case !hasCondition(conds, condResourceSynced, "True"):
		return refNotSynced + what, nil
	}
	tf, ok := targetFields[r.field.TargetKind]
	if !ok {
		tf = arnTarget
	}
	if v, _, _ := unstructured.NestedString(target.Object, tf.path...); v == "" {
		return refMissingTargetField + what + ", targetField:" + tf.goName, nil
	}
	return "", nil
}
