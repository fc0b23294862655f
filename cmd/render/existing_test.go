package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// existingPrivate are the private subnets of the network dev is put on.
var existingPrivate = []string{"subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"}

// onExistingNetwork returns a project whose dev (platform name) uses a
// network it does not own.
func onExistingNetwork(t *testing.T, name string) string {
	t.Helper()
	dir := project(t)
	p := filepath.Join(dir, "platform.yaml")
	edit(t, p, "name: demo", "name: "+name)
	edit(t, p, "      azCount: 2\n      natMode: single\n      flowLogs:\n        retentionDays: 7\n", `      existing:
        vpcID: vpc-0e0e0e0e0e0e0e0e0
        privateSubnetIDs: [`+strings.Join(existingPrivate, ", ")+`]
        publicSubnetIDs: [subnet-0b0b0b0b0b0b0b0b1, subnet-0b0b0b0b0b0b0b0b2]
`)
	return dir
}

// seed makes the private subnets exist in sim's AWS, as the network team
// made them.
func seed(sim *acksim.Sim) {
	for _, id := range existingPrivate {
		sim.AddExisting(acksim.Existing{Kind: "Subnet", Fields: map[string]string{"subnetID": id}})
	}
}

// TestApplyOnExistingNetwork: dev on network.existing converges with no
// EC2 object at all, its Cluster and Fargate profiles on the given
// subnets, and no second phase waiting for a VPC ID.
func TestApplyOnExistingNetwork(t *testing.T) {
	apitest.Skip(t)
	dir := onExistingNetwork(t, "exnet")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sim := acksim.New(env.Client, "exnet-dev", acksim.Options{})
	seed(sim)
	sim.Start(t)
	code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false")
	if code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	if strings.Contains(errOut, "VPC") || !strings.Contains(errOut, "all ready") {
		t.Errorf("stderr mentions a VPC, or is not all ready:\n%s", errOut)
	}
	for _, o := range sim.SyncedOrder() {
		if k, _, _ := strings.Cut(o, "/"); slices.Contains([]string{"VPC", "Subnet", "InternetGateway", "NATGateway", "ElasticIPAddress", "RouteTable", "FlowLog"}, k) {
			t.Errorf("%s synced: render made an EC2 object on a network it does not own", o)
		}
	}
	cluster := get(t, "eks.services.k8s.aws", "Cluster", "exnet-dev", "exnet")
	if got, _, _ := unstructured.NestedStringSlice(cluster.Object, "spec", "resourcesVPCConfig", "subnetIDs"); !slices.Equal(got, existingPrivate) {
		t.Errorf("Cluster subnetIDs = %v, want %v", got, existingPrivate)
	}
	profile := get(t, "eks.services.k8s.aws", "FargateProfile", "exnet-dev", "default")
	if got, _, _ := unstructured.NestedStringSlice(profile.Object, "spec", "subnets"); !slices.Equal(got, existingPrivate) {
		t.Errorf("FargateProfile subnets = %v, want %v", got, existingPrivate)
	}
	code, out, errOut := run(t, dir, "diff", "dev", "--kubeconfig", kubeconfig)
	if code != 0 || !strings.Contains(out, "  ASSUMED dev: ") || !strings.Contains(out, "checked by EKS: the private subnets "+strings.Join(existingPrivate, ", ")) ||
		!strings.Contains(out, "assumed, not checked: the private subnets route 0.0.0.0/0 to a NAT gateway") || !strings.HasSuffix(out, "no changes\n") {
		t.Errorf("render diff dev = %d:\n%s\n%s", code, out, errOut)
	}
}

// TestApplyOnMissingSubnets: a subnet that does not exist in AWS leaves
// the Cluster refused by EKS, and render apply says so when it gives up.
func TestApplyOnMissingSubnets(t *testing.T) {
	apitest.Skip(t)
	dir := onExistingNetwork(t, "nosubnet")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sim := acksim.New(env.Client, "nosubnet-dev", acksim.Options{})
	sim.AddExisting(acksim.Existing{Kind: "Subnet", Fields: map[string]string{"subnetID": existingPrivate[0]}})
	sim.Start(t)
	code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "8s", "--workload=false")
	if code != 1 || !strings.Contains(errOut, "The subnet ID '"+existingPrivate[1]+"' does not exist") {
		t.Errorf("render apply = %d, want 1 naming the missing subnet:\n%s", code, errOut)
	}
	_, out, _ := run(t, dir, "diff", "dev", "--kubeconfig", kubeconfig)
	if !strings.Contains(out, "REFUSED by AWS: the private subnets ") || !strings.Contains(out, "(Cluster/nosubnet-dev/nosubnet: InvalidParameterException: The subnet ID '"+existingPrivate[1]+"' does not exist") {
		t.Errorf("render diff dev does not report the refusal:\n%s", out)
	}
}

func get(t *testing.T, group, kind, ns, name string) *unstructured.Unstructured {
	t.Helper()
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(schema.GroupVersionKind{Group: group, Version: "v1alpha1", Kind: kind})
	if err := env.Client.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: name}, u); err != nil {
		t.Fatal(err)
	}
	return u
}

// TestGenAndGraphOnExistingNetwork: without a VPC of its own, dev's graph
// starts with roles and log groups, and nothing waits for a VPC ID.
func TestGenAndGraphOnExistingNetwork(t *testing.T) {
	dir := onExistingNetwork(t, "demo")
	code, _, errOut := run(t, dir, "gen")
	if code != 0 || strings.Contains(errOut, "dev: FlowLog") || strings.Contains(errOut, "not rendered yet: dev: Deployment/kube-system/aws-load-balancer-controller") ||
		!strings.Contains(errOut, "not rendered yet: prod: FlowLog/demo-prod/vpc: waits for the VPC ID") {
		t.Fatalf("gen = %d; dev waits for a VPC ID, or prod no longer does:\n%s", code, errOut)
	}
	code, out, errOut := run(t, dir, "graph", "dev")
	if code != 0 || strings.Contains(out, "VPC/") || strings.Contains(out, "Subnet/") || !strings.Contains(out, "  subgraph level2[\"level 2\"]\n    n5[\"Cluster/demo-dev/demo\"]\n") {
		t.Errorf("graph dev = %d:\n%s\n%s", code, out, errOut)
	}
}
