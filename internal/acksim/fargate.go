package acksim

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/ack"
)

// profileInUse returns the error EKS gives a CreateFargateProfile while
// another profile of the same cluster is CREATING, "" when there is none:
// only one Fargate profile of a cluster can be in CREATING at a time
// (aws/aws-cdk#6084; hashicorp/terraform-provider-aws#13372). The
// eks-controller (v1.20.0) does not treat ResourceInUseException as
// terminal (generator.yaml lists "ResourceInUse"), so it reports it as
// ACK.Recoverable and retries (pkg/resource/fargate_profile/sdk.go
// updateConditions); the runtime takes the finalizer off again after a
// create that AWS refused (runtime reconciler.go createResource), so the
// object keeps none.
func (s *Sim) profileInUse(ctx context.Context, k kind, obj *unstructured.Unstructured) (string, error) {
	if k.Group != ack.EKSGroup || k.Kind != "FargateProfile" {
		return "", nil
	}
	items, err := s.list(ctx, k)
	if err != nil {
		return "", err
	}
	cluster, err := s.clusterName(ctx, obj)
	if err != nil {
		return "", err
	}
	for i := range items {
		other := &items[i]
		st := s.objs[other.GetUID()]
		if other.GetUID() == obj.GetUID() || st == nil || st.resolvedAt.IsZero() || st.synced {
			continue
		}
		if c, err := s.clusterName(ctx, other); err != nil || c != cluster {
			continue
		}
		name, _, _ := unstructured.NestedString(obj.Object, "spec", "name")
		otherName, _, _ := unstructured.NestedString(other.Object, "spec", "name")
		return fmt.Sprintf("ResourceInUseException: Cannot create Fargate Profile %s because cluster %s currently has Fargate profile %s in status CREATING",
			name, cluster, otherName), nil
	}
	return "", nil
}
