package apply

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
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

// IngressURLs is the address of each Ingress of objs whose hostname hosts
// has: https:// when the Ingress asks the load balancer controller for an
// HTTPS listener, else http://, with the port unless it is the scheme's
// own.
func IngressURLs(objs []*unstructured.Unstructured, hosts map[string]string) map[string]string {
	urls := map[string]string{}
	for _, u := range objs {
		name := graph.NameOf(u)
		if u.GetKind() != "Ingress" || hosts[name] == "" {
			continue
		}
		scheme, port := ingressListener(u)
		url := scheme + "://" + hosts[name]
		if (scheme == "https" && port != 443) || (scheme == "http" && port != 80) {
			url += ":" + strconv.Itoa(port)
		}
		urls[name] = url
	}
	return urls
}

// ingressListener is the scheme and port a user reaches the Ingress on:
// its first HTTPS listener, else its first HTTP one. The listeners are
// alb.ingress.kubernetes.io/listen-ports, a JSON list of {"HTTP"|"HTTPS":
// port}; without it, HTTP 80, or HTTPS 443 with a certificate-arn
// (kubernetes-sigs/aws-load-balancer-controller v3.5.0
// docs/guide/ingress/annotations.md#listen-ports).
func ingressListener(u *unstructured.Unstructured) (string, int) {
	ann := u.GetAnnotations()
	var ports []map[string]int
	if err := json.Unmarshal([]byte(ann["alb.ingress.kubernetes.io/listen-ports"]), &ports); err != nil || len(ports) == 0 {
		if ann["alb.ingress.kubernetes.io/certificate-arn"] != "" {
			return "https", 443
		}
		return "http", 80
	}
	for _, p := range ports {
		if port, ok := p["HTTPS"]; ok {
			return "https", port
		}
	}
	for _, p := range ports {
		if port, ok := p["HTTP"]; ok {
			return "http", port
		}
	}
	return "http", 80
}
