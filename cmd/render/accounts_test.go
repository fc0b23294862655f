package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// ackObjects lists the ACK objects of every kind render emits in ns.
func ackObjects(t *testing.T, ns string) []unstructured.Unstructured {
	t.Helper()
	var out []unstructured.Unstructured
	for _, gk := range []schema.GroupVersionKind{
		{Group: "ec2.services.k8s.aws", Version: "v1alpha1", Kind: "VPC"},
		{Group: "ec2.services.k8s.aws", Version: "v1alpha1", Kind: "Subnet"},
		{Group: "ec2.services.k8s.aws", Version: "v1alpha1", Kind: "NATGateway"},
		{Group: "ec2.services.k8s.aws", Version: "v1alpha1", Kind: "FlowLog"},
		{Group: "iam.services.k8s.aws", Version: "v1alpha1", Kind: "Role"},
		{Group: "iam.services.k8s.aws", Version: "v1alpha1", Kind: "OpenIDConnectProvider"},
		{Group: "eks.services.k8s.aws", Version: "v1alpha1", Kind: "Cluster"},
		{Group: "eks.services.k8s.aws", Version: "v1alpha1", Kind: "FargateProfile"},
		{Group: "eks.services.k8s.aws", Version: "v1alpha1", Kind: "Addon"},
		{Group: "cloudwatchlogs.services.k8s.aws", Version: "v1alpha1", Kind: "LogGroup"},
	} {
		l := &unstructured.UnstructuredList{}
		l.SetGroupVersionKind(gk.GroupVersion().WithKind(gk.Kind + "List"))
		if err := env.Client.List(t.Context(), l, client.InNamespace(ns)); err != nil {
			t.Fatal(err)
		}
		out = append(out, l.Items...)
	}
	return out
}

// checkLanded checks that every ACK object of ns was created in account
// and region.
func checkLanded(t *testing.T, ns, account, region string) {
	t.Helper()
	objs := ackObjects(t, ns)
	if len(objs) < 10 {
		t.Fatalf("%s has %d ACK objects", ns, len(objs))
	}
	for _, o := range objs {
		meta, _, _ := unstructured.NestedStringMap(o.Object, "status", "ackResourceMetadata")
		if meta["ownerAccountID"] != account || meta["region"] != region || !strings.Contains(meta["arn"], ":"+account+":") {
			t.Errorf("%s/%s/%s landed in %v; want account %s, region %s", o.GetKind(), ns, o.GetName(), meta, account, region)
		}
	}
}

func accountMap(t *testing.T) map[string]string {
	t.Helper()
	cm := &corev1.ConfigMap{}
	if err := env.Client.Get(t.Context(), client.ObjectKey{Namespace: "ack-system", Name: "ack-role-account-map"}, cm); err != nil {
		t.Fatal(err)
	}
	return cm.Data
}

// TestEnvironmentsInTwoAccounts applies the multi-account example, dev in
// the management cluster's account and region, prod in another of each,
// against ACK controllers (acksim) that run in the management account and
// manage other accounts as the runtime's CARM does: every AWS resource
// lands in its environment's account and region, and deleting dev leaves
// prod, and its entry of the account map, untouched.
func TestEnvironmentsInTwoAccounts(t *testing.T) {
	apitest.Skip(t)
	if err := env.Client.Create(t.Context(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "ack-system"}}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	dir := projectOf(t, multiAccountExample)
	// qa: a third environment in a third account, to see the account map's
	// entries merge and go one by one.
	edit(t, filepath.Join(dir, "platform.yaml"), "  prod:\n", "  qa:\n    accountID: \"555566667777\"\n    cluster: {admins: [arn:aws:iam::555566667777:role/Admin]}\n  prod:\n")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	finalizeNamespaces(t, env.Config) // envtest runs no namespace controller
	sims := map[string]*acksim.Sim{}
	for _, ns := range []string{"shop-dev", "shop-prod"} {
		sims[ns] = acksim.New(env.Client, ns, acksim.Options{Interval: 50 * time.Millisecond})
	}
	// prod is on its network team's VPC: its subnets exist in prod's
	// account before anything is applied (the IDs of the example's
	// network.existing).
	for _, id := range []string{"subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713",
		"subnet-0a1b2c3d4e5f60721", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60723"} {
		sims["shop-prod"].AddExisting(acksim.Existing{Kind: "Subnet", Fields: map[string]string{"subnetID": id}})
	}
	for _, sim := range sims {
		sim.Start(t)
	}
	for _, e := range []string{"dev", "prod"} {
		code, _, errOut := run(t, dir, "apply", e, "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false")
		if code != 0 {
			t.Fatalf("render apply %s = %d:\n%s", e, code, errOut)
		}
	}
	t.Run("every AWS resource lands in its environment's account and region", func(t *testing.T) {
		checkLanded(t, "shop-dev", "111122223333", "us-west-2")
		checkLanded(t, "shop-prod", "444455556666", "eu-west-1")
	})
	t.Run("only prod is in the account map", func(t *testing.T) {
		want := map[string]string{"444455556666": "arn:aws:iam::444455556666:role/shop-ack"}
		if got := accountMap(t); len(got) != 1 || got["444455556666"] != want["444455556666"] {
			t.Errorf("account map = %v, want %v", got, want)
		}
	})
	t.Run("entries of two environments merge and leave one by one", func(t *testing.T) {
		if code, _, errOut := run(t, dir, "apply", "qa", "--kubeconfig", kubeconfig, "--wait=false", "--workload=false"); code != 0 {
			t.Fatalf("render apply qa = %d:\n%s", code, errOut)
		}
		if got := accountMap(t); len(got) != 2 || got["555566667777"] != "arn:aws:iam::555566667777:role/shop-ack" {
			t.Errorf("account map after qa = %v, want prod's and qa's", got)
		}
		if code, _, errOut := run(t, dir, "delete", "qa", "--kubeconfig", kubeconfig, "--yes", "--workload=false", "--timeout", "1m"); code != 0 {
			t.Fatalf("render delete qa = %d:\n%s", code, errOut)
		}
		if got := accountMap(t); len(got) != 1 || got["444455556666"] == "" {
			t.Errorf("account map after deleting qa = %v, want prod's alone", got)
		}
	})
	t.Run("deleting dev leaves prod untouched", func(t *testing.T) {
		before := map[string]string{}
		for _, o := range ackObjects(t, "shop-prod") {
			before[o.GetKind()+"/"+o.GetName()] = o.GetResourceVersion()
		}
		code, _, errOut := run(t, dir, "delete", "dev", "--kubeconfig", kubeconfig, "--yes", "--workload=false", "--timeout", "2m")
		if code != 0 {
			t.Fatalf("render delete dev = %d:\n%s", code, errOut)
		}
		if left := ackObjects(t, "shop-dev"); len(left) != 0 {
			t.Errorf("dev still has %d ACK objects", len(left))
		}
		after := ackObjects(t, "shop-prod")
		if len(after) != len(before) {
			t.Errorf("prod has %d ACK objects, had %d", len(after), len(before))
		}
		for _, o := range after {
			if rv := before[o.GetKind()+"/"+o.GetName()]; rv != o.GetResourceVersion() {
				t.Errorf("%s/%s changed while dev was deleted", o.GetKind(), o.GetName())
			}
		}
		if got := accountMap(t); got["444455556666"] == "" {
			t.Errorf("account map lost prod's entry: %v", got)
		}
	})
}
