package acksim

import (
	"context"
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/ack"
)

// EKS checks the subnet IDs of a create call against EC2: an ID that does
// not exist fails CreateCluster (and CreateNodegroup, CreateFargateProfile)
// with InvalidParameterException, "The subnet ID 'subnet-...' does not
// exist (Service: AmazonEC2; Status Code: 400; Error Code:
// InvalidSubnetID.NotFound; ...)", as Terraform prints it
// (github.com/AdminTurnedDevOps/DevOps-The-Hard-Way-AWS issue 16). What the
// controller makes of it differs by kind (eks-controller v1.20.0
// generator.yaml terminal_codes, pkg/resource/*/sdk.go terminalAWSError):
// InvalidParameterException is terminal for Nodegroup and FargateProfile,
// but not for Cluster, whose create is retried, ACK.Recoverable, until the
// spec changes or the subnets appear.

var subnetKind = schema.GroupKind{Group: ack.EC2Group, Kind: "Subnet"}

// subnetFields are where each EKS kind carries subnet IDs (the ID forms of
// the CRDs; a subnetRefs reference resolves to a subnet that exists).
var subnetFields = map[string][]string{
	"Cluster":        {"spec", "resourcesVPCConfig", "subnetIDs"},
	"Nodegroup":      {"spec", "subnets"},
	"FargateProfile": {"spec", "subnets"},
}

// subnetsRefused returns the error EKS gives obj's create call for its
// first subnet ID that does not exist in the Sim's AWS (an existing Subnet,
// AddExisting, or one a Subnet object of the namespace was given), and
// whether the controller takes it as terminal; "" when all exist.
func (s *Sim) subnetsRefused(ctx context.Context, obj *unstructured.Unstructured) (msg string, terminal bool, err error) {
	path, ok := subnetFields[obj.GetKind()]
	if !ok || obj.GroupVersionKind().Group != ack.EKSGroup {
		return "", false, nil
	}
	ids, _, _ := unstructured.NestedStringSlice(obj.Object, path...)
	if len(ids) == 0 {
		return "", false, nil
	}
	known, err := s.subnetIDs(ctx)
	if err != nil {
		return "", false, err
	}
	for _, id := range ids {
		if !slices.Contains(known, id) {
			msg := fmt.Sprintf("InvalidParameterException: The subnet ID '%s' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)", id)
			return msg, obj.GetKind() != "Cluster", nil
		}
	}
	return "", false, nil
}

// subnetIDs lists the subnet IDs that exist in the Sim's AWS.
func (s *Sim) subnetIDs(ctx context.Context) ([]string, error) {
	var out []string
	s.mu.Lock()
	for _, e := range s.existing {
		if e.Kind == "Subnet" && e.Fields["subnetID"] != "" {
			out = append(out, e.Fields["subnetID"])
		}
	}
	s.mu.Unlock()
	items, err := s.list(ctx, kind{GroupKind: subnetKind})
	if err != nil {
		return nil, err
	}
	for _, u := range items {
		if id, _, _ := unstructured.NestedString(u.Object, "status", "subnetID"); id != "" {
			out = append(out, id)
		}
	}
	return out, nil
}
