package apply

import (
	"context"
	"errors"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/graph"
)

// IngressHosts waits, up to timeout, until every Ingress among objs has a
// load balancer hostname (or IP) in its status, and returns them by
// Kind/namespace/name; an Ingress still without one after timeout is
// missing from the map. On AWS the load balancer controller sets it once
// the ALB exists, a minute or two after the Ingress.
func (m *Manager) IngressHosts(ctx context.Context, objs []*unstructured.Unstructured, interval, timeout time.Duration) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hosts := map[string]string{}
	for {
		pending := 0
		for _, u := range objs {
			if u.GetKind() != "Ingress" || hosts[graph.NameOf(u)] != "" {
				continue
			}
			live := &unstructured.Unstructured{}
			live.SetGroupVersionKind(u.GroupVersionKind())
			if err := m.client.Get(ctx, client.ObjectKeyFromObject(u), live); err != nil {
				if errors.Is(ctx.Err(), context.DeadlineExceeded) {
					return hosts, nil
				}
				return hosts, err
			}
			if h := ingressHost(live); h != "" {
				hosts[graph.NameOf(u)] = h
				continue
			}
			pending++
		}
		if pending == 0 {
			return hosts, nil
		}
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return hosts, nil
			}
			return hosts, ctx.Err()
		case <-time.After(interval):
		}
	}
}

func ingressHost(u *unstructured.Unstructured) string {
	lbs, _, _ := unstructured.NestedSlice(u.Object, "status", "loadBalancer", "ingress")
	for _, lb := range lbs {
		m, _ := lb.(map[string]any)
		for _, k := range []string{"hostname", "ip"} {
			if s, _ := m[k].(string); s != "" {
				return s
			}
		}
	}
	return ""
}
