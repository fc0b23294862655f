package acksim

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/ack"
)

// simulated lists the API groups whose controllers the Sim plays.
var simulated = []string{ack.EC2Group, ack.IAMGroup, ack.EKSGroup, ack.CloudWatchLogsGroup}

// extraKinds are kinds the Sim reconciles besides those of ack.RefFields.
var extraKinds = []schema.GroupKind{
	{Group: ack.EC2Group, Kind: "VPC"},
	{Group: ack.EC2Group, Kind: "ElasticIPAddress"},
	{Group: ack.CloudWatchLogsGroup, Kind: "LogGroup"},
	{Group: ack.IAMGroup, Kind: "Role"},
	{Group: ack.IAMGroup, Kind: "Policy"},
	{Group: ack.IAMGroup, Kind: "OpenIDConnectProvider"},
}

// kind is one ACK kind the Sim reconciles.
type kind struct {
	schema.GroupKind
	// refs are its reference fields, in ack.RefFields order.
	refs []ack.RefField
}

// service is the controller's short name, e.g. "ec2".
func (k kind) service() string { return strings.TrimSuffix(k.Group, ".services.k8s.aws") }

// manager is the field manager the controller writes with.
func (k kind) manager() string { return k.service() + "-controller" }

// finalizer is the finalizer the controller adds.
func (k kind) finalizer() string { return "finalizers." + k.Group + "/" + k.Kind }

// simKinds returns every kind of a simulated group that ack.RefFields
// names, as referrer or target, plus extraKinds, sorted by group and kind.
func simKinds() []kind {
	byGK := map[schema.GroupKind]*kind{}
	add := func(gk schema.GroupKind) *kind {
		if !slices.Contains(simulated, gk.Group) {
			return nil
		}
		if byGK[gk] == nil {
			byGK[gk] = &kind{GroupKind: gk}
		}
		return byGK[gk]
	}
	for _, f := range ack.RefFields {
		if k := add(schema.GroupKind{Group: f.Group, Kind: f.Kind}); k != nil {
			k.refs = append(k.refs, f)
		}
		add(schema.GroupKind{Group: f.TargetGroup, Kind: f.TargetKind})
	}
	for _, gk := range extraKinds {
		add(gk)
	}
	out := make([]kind, 0, len(byGK))
	for _, k := range byGK {
		out = append(out, *k)
	}
	slices.SortFunc(out, func(a, b kind) int {
		return strings.Compare(a.Group+"/"+a.Kind, b.Group+"/"+b.Kind)
	})
	return out
}

// list returns the objects of k in the Sim's namespace, or none when the
// apiserver does not serve k.
func (s *Sim) list(ctx context.Context, k kind) ([]unstructured.Unstructured, error) {
	l := &unstructured.UnstructuredList{}
	l.SetGroupVersionKind(schema.GroupVersionKind{Group: k.Group, Version: ack.Version, Kind: k.Kind + "List"})
	err := s.c.List(ctx, l, client.InNamespace(s.namespace))
	if meta.IsNoMatchError(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("acksim: list %s: %w", k.Kind, err)
	}
	return l.Items, nil
}
