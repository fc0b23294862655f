package main

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/graph"
)

// fargateNotReady names, with their state, the Fargate profiles among objs
// that are not ready in the management cluster. render outputs writes no
// late values until every profile is: the second phase brings the CoreDNS
// add-on of a Fargate-only environment, and CoreDNS pods that EKS creates
// before a profile selects them never run on Fargate.
func fargateNotReady(ctx context.Context, c client.Client, objs []*unstructured.Unstructured) ([]string, error) {
	var out []string
	for _, u := range objs {
		if u.GetKind() != "FargateProfile" || !apply.IsACK(u.GroupVersionKind().GroupKind()) {
			continue
		}
		live := &unstructured.Unstructured{}
		live.SetGroupVersionKind(u.GroupVersionKind())
		err := c.Get(ctx, client.ObjectKeyFromObject(u), live)
		if apierrors.IsNotFound(err) {
			out = append(out, graph.NameOf(u)+" (not created)")
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", graph.NameOf(u), err)
		}
		res, err := apply.ACKStatus(live)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", graph.NameOf(u), err)
		}
		if res.Status != status.CurrentStatus {
			out = append(out, fmt.Sprintf("%s (%s)", graph.NameOf(u), res.Message))
		}
	}
	return out, nil
}
