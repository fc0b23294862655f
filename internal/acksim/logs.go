package acksim

import (
	"context"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/graph"
)

// What EKS does with a cluster's control-plane log group
// (graph.ControlPlaneLogGroup): it writes the enabled log types there for
// as long as the cluster exists, creating the group when it is missing, so
// a group deleted before its cluster is back at once, without retention
// and owned by no object (terraform-aws-eks commit 98e137fa, #1974: logs
// still written while the cluster is destroyed re-create the group "even
// after Terraform destroys it"). The other way round needs nothing: the
// cloudwatchlogs-controller (v1.4.1, 3e24ba9a) reads a LogGroup by name
// (pkg/resource/log_group/sdk.go sdkFind, DescribeLogGroups with
// LogGroupNamePrefix), so a group EKS created first is found and updated,
// never created twice.

// Orphans returns the AWS resources that exist with no object owning them:
// "LogGroup <name>" for each control-plane log group EKS re-created after
// its object was deleted, in order.
func (s *Sim) Orphans() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.orphans)
}

// recreatedByEKS records, for a LogGroup whose AWS group is being deleted,
// that EKS creates it again when a cluster that exists in AWS (its object
// holds the controller's finalizer) still logs to it.
func (s *Sim) recreatedByEKS(ctx context.Context, k kind, obj *unstructured.Unstructured) error {
	if k.Group != ack.CloudWatchLogsGroup || k.Kind != "LogGroup" {
		return nil
	}
	clusterKind := kind{GroupKind: schema.GroupKind{Group: ack.EKSGroup, Kind: "Cluster"}}
	clusters, err := s.list(ctx, clusterKind)
	if err != nil {
		return err
	}
	name, _, _ := unstructured.NestedString(obj.Object, "spec", "name")
	for i := range clusters {
		c := &clusters[i]
		cluster, _, _ := unstructured.NestedString(c.Object, "spec", "name")
		if graph.ControlPlaneLogGroup(cluster) == name && controllerutil.ContainsFinalizer(c, clusterKind.finalizer()) && logsSomething(c) {
			s.mu.Lock()
			s.orphans = append(s.orphans, "LogGroup "+name)
			s.mu.Unlock()
			s.record(obj, "log group "+name+" re-created by EKS: "+objectRef(c)+" still writes control-plane logs")
			return nil
		}
	}
	return nil
}

// logsSomething reports whether the Cluster enables a control-plane log
// type (spec.logging.clusterLogging[].enabled with types).
func logsSomething(c *unstructured.Unstructured) bool {
	entries, _, _ := unstructured.NestedSlice(c.Object, "spec", "logging", "clusterLogging")
	for _, e := range entries {
		m, _ := e.(map[string]any)
		if types, _ := m["types"].([]any); m["enabled"] == true && len(types) > 0 {
			return true
		}
	}
	return false
}
