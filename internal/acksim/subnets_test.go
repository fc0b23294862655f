package acksim_test

import (
	"testing"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// TestSubnetsMustExist: EKS refuses a subnet ID EC2 does not know; the
// Cluster's create is retried (InvalidParameterException is no terminal
// code of the eks-controller's Cluster), a Fargate profile's is terminal.
func TestSubnetsMustExist(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := create(t, ns, `
apiVersion: eks.services.k8s.aws/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  name: demo
  version: "1.34"
  roleARN: arn:aws:iam::111122223333:role/cluster
  resourcesVPCConfig: {subnetIDs: [subnet-0aaaaaaaaaaaaaaaa, subnet-0bbbbbbbbbbbbbbbb]}
---
apiVersion: eks.services.k8s.aws/v1alpha1
kind: FargateProfile
metadata: {name: fp}
spec:
  name: fp
  clusterName: demo
  podExecutionRoleARN: arn:aws:iam::111122223333:role/pods
  selectors: [{namespace: default}]
  subnets: [subnet-0aaaaaaaaaaaaaaaa, subnet-0cccccccccccccccc]
`)
	cluster, profile := objs[0], objs[1]
	sim := acksim.New(env.Client, ns, acksim.Options{})
	sim.AddExisting(acksim.Existing{Kind: "Subnet", Fields: map[string]string{"subnetID": "subnet-0aaaaaaaaaaaaaaaa"}})
	sim.Start(t)
	missing := func(id string) string {
		return "InvalidParameterException: The subnet ID '" + id + "' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)"
	}
	waitUntil(t, "the Cluster refused, recoverable", func() bool {
		return hasCond(fresh(t, cluster), cond{"ACK.Recoverable", "True", missing("subnet-0bbbbbbbbbbbbbbbb"), ""})
	})
	waitUntil(t, "the Fargate profile refused, terminal", func() bool {
		return hasCond(fresh(t, profile), cond{"ACK.Terminal", "True", missing("subnet-0cccccccccccccccc"), ""})
	})
	if got := sim.Created(); len(got) != 0 {
		t.Errorf("created %v; want nothing while a subnet does not exist", got)
	}
	sim.AddExisting(acksim.Existing{Kind: "Subnet", Fields: map[string]string{"subnetID": "subnet-0bbbbbbbbbbbbbbbb"}})
	waitSynced(t, cluster)
}
