package acksim

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// TestCoreDNSComputeType is the coredns add-on's computeType through to the
// Fargate admission, compared as Kubernetes compares strings.
func TestCoreDNSComputeType(t *testing.T) {
	for _, tc := range []struct {
		name, values string
		fargate      bool
	}{
		{name: "lower case fargate runs on Fargate", values: `{"computeType":"fargate"}`, fargate: true},
		{name: "capitalised Fargate does not", values: `{"computeType":"Fargate"}`},
		{name: "upper case does not", values: `{"computeType":"FARGATE"}`},
		{name: "no configuration is ec2", values: ""},
		{name: "ec2 is ec2", values: `{"computeType":"ec2"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addon := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{"configurationValues": tc.values}}}
			annotations, err := corednsAnnotations(addon)
			if err != nil {
				t.Fatal(err)
			}
			if got := fargateComputeType(annotations); got != tc.fargate {
				t.Errorf("pod annotations %v: on Fargate %v, want %v", annotations, got, tc.fargate)
			}
		})
	}
	if !fargateComputeType(nil) {
		t.Error("a pod without a compute type is not Fargate's")
	}
}
