package apitest_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	k8sschema "k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/schema"
)

var (
	env  *apitest.Env
	crds []*apiextensionsv1.CustomResourceDefinition
)

func TestMain(m *testing.M) {
	os.Exit(apitest.Main(m, func(ctx context.Context, e *apitest.Env) error {
		env = e
		set, err := schema.Load()
		if err != nil {
			return err
		}
		crds = set.CRDs()
		return e.InstallCRDs(ctx, crds)
	}))
}

// TestCRDsEstablished checks that every ACK CRD is installed and Established.
func TestCRDsEstablished(t *testing.T) {
	apitest.Skip(t)
	if len(crds) == 0 {
		t.Fatal("schema.Load returned no CRDs")
	}
	for _, want := range crds {
		got := &apiextensionsv1.CustomResourceDefinition{}
		if err := env.Client.Get(t.Context(), client.ObjectKey{Name: want.Name}, got); err != nil {
			t.Errorf("get CustomResourceDefinition/%s: %v", want.Name, err)
			continue
		}
		established := false
		for _, c := range got.Status.Conditions {
			established = established || c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue
		}
		if !established {
			t.Errorf("CustomResourceDefinition/%s not Established: %+v", want.Name, got.Status.Conditions)
		}
	}
}

// TestNamespace checks that each test gets a namespace of its own.
func TestNamespace(t *testing.T) {
	apitest.Skip(t)
	a, b := env.Namespace(t), env.Namespace(t)
	if a == b || !strings.HasPrefix(a, "testnamespace-") {
		t.Errorf("Namespace(t) twice = %q, %q; want two names starting testnamespace-", a, b)
	}
}

// TestSubnetStrict sends an ACK Subnet to the apiserver (dry-run, strict
// field validation): a valid spec is accepted, a misspelt field rejected,
// both through server-side apply and through create.
//
// Server-side apply rejects an unknown field while building the typed patch,
// before the strict check runs, and kube-apiserver v1.34 answers that with
// HTTP 500 rather than 400 (kubernetes/kubernetes#139253); create reports a
// strict decoding error with 400.
func TestSubnetStrict(t *testing.T) {
	apitest.Skip(t)
	ns := env.Namespace(t)
	dyn, err := dynamic.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	subnets := dyn.Resource(k8sschema.GroupVersionResource{
		Group: "ec2.services.k8s.aws", Version: "v1alpha1", Resource: "subnets",
	}).Namespace(ns)

	valid := map[string]any{
		"cidrBlock":        "10.0.1.0/24",
		"availabilityZone": "us-east-1a",
		"vpcRef":           map[string]any{"from": map[string]any{"name": "vpc"}},
	}
	misspelt := map[string]any{
		"cidrBlok":         "10.0.1.0/24",
		"availabilityZone": "us-east-1a",
	}
	apply := func(ctx context.Context, u *unstructured.Unstructured) (*unstructured.Unstructured, error) {
		data, err := json.Marshal(u.Object)
		if err != nil {
			return nil, err
		}
		force := true
		return subnets.Patch(ctx, u.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{
			FieldManager:    "apitest",
			Force:           &force,
			DryRun:          []string{metav1.DryRunAll},
			FieldValidation: metav1.FieldValidationStrict,
		})
	}
	create := func(ctx context.Context, u *unstructured.Unstructured) (*unstructured.Unstructured, error) {
		return subnets.Create(ctx, u, metav1.CreateOptions{
			FieldManager:    "apitest",
			DryRun:          []string{metav1.DryRunAll},
			FieldValidation: metav1.FieldValidationStrict,
		})
	}

	tests := []struct {
		name     string
		send     func(context.Context, *unstructured.Unstructured) (*unstructured.Unstructured, error)
		spec     map[string]any
		wantErr  string // substring of the apiserver's message; "" for accepted
		wantCode int32  // HTTP status of the rejection
	}{
		{name: "apply valid", send: apply, spec: valid},
		{
			name: "apply unknown field", send: apply, spec: misspelt,
			wantErr: ".spec.cidrBlok: field not declared in schema", wantCode: 500,
		},
		{name: "create valid", send: create, spec: valid},
		{
			name: "create unknown field", send: create, spec: misspelt,
			wantErr: `strict decoding error: unknown field "spec.cidrBlok"`, wantCode: 400,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &unstructured.Unstructured{Object: map[string]any{
				"apiVersion": "ec2.services.k8s.aws/v1alpha1",
				"kind":       "Subnet",
				"metadata":   map[string]any{"name": "private-a", "namespace": ns},
				"spec":       tt.spec,
			}}
			got, err := tt.send(t.Context(), u)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				if cidr, _, _ := unstructured.NestedString(got.Object, "spec", "cidrBlock"); cidr != "10.0.1.0/24" {
					t.Errorf("accepted spec.cidrBlock = %q, want 10.0.1.0/24", cidr)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted %v; want an error containing %q", tt.spec, tt.wantErr)
			}
			var status apierrors.APIStatus
			if !errors.As(err, &status) {
				t.Fatalf("error %v is no API status", err)
			}
			if code := status.Status().Code; code != tt.wantCode || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v (HTTP %d); want HTTP %d containing %q", err, code, tt.wantCode, tt.wantErr)
			}
		})
	}
}
