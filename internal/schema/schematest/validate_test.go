package schematest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

// Valid objects, one per kind the renderer emits, shaped as in FIELDS.md.
const (
	vpc = `{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: VPC, metadata: {name: demo, namespace: infra},
  spec: {cidrBlocks: [10.0.0.0/16], enableDNSHostnames: true, enableDNSSupport: true, tags: [{key: Name, value: demo}]}}`
	subnet = `{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: Subnet, metadata: {name: public-a, namespace: infra},
  spec: {vpcRef: {from: {name: demo}}, availabilityZone: eu-west-1a, cidrBlock: 10.0.0.0/20, mapPublicIPOnLaunch: true,
    routeTableRefs: [{from: {name: public}}], tags: [{key: kubernetes.io/role/elb, value: "1"}]}}`
	natGateway = `{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: NATGateway, metadata: {name: nat-a, namespace: infra},
  spec: {subnetRef: {from: {name: public-a}}, allocationRef: {from: {name: eip-a}}, connectivityType: public}}`
	routeTable = `{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: RouteTable, metadata: {name: private-a, namespace: infra},
  spec: {vpcRef: {from: {name: demo}}, routes: [{destinationCIDRBlock: 0.0.0.0/0, natGatewayRef: {from: {name: nat-a}}}]}}`
	role = `{apiVersion: iam.services.k8s.aws/v1alpha1, kind: Role, metadata: {name: cluster-role, namespace: infra},
  spec: {name: demo-cluster, assumeRolePolicyDocument: '{"Version":"2012-10-17"}',
    policies: [arn:aws:iam::aws:policy/AmazonEKSClusterPolicy], maxSessionDuration: 3600, tags: [{key: team, value: platform}]}}`
	cluster = `{apiVersion: eks.services.k8s.aws/v1alpha1, kind: Cluster, metadata: {name: demo, namespace: infra},
  spec: {name: demo, version: "1.32", roleRef: {from: {name: cluster-role}}, deletionProtection: false,
    resourcesVPCConfig: {subnetRefs: [{from: {name: private-a}}, {from: {name: private-b}}], endpointPublicAccess: true},
    accessConfig: {authenticationMode: API, bootstrapClusterCreatorAdminPermissions: true},
    logging: {clusterLogging: [{enabled: true, types: [api, audit]}]}, tags: {team: platform}}}`
	nodegroup = `{apiVersion: eks.services.k8s.aws/v1alpha1, kind: Nodegroup, metadata: {name: default, namespace: infra},
  spec: {name: default, clusterRef: {from: {name: demo}}, nodeRoleRef: {from: {name: node-role}},
    subnetRefs: [{from: {name: private-a}}], scalingConfig: {minSize: 1, maxSize: 3, desiredSize: 2},
    instanceTypes: [t3.medium], amiType: AL2023_x86_64_STANDARD, capacityType: ON_DEMAND,
    labels: {pool: default}, taints: [{key: dedicated, value: x, effect: NO_SCHEDULE}], tags: {team: platform}}}`
	fargateProfile = `{apiVersion: eks.services.k8s.aws/v1alpha1, kind: FargateProfile, metadata: {name: game, namespace: infra},
  spec: {name: game, clusterRef: {from: {name: demo}}, podExecutionRoleRef: {from: {name: fargate-role}},
    subnetRefs: [{from: {name: private-a}}], selectors: [{namespace: game-2048, labels: {app: game}}], tags: {team: platform}}}`
	logGroup = `{apiVersion: cloudwatchlogs.services.k8s.aws/v1alpha1, kind: LogGroup, metadata: {name: cluster-logs, namespace: infra},
  spec: {name: /aws/eks/demo/cluster, retentionDays: 7, tags: {team: platform}}}`
)

// object parses a YAML fixture and applies edits, each setting the value at
// a dotted path (nil deletes it).
func object(t *testing.T, doc string, edits map[string]any) *unstructured.Unstructured {
	t.Helper()
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
		t.Fatalf("parse fixture: %v", err)
	}
	for p, v := range edits {
		fields := strings.Split(p, ".")
		if v == nil {
			unstructured.RemoveNestedField(u.Object, fields...)
			continue
		}
		if err := unstructured.SetNestedField(u.Object, v, fields...); err != nil {
			t.Fatalf("edit %s: %v", p, err)
		}
	}
	return u
}

