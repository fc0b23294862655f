package acksim

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// defaultVersion is the Kubernetes version EKS picks for a Cluster that
// sets none.
const defaultVersion = "1.33"

// Values the controllers copy into unset spec fields (FIELDS.md, "What the
// controllers write back").
const (
	defaultServiceCIDR = "172.20.0.0/16"
	defaultDiskSize    = int64(20)
	defaultSessionSecs = int64(3600)
	amiReleaseDate     = "20260801"
	// addonVersion stands for the default version EKS installs when an
	// Addon names none and eksversion's table does not know the add-on or
	// the cluster's version (else the table's version: versions.go); the
	// controller writes it into the spec (eks-controller
	// pkg/resource/addon/sdk.go:106).
	addonVersion = "v0.0.0-eksbuild.1"
)

// lateInit sets, in obj, the spec fields the controller of obj's kind
// fills from AWS when the object leaves them unset, and returns their
// paths. It never changes a field the object sets.
func (s *Sim) lateInit(ctx context.Context, obj *unstructured.Unstructured) ([]string, error) {
	var filled []string
	set := func(v any, path ...string) {
		if _, found, _ := unstructured.NestedFieldNoCopy(obj.Object, path...); found {
			return
		}
		if unstructured.SetNestedField(obj.Object, v, path...) == nil {
			filled = append(filled, strings.Join(path, "."))
		}
	}
	switch obj.GetKind() {
	case "VPC":
		set("default", "spec", "instanceTenancy")
		set(false, "spec", "enableNetworkAddressUsageMetrics")
	case "Role":
		set("/", "spec", "path")
		set(defaultSessionSecs, "spec", "maxSessionDuration")
	case "Cluster":
		set(defaultServiceCIDR, "spec", "kubernetesNetworkConfig", "serviceIPv4CIDR")
		set(false, "spec", "deletionProtection")
	case "Addon":
		version, err := s.awsVersion(ctx, obj)
		if err != nil {
			return nil, err
		}
		set(version, "spec", "addonVersion")
	case "Nodegroup":
		version, err := s.nodegroupVersion(ctx, obj)
		if err != nil {
			return nil, err
		}
		set(version, "spec", "version")
		version, _, _ = unstructured.NestedString(obj.Object, "spec", "version")
		set(version+".0-"+amiReleaseDate, "spec", "releaseVersion")
		if _, found, _ := unstructured.NestedFieldNoCopy(obj.Object, "spec", "launchTemplate"); !found {
			set(defaultDiskSize, "spec", "diskSize")
		}
	}
	return filled, nil
}

// nodegroupVersion is the Kubernetes version the Cluster a Nodegroup
// belongs to runs in AWS (versions.go).
func (s *Sim) nodegroupVersion(ctx context.Context, obj *unstructured.Unstructured) (string, error) {
	c, err := s.clusterOf(ctx, obj)
	if err != nil || c == nil {
		return defaultVersion, err
	}
	return s.awsVersion(ctx, c)
}
