package apply

import (
	"context"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"github.com/eks-render/render/internal/config"
)

// LateValues reads, from the live EKS Cluster and EC2 VPC among objs, the
// values AWS fills in after creation: the VPC ID, the cluster's OIDC
// issuer, endpoint and CA, the account ID, and the version the control
// plane runs (spec.version of a Cluster that is ACTIVE and synced: during
// an upgrade it is UPDATING and not synced, eks-controller
// pkg/resource/cluster/hook.go returnClusterUpdating) and, likewise, the
// authentication mode it runs (a refused mode change leaves it not synced
// either: ACK.Recoverable). What is not there
// yet (the object missing or not synced) stays empty.
func (m *Manager) LateValues(ctx context.Context, objs []*unstructured.Unstructured) (config.LateValues, error) {
	var late config.LateValues
	lives, err := m.GetEach(ctx, objs, func(u *unstructured.Unstructured) bool {
		gvk := u.GroupVersionKind()
		return (gvk.Group == "eks.services.k8s.aws" || gvk.Group == "ec2.services.k8s.aws") &&
			(gvk.Kind == "Cluster" || gvk.Kind == "VPC" || gvk.Kind == "Nodegroup")
	})
	if err != nil {
		return late, err
	}
	for i, live := range lives {
		if live == nil {
			continue
		}
		gvk := objs[i].GroupVersionKind()
		if gvk.Kind == "VPC" {
			late.VPCID = str(live, "status", "vpcID")
			continue
		}
		if gvk.Kind == "Nodegroup" {
			if st, err := ACKStatus(live); err == nil && st.Status == status.CurrentStatus {
				late.NodegroupVersion = str(live, "spec", "version")
			}
			continue
		}
		late.OIDCIssuer = str(live, "status", "identity", "oidc", "issuer")
		late.ClusterEndpoint = str(live, "status", "endpoint")
		late.ClusterCA = str(live, "status", "certificateAuthority", "data")
		late.AccountID = str(live, "status", "ackResourceMetadata", "ownerAccountID")
		late.ClusterVersion, late.AuthenticationMode = "", ""
		if st, err := ACKStatus(live); err == nil && st.Status == status.CurrentStatus && str(live, "status", "status") == "ACTIVE" {
			late.ClusterVersion = str(live, "spec", "version")
			late.AuthenticationMode = str(live, "spec", "accessConfig", "authenticationMode")
		}
	}
	return late, nil
}

func str(u *unstructured.Unstructured, path ...string) string {
	s, _, _ := unstructured.NestedString(u.Object, path...)
	return s
}