func mustLoad(t *testing.T) *Set {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestValidateAccepts(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		name string
		doc  string
	}{
		{"a VPC", vpc},
		{"a Subnet", subnet},
		{"a NATGateway", natGateway},
		{"a RouteTable", routeTable},
		{"a Role", role},
		{"a Cluster", cluster},
		{"a Nodegroup", nodegroup},
		{"a FargateProfile", fargateProfile},
		{"a LogGroup", logGroup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Validate(object(t, tt.doc, nil)); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestValidateRejects(t *testing.T) {
	s := mustLoad(t)
	tests := []struct {
		name  string
		doc   string
		edits map[string]any
		is    error // errors.Is target, or nil
		want  []string
	}{
		{"a misspelled spec field", subnet, map[string]any{"spec.cidrBlok": "10.0.0.0/20"},
			ErrUnknownField, []string{`Subnet/infra/public-a: unknown field "spec.cidrBlok"`}},
		{"an unknown field inside a list", routeTable, map[string]any{"spec.routes": []any{map[string]any{"natGatewayReff": "x"}}},
			ErrUnknownField, []string{`unknown field "spec.routes[0].natGatewayReff"`}},
		{"an unknown metadata field", vpc, map[string]any{"metadata.labelz": "x"},
			ErrUnknownField, []string{`VPC/infra/demo: unknown field "metadata.labelz"`}},
		{"EC2 tags as a map", subnet, map[string]any{"spec.tags": map[string]any{"Name": "x"}},
			nil, []string{"Subnet/infra/public-a: spec.tags: Invalid value", `must be of type array`}},
		{"EKS tags as a list", cluster, map[string]any{"spec.tags": []any{map[string]any{"key": "a", "value": "b"}}},
			nil, []string{"Cluster/infra/demo: spec.tags: Invalid value", `must be of type object`}},
		{"a Role without spec.name", role, map[string]any{"spec.name": nil},
			nil, []string{"Role/infra/cluster-role: spec.name: Required value"}},
		{"a number for Cluster version", cluster, map[string]any{"spec.version": 1.32},
			nil, []string{"Cluster/infra/demo: spec.version: Invalid value", "must be of type string"}},
		{"a value outside an enum", `{apiVersion: services.k8s.aws/v1alpha1, kind: FieldExport, metadata: {name: issuer, namespace: infra},
  spec: {from: {resource: {group: eks.services.k8s.aws, kind: Cluster, name: demo}, path: .status.endpoint}, to: {kind: ConfigMap, name: info}}}`,
			nil, nil, []string{"FieldExport/infra/issuer: spec.to.kind: Unsupported value: \"ConfigMap\""}},
		{"an invalid object name", vpc, map[string]any{"metadata.name": "Demo_VPC"},
			nil, []string{"VPC/infra/Demo_VPC: metadata.name: Invalid value"}},
		{"a namespace on a cluster-scoped kind", `{apiVersion: services.k8s.aws/v1alpha1, kind: IAMRoleSelector,
  metadata: {name: sel, namespace: infra}, spec: {arn: "arn:aws:iam::1:role/x"}}`,
			nil, nil, []string{"IAMRoleSelector/infra/sel: metadata.namespace: Forbidden"}},
		{"an unknown kind", `{apiVersion: ec2.services.k8s.aws/v1alpha1, kind: Vpc, metadata: {name: demo, namespace: infra}}`,
			nil, ErrUnknownKind, []string{"Vpc/infra/demo: unknown kind ec2.services.k8s.aws/v1alpha1, Kind=Vpc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Validate(object(t, tt.doc, tt.edits))
			if err == nil {
				t.Fatal("Validate accepted the object")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false; err: %v", tt.is, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestValidateErrors(t *testing.T) {
	s := mustLoad(t)
	edits := map[string]any{"spec.cidrBlok": "x", "spec.version": 1.32, "spec.tags": []any{"a"}}
	t.Run("does not modify the object", func(t *testing.T) {
		obj := object(t, cluster, edits)
		before := obj.DeepCopy()
		_ = s.Validate(obj)
		if diff := cmp.Diff(before.Object, obj.Object); diff != "" {
			t.Errorf("object changed (-want +got):\n%s", diff)
		}
	})
	t.Run("reports every problem in a stable order", func(t *testing.T) {
		first := s.Validate(object(t, cluster, edits))
		for range 5 {
			if got := s.Validate(object(t, cluster, edits)); got.Error() != first.Error() {
				t.Fatalf("order changed:\n%v\nwant:\n%v", got, first)
			}
		}
		if n := strings.Count(first.Error(), "Cluster/infra/demo: "); n != 3 {
			t.Errorf("got %d problems, want 3:\n%v", n, first)
		}
	})
	t.Run("exposes the field error", func(t *testing.T) {
		var fe *field.Error
		err := s.Validate(object(t, role, map[string]any{"spec.name": nil}))
		if !errors.As(err, &fe) || fe.Type != field.ErrorTypeRequired || fe.Field != "spec.name" {
			t.Errorf("errors.As field.Error = %+v, want Required spec.name; err: %v", fe, err)
		}
	})
}
