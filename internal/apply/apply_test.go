package apply_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/graph"
)

func newManager(t testing.TB) (*apply.Manager, *bytes.Buffer) {
	t.Helper()
	var progress bytes.Buffer
	m, err := apply.NewManager(env.Config, apply.ManagerOptions{Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	return m, &progress
}

func noWait() apply.ApplyOptions {
	o := apply.DefaultApplyOptions()
	o.Wait = false
	o.Timeout = time.Minute
	return o
}

func generations(t *testing.T, objs []*unstructured.Unstructured) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, u := range objs {
		live := &unstructured.Unstructured{}
		live.SetGroupVersionKind(u.GroupVersionKind())
		if err := env.Client.Get(t.Context(), client.ObjectKeyFromObject(u), live); err != nil {
			t.Fatalf("get %s: %v", graph.NameOf(u), err)
		}
		out[graph.NameOf(u)] = live.GetGeneration()
	}
	return out
}

func TestApplyIsIdempotent(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	m, progress := newManager(t)
	res, err := m.Apply(t.Context(), objs, noWait())
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed() != len(objs) {
		t.Errorf("first apply changed %d of %d objects:\n%s", res.Changed(), len(objs), progress)
	}
	before := generations(t, objs)
	progress.Reset()
	res, err = m.Apply(t.Context(), objs, noWait())
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed() != 0 || progress.Len() != 0 {
		t.Errorf("second apply changed %d objects:\n%s", res.Changed(), progress)
	}
	after := generations(t, objs)
	for name, g := range before {
		if after[name] != g {
			t.Errorf("%s: generation %d -> %d", name, g, after[name])
		}
	}
}

func TestConflictsNameTheOtherManager(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	m, _ := newManager(t)
	if _, err := m.Apply(t.Context(), objs, noWait()); err != nil {
		t.Fatal(err)
	}
	var vpc *unstructured.Unstructured
	for _, u := range objs {
		if u.GetKind() == "VPC" {
			vpc = u.DeepCopy()
		}
	}
	theirs := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": vpc.GetAPIVersion(), "kind": "VPC",
		"metadata": map[string]any{"name": vpc.GetName(), "namespace": ns},
		"spec":     map[string]any{"cidrBlocks": []any{"10.0.0.0/16"}, "enableDNSHostnames": false},
	}}
	if err := env.Client.Apply(t.Context(), client.ApplyConfigurationFromUnstructured(theirs), client.FieldOwner("someone-else"), client.ForceOwnership); err != nil {
		t.Fatal(err)
	}
	_, err := m.Apply(t.Context(), objs, noWait())
	var conflict *apply.ConflictError
	if !errors.As(err, &conflict) || conflict.Object != "VPC/"+ns+"/vpc" || !strings.Contains(err.Error(), `"someone-else"`) {
		t.Fatalf("Apply = %v, want a conflict on VPC/%s/vpc naming someone-else", err, ns)
	}
	opts := noWait()
	opts.ForceConflicts = true
	res, err := m.Apply(t.Context(), objs, opts)
	if err != nil || res.Changed() != 1 {
		t.Fatalf("forced Apply = %v, %d changed; want the VPC taken back", err, res.Changed())
	}
}

func TestMissingKindsNameTheController(t *testing.T) {
	apitest.Skip(t)
	key := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "kms.services.k8s.aws/v1alpha1", "kind": "Key",
		"metadata": map[string]any{"name": "k", "namespace": "default"},
	}}
	m, _ := newManager(t)
	_, err := m.Apply(t.Context(), []*unstructured.Unstructured{key}, noWait())
	var missing *apply.MissingKindsError
	if !errors.As(err, &missing) || !strings.Contains(err.Error(), "Key (kms.services.k8s.aws/v1alpha1): install the ACK kms-controller") {
		t.Fatalf("Apply = %v", err)
	}
}

// TestStatusWritesAreNotChanges: a controller writing status between
// render's listing and its apply (here from the Check hook, which runs in
// between) does not make an unchanged object "configured".
func TestStatusWritesAreNotChanges(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	objs := devObjects(t, ns)
	m, _ := newManager(t)
	if _, err := m.Apply(t.Context(), objs, noWait()); err != nil {
		t.Fatal(err)
	}
	opts := noWait()
	opts.Check = func(_, _ []*unstructured.Unstructured) ([]string, error) {
		vpc := &unstructured.Unstructured{}
		vpc.SetGroupVersionKind(schema.GroupVersionKind{Group: "ec2.services.k8s.aws", Version: "v1alpha1", Kind: "VPC"})
		if err := env.Client.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "vpc"}, vpc); err != nil {
			return nil, err
		}
		if err := unstructured.SetNestedField(vpc.Object, "vpc-0123", "status", "vpcID"); err != nil {
			return nil, err
		}
		return nil, env.Client.Status().Update(t.Context(), vpc, client.FieldOwner("ec2-controller"))
	}
	res, err := m.Apply(t.Context(), objs, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Objects() {
		if o.Action != apply.Unchanged {
			t.Errorf("%s %s", o.Object, o.Action)
		}
	}
}
