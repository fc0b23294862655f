package acksim

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/ack"
)

// phase is where the AWS resource behind an object is in its life.
type phase int

// The phases a resource goes through.
const (
	// creating: the create call was made, the resource is not usable yet.
	creating phase = iota
	// active: the resource matches the spec.
	active
	// updating: a spec change is being applied.
	updating
	// degraded: the resource exists but is unhealthy (an EKS add-on whose
	// pods cannot run: status DEGRADED).
	degraded
)

// statusFields returns the status fields, besides conditions, of obj's
// AWS resource in phase ph, created at created.
func (s *Sim) statusFields(ctx context.Context, obj *unstructured.Unstructured, ph phase, st *objState) (map[string]any, error) {
	f, created, loc := map[string]any{}, st.resolvedAt, st.loc
	var arn string
	var err error
	if _, ok := ec2IDs[obj.GetKind()]; ok {
		arn = s.ec2Fields(obj, ph, f, loc)
	} else {
		switch obj.GetObjectKind().GroupVersionKind().Group {
		case ack.IAMGroup:
			arn = s.iamFields(obj, f, created, loc)
		case ack.EKSGroup:
			arn, err = s.eksFields(ctx, obj, ph, f, created, loc)
		default:
			arn = s.logsFields(obj, f, created, loc)
		}
	}
	if err != nil {
		return nil, err
	}
	f["ackResourceMetadata"] = map[string]any{"arn": arn, "ownerAccountID": loc.account, "region": loc.region}
	return f, nil
}

// ec2Fields fills f for an EC2 kind and returns its ARN.
func (s *Sim) ec2Fields(obj *unstructured.Unstructured, ph phase, f map[string]any, loc location) string {
	kind, name := obj.GetKind(), obj.GetName()
	e := ec2IDs[kind]
	id := s.idFor(kind, name)
	f[e.field] = id
	state := "available"
	if ph == creating {
		state = "pending"
	}
	switch kind {
	case "VPC":
		f["state"], f["ownerID"] = state, loc.account
		f["cidrBlockAssociationSet"] = cidrAssociations(obj, ph)
	case "Subnet":
		f["state"], f["ownerID"] = state, loc.account
		if n, ok := freeAddresses(obj); ok {
			f["availableIPAddressCount"] = n
		}
	case "NATGateway":
		f["state"] = state
		if alloc := s.idOrRef(obj, "allocationID", "allocationRef", "ElasticIPAddress"); alloc != "" {
			addr := map[string]any{"allocationID": alloc}
			if name, ok := refName(obj, "allocationRef"); ok {
				addr["publicIP"] = PublicIP(name)
			}
			f["natGatewayAddresses"] = []any{addr}
		}
	case "InternetGateway":
		f["ownerID"] = loc.account
		if vpc := s.idOrRef(obj, "vpc", "vpcRef", "VPC"); vpc != "" {
			f["attachments"] = []any{map[string]any{"vpcID": vpc, "state": state}}
		}
	case "ElasticIPAddress":
		f["publicIP"] = PublicIP(name)
	case "RouteTable":
		f["ownerID"] = loc.account
	case "TransitGateway", "VPCEndpoint":
		f["state"], f["ownerID"] = state, loc.account
	}
	return fmt.Sprintf("arn:aws:ec2:%s:%s:%s/%s", loc.region, loc.account, e.arnType, id)
}

// cidrAssociations is a VPC's status.cidrBlockAssociationSet.
func cidrAssociations(obj *unstructured.Unstructured, ph phase) []any {
	state := "associated"
	if ph == creating {
		state = "associating"
	}
	blocks, _, _ := unstructured.NestedStringSlice(obj.Object, "spec", "cidrBlocks")
	out := []any{}
	for _, b := range blocks {
		out = append(out, map[string]any{
			"associationID":  "vpc-cidr-assoc-" + digest("VPCCIDR", obj.GetName()+"/"+b)[:17],
			"cidrBlock":      b,
			"cidrBlockState": map[string]any{"state": state},
		})
	}
	return out
}

// freeAddresses is a Subnet's available address count: AWS reserves five
// addresses of every subnet.
func freeAddresses(obj *unstructured.Unstructured) (int64, bool) {
	cidr, _, _ := unstructured.NestedString(obj.Object, "spec", "cidrBlock")
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 28 {
		return 0, false
	}
	return int64(1)<<(32-p.Bits()) - 5, true
}

// idOrRef returns spec.<field>, else the ID of the object of targetKind
// that spec.<refField> names, else "".
func (s *Sim) idOrRef(obj *unstructured.Unstructured, field, refField, targetKind string) string {
	if v, _, _ := unstructured.NestedString(obj.Object, "spec", field); v != "" {
		return v
	}
	if name, ok := refName(obj, refField); ok {
		return s.idFor(targetKind, name)
	}
	return ""
}

// refName returns spec.<refField>.from.name.
func refName(obj *unstructured.Unstructured, refField string) (string, bool) {
	name, _, _ := unstructured.NestedString(obj.Object, "spec", refField, "from", "name")
	return name, name != ""
}

