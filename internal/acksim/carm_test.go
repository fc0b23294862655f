package acksim_test

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// annotate sets annotations on namespace ns.
func annotate(t *testing.T, ns string, ann map[string]string) {
	t.Helper()
	n := &corev1.Namespace{}
	if err := env.Client.Get(t.Context(), client.ObjectKey{Name: ns}, n); err != nil {
		t.Fatal(err)
	}
	n.Annotations = ann
	if err := env.Client.Update(t.Context(), n); err != nil {
		t.Fatal(err)
	}
}

// TestCrossAccount: an object in a namespace annotated with another
// owner account waits, "IAM Role is not available", until the account map
// in the ACK system namespace has a role for that account, then lands in
// the role's account; its region is its own annotation's, else the
// namespace's default region.
func TestCrossAccount(t *testing.T) {
	apitest.Skip(t)
	ns, system := env.Namespace(t), env.Namespace(t)
	annotate(t, ns, map[string]string{
		"services.k8s.aws/owner-account-id": "444455556666",
		"services.k8s.aws/default-region":   "eu-west-1",
	})
	sim := acksim.New(env.Client, ns, acksim.Options{SystemNamespace: system})
	objs := create(t, ns, `
apiVersion: ec2.services.k8s.aws/v1alpha1
kind: VPC
metadata: {name: vpc}
spec: {cidrBlocks: [10.0.0.0/16]}
---
apiVersion: cloudwatchlogs.services.k8s.aws/v1alpha1
kind: LogGroup
metadata: {name: logs, annotations: {services.k8s.aws/region: ap-south-1}}
spec: {name: /aws/eks/demo/cluster}`)
	sim.Start(t)
	vpc, logs := objs[0], objs[1]

	t.Run("waits with the runtime's condition while the account map is missing", func(t *testing.T) {
		want := cond{"ACK.ResourceSynced", "False", "IAM Role is not available",
			`retrieving role ARN for account/team ID "444455556666" from "ack-role-account-map" configmap: CARM configmap not found`}
		waitUntil(t, "VPC unsynced", func() bool { return hasCond(fresh(t, vpc), want) })
		if f := fresh(t, vpc).GetFinalizers(); len(f) != 0 {
			t.Errorf("finalizers = %v, want none: nothing is created without the role", f)
		}
	})
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "ack-role-account-map", Namespace: system},
		Data:       map[string]string{"999999999999": "arn:aws:iam::999999999999:role/other"},
	}
	if err := env.Client.Create(t.Context(), cm); err != nil {
		t.Fatal(err)
	}
	t.Run("waits while the map has no key for the account", func(t *testing.T) {
		want := cond{"ACK.ResourceSynced", "False", "IAM Role is not available",
			`retrieving role ARN for account/team ID "444455556666" from "ack-role-account-map" configmap: key not found in CARM configmap`}
		waitUntil(t, "VPC unsynced for the key", func() bool { return hasCond(fresh(t, vpc), want) })
	})
	cm.Data["444455556666"] = "arn:aws:iam::444455556666:role/demo-ack"
	if err := env.Client.Update(t.Context(), cm); err != nil {
		t.Fatal(err)
	}
	waitSynced(t, objs...)
	t.Run("creates in the mapped account and the resolved region", func(t *testing.T) {
		checkStatus(t, fresh(t, vpc), map[string]string{
			"ownerID":                            "444455556666",
			"ackResourceMetadata.ownerAccountID": "444455556666",
			"ackResourceMetadata.region":         "eu-west-1",
			"ackResourceMetadata.arn":            "arn:aws:ec2:eu-west-1:444455556666:vpc/" + acksim.ID("VPC", "vpc"),
		})
		checkStatus(t, fresh(t, logs), map[string]string{
			"ackResourceMetadata.ownerAccountID": "444455556666",
			"ackResourceMetadata.region":         "ap-south-1",
		})
	})
	t.Run("a resource cannot move to another account", func(t *testing.T) {
		cm.Data["777788889999"] = "arn:aws:iam::777788889999:role/demo-ack"
		if err := env.Client.Update(t.Context(), cm); err != nil {
			t.Fatal(err)
		}
		annotate(t, ns, map[string]string{"services.k8s.aws/owner-account-id": "777788889999"})
		want := cond{"ACK.Terminal", "True", "Resource already exists in account 444455556666, but the role used for reconciliation is in account 777788889999. ", ""}
		waitUntil(t, "VPC terminal", func() bool { return slices.Contains(conditions(fresh(t, vpc)), want) })
	})
}
