package acksim_test

import (
	"slices"
	"testing"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// adopting is the chain with the VPC, subnet-a and the cluster role
// adopting resources (adopt-or-create), subnet-b adopting one that does
// not exist, and the route table adopting with the policy "adopt".
const adopting = `
apiVersion: iam.services.k8s.aws/v1alpha1
kind: Role
metadata:
  name: cluster-role
  annotations: {services.k8s.aws/adoption-policy: adopt-or-create, services.k8s.aws/adoption-fields: '{"name":"old-name"}'}
spec:
  name: demo-cluster-role
  assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}'
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: VPC
metadata:
  name: vpc
  annotations: {services.k8s.aws/adoption-policy: adopt-or-create, services.k8s.aws/adoption-fields: '{"vpcID":"vpc-0aaaaaaaaaaaaaaaa"}'}
spec: {cidrBlocks: [10.0.0.0/16], enableDNSHostnames: true, enableDNSSupport: true}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: Subnet
metadata:
  name: subnet-a
  annotations: {services.k8s.aws/adoption-policy: adopt-or-create, services.k8s.aws/adoption-fields: '{"subnetID":"subnet-0aaaaaaaaaaaaaaaa"}'}
spec: {availabilityZone: us-west-2a, cidrBlock: 10.0.0.0/24, vpcRef: {from: {name: vpc}}}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: Subnet
metadata:
  name: subnet-b
  annotations: {services.k8s.aws/adoption-policy: adopt-or-create, services.k8s.aws/adoption-fields: '{"subnetID":"subnet-0bbbbbbbbbbbbbbbb"}'}
spec: {availabilityZone: us-west-2b, cidrBlock: 10.0.1.0/24, vpcRef: {from: {name: vpc}}}
---
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: RouteTable
metadata:
  name: rt
  annotations: {services.k8s.aws/adoption-policy: adopt, services.k8s.aws/adoption-fields: '{"routeTableID":"rtb-0ccccccccccccccc"}'}
spec: {vpcRef: {from: {name: vpc}}}
`

func TestAdoption(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	sim := acksim.New(env.Client, ns, acksim.Options{})
	sim.AddExisting(
		acksim.Existing{Kind: "VPC", Fields: map[string]string{"vpcID": "vpc-0aaaaaaaaaaaaaaaa"}},
		acksim.Existing{Kind: "Subnet", Fields: map[string]string{"subnetID": "subnet-0aaaaaaaaaaaaaaaa"}},
		acksim.Existing{Kind: "Role", Fields: map[string]string{"name": "demo-cluster-role"}},
	)
	objs := create(t, ns, adopting)
	role, vpc, subnetA, subnetB, rt := objs[0], objs[1], objs[2], objs[3], objs[4]
	sim.Start(t)
	waitSynced(t, role, vpc, subnetA, subnetB)

	t.Run("adopts what exists and marks it adopted", func(t *testing.T) {
		for _, o := range []string{"VPC/vpc", "Subnet/subnet-a", "Role/cluster-role"} {
			if sim.Adopted()[o] == nil {
				t.Errorf("%s not adopted: %v", o, sim.Adopted())
			}
		}
		for _, o := range objs[:3] {
			if got := fresh(t, o).GetAnnotations()["services.k8s.aws/adopted"]; got != "true" {
				t.Errorf("%s services.k8s.aws/adopted = %q, want true", o.GetName(), got)
			}
		}
	})
	t.Run("reports the adopted resource's ID", func(t *testing.T) {
		checkStatus(t, fresh(t, vpc), map[string]string{"vpcID": "vpc-0aaaaaaaaaaaaaaaa"})
		checkStatus(t, fresh(t, subnetA), map[string]string{"subnetID": "subnet-0aaaaaaaaaaaaaaaa"})
	})
	t.Run("looks a spec-identified kind up by its spec with adopt-or-create", func(t *testing.T) {
		if got := sim.Adopted()["Role/cluster-role"]["name"]; got != "demo-cluster-role" {
			t.Errorf("Role adopted by name %q, want its spec.name demo-cluster-role, not the annotation's old-name", got)
		}
	})
	t.Run("creates what does not exist with adopt-or-create, and nothing else", func(t *testing.T) {
		if got := sim.Created(); !slices.Equal(got, []string{"Subnet/subnet-b"}) {
			t.Errorf("Created() = %v, want only [Subnet/subnet-b]", got)
		}
		if fresh(t, subnetB).GetAnnotations()["services.k8s.aws/adopted"] != "" {
			t.Error("a created subnet is marked adopted")
		}
	})
	t.Run("retries adopt while the resource does not exist", func(t *testing.T) {
		want := cond{"ACK.Recoverable", "True", "adopted resource not found", ""}
		waitUntil(t, "RouteTable not found", func() bool { return hasCond(fresh(t, rt), want) })
		if len(fresh(t, rt).GetFinalizers()) != 0 {
			t.Error("RouteTable that was not found has a finalizer")
		}
		sim.AddExisting(acksim.Existing{Kind: "RouteTable", Fields: map[string]string{"routeTableID": "rtb-0ccccccccccccccc"}})
		waitSynced(t, rt)
		checkStatus(t, fresh(t, rt), map[string]string{"routeTableID": "rtb-0ccccccccccccccc"})
	})
	t.Run("refuses an unknown policy", func(t *testing.T) {
		bad := create(t, ns, `apiVersion: ec2.services.k8s.aws/v1alpha1
kind: VPC
metadata:
  name: bad
  annotations: {services.k8s.aws/adoption-policy: take-over}
spec: {cidrBlocks: [10.9.0.0/16]}`)[0]
		want := cond{"ACK.Terminal", "True", `unrecognized adoption policy take-over. Supported policies are "adopt" and "adopt-or-create"`, ""}
		waitUntil(t, "VPC terminal", func() bool { return hasCond(fresh(t, bad), want) })
	})
}