// iamFields fills f for an IAM kind and returns its ARN.
func (s *Sim) iamFields(obj *unstructured.Unstructured, f map[string]any, created time.Time, loc location) string {
	name, _, _ := unstructured.NestedString(obj.Object, "spec", "name")
	path, _, _ := unstructured.NestedString(obj.Object, "spec", "path")
	if path == "" {
		path = "/"
	}
	prefix := "arn:aws:iam::" + loc.account + ":"
	switch obj.GetKind() {
	case "Role":
		f["roleID"] = "AROA" + strings.ToUpper(digest("Role", obj.GetName())[:17])
		f["createDate"] = rfc3339(created)
		return prefix + "role" + path + name
	case "Policy":
		f["policyID"] = "ANPA" + strings.ToUpper(digest("Policy", obj.GetName())[:17])
		f["defaultVersionID"] = "v1"
		f["isAttachable"] = true
		f["createDate"] = rfc3339(created)
		return prefix + "policy" + path + name
	case "OpenIDConnectProvider":
		url, _, _ := unstructured.NestedString(obj.Object, "spec", "url")
		return prefix + "oidc-provider/" + strings.TrimPrefix(url, "https://")
	}
	return prefix + strings.ToLower(obj.GetKind()) + "/" + obj.GetName()
}

// eksFields fills f for an EKS kind and returns its ARN.
func (s *Sim) eksFields(ctx context.Context, obj *unstructured.Unstructured, ph phase, f map[string]any, created time.Time, loc location) (string, error) {
	prefix := fmt.Sprintf("arn:aws:eks:%s:%s:", loc.region, loc.account)
	name, _, _ := unstructured.NestedString(obj.Object, "spec", "name")
	status := map[phase]string{creating: "CREATING", active: "ACTIVE", updating: "UPDATING", degraded: "DEGRADED"}[ph]
	f["createdAt"] = rfc3339(created)
	if obj.GetKind() == "Cluster" {
		f["status"] = status
		if ph != creating {
			f["endpoint"] = s.opts.ClusterEndpoint
			f["certificateAuthority"] = map[string]any{"data": s.opts.ClusterCA}
			f["identity"] = map[string]any{"oidc": map[string]any{"issuer": s.opts.Issuer}}
			f["platformVersion"] = "eks.1"
		}
		return prefix + "cluster/" + name, nil
	}
	cluster, err := s.clusterName(ctx, obj)
	if err != nil {
		return "", err
	}
	id := uuid(obj.GetKind(), obj.GetName())
	switch obj.GetKind() {
	case "Nodegroup":
		f["status"] = status
		if n, ok, _ := unstructured.NestedInt64(obj.Object, "spec", "scalingConfig", "desiredSize"); ok {
			f["desiredSize"] = n
		}
		return prefix + "nodegroup/" + cluster + "/" + name + "/" + id, nil
	case "FargateProfile":
		f["status"] = map[phase]string{creating: "CREATING", active: "ACTIVE", updating: "ACTIVE"}[ph]
		return prefix + "fargateprofile/" + cluster + "/" + name + "/" + id, nil
	case "AccessEntry":
		f["modifiedAt"] = f["createdAt"]
		return prefix + "access-entry/" + cluster + "/" + id, nil
	case "Addon":
		// Synced only when ACTIVE (eks-controller
		// pkg/resource/addon/sdk.go:195); DEGRADED carries the health issue.
		f["status"] = status
		issues := []any{}
		if ph == degraded {
			issues = append(issues, map[string]any{"code": "InsufficientNumberOfReplicas", "message": "pods cannot be scheduled"})
		}
		f["health"] = map[string]any{"issues": issues}
		return prefix + "addon/" + cluster + "/" + name + "/" + id, nil
	}
	return prefix + strings.ToLower(obj.GetKind()) + "/" + cluster + "/" + id, nil
}

// clusterName returns the EKS cluster name an EKS object belongs to:
// spec.clusterName, else the spec.name of the Cluster its clusterRef
// names, else that ref's name.
func (s *Sim) clusterName(ctx context.Context, obj *unstructured.Unstructured) (string, error) {
	if v, _, _ := unstructured.NestedString(obj.Object, "spec", "clusterName"); v != "" {
		return v, nil
	}
	c, err := s.clusterOf(ctx, obj)
	if err != nil || c == nil {
		name, _ := refName(obj, "clusterRef")
		return name, err
	}
	name, _, _ := unstructured.NestedString(c.Object, "spec", "name")
	return name, nil
}

// clusterOf returns the Cluster obj belongs to, through spec.clusterRef
// or by matching spec.clusterName against the spec.name of the Clusters
// in the namespace; nil when there is none.
func (s *Sim) clusterOf(ctx context.Context, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	gvk := schema.GroupVersionKind{Group: ack.EKSGroup, Version: ack.Version, Kind: "Cluster"}
	if name, ok := refName(obj, "clusterRef"); ok {
		ns, _, _ := unstructured.NestedString(obj.Object, "spec", "clusterRef", "from", "namespace")
		if ns == "" {
			ns = obj.GetNamespace()
		}
		c := &unstructured.Unstructured{}
		c.SetGroupVersionKind(gvk)
		err := s.c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, c)
		if err != nil {
			return nil, client.IgnoreNotFound(err)
		}
		return c, nil
	}
	want, _, _ := unstructured.NestedString(obj.Object, "spec", "clusterName")
	items, err := s.list(ctx, kind{GroupKind: gvk.GroupKind()})
	for i := range items {
		if name, _, _ := unstructured.NestedString(items[i].Object, "spec", "name"); name == want && want != "" {
			return &items[i], nil
		}
	}
	return nil, err
}

// logsFields fills f for a CloudWatch Logs kind and returns its ARN.
func (s *Sim) logsFields(obj *unstructured.Unstructured, f map[string]any, created time.Time, loc location) string {
	name, _, _ := unstructured.NestedString(obj.Object, "spec", "name")
	f["creationTime"] = created.UnixMilli()
	if days, ok, _ := unstructured.NestedInt64(obj.Object, "spec", "retentionDays"); ok {
		f["retentionInDays"] = days
	}
	return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s:*", loc.region, loc.account, name)
}

// rfc3339 formats t the way metav1.Time does.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
