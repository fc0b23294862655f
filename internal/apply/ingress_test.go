package apply_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/apply"
)

func TestIngressURLs(t *testing.T) {
	const host = "k8s-2048game-app2048-0123456789.eu-west-1.elb.amazonaws.com"
	tests := []struct {
		name        string
		annotations map[string]string
		want        string
	}{
		{"an HTTP-only Ingress is reached over http", map[string]string{"alb.ingress.kubernetes.io/scheme": "internet-facing"}, "http://" + host},
		{"render's TLS annotations give https", map[string]string{
			"alb.ingress.kubernetes.io/listen-ports":    `[{"HTTP": 80}, {"HTTPS": 443}]`,
			"alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:eu-west-1:444455556666:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
			"alb.ingress.kubernetes.io/ssl-redirect":    "443",
		}, "https://" + host},
		{"a certificate alone listens on 443", map[string]string{
			"alb.ingress.kubernetes.io/certificate-arn": "arn:aws:acm:eu-west-1:444455556666:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
		}, "https://" + host},
		{"another HTTPS port is named", map[string]string{"alb.ingress.kubernetes.io/listen-ports": `[{"HTTPS": 8443}]`}, "https://" + host + ":8443"},
		{"another HTTP port is named", map[string]string{"alb.ingress.kubernetes.io/listen-ports": `[{"HTTP": 8080}]`}, "http://" + host + ":8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &unstructured.Unstructured{}
			u.SetAPIVersion("networking.k8s.io/v1")
			u.SetKind("Ingress")
			u.SetNamespace("2048-game")
			u.SetName("app-2048")
			u.SetAnnotations(tt.annotations)
			got := apply.IngressURLs([]*unstructured.Unstructured{u}, map[string]string{"Ingress/2048-game/app-2048": host})
			if got["Ingress/2048-game/app-2048"] != tt.want {
				t.Errorf("IngressURLs = %v, want %s", got, tt.want)
			}
		})
	}
	if got := apply.IngressURLs(nil, map[string]string{"Ingress/2048-game/app-2048": host}); len(got) != 0 {
		t.Errorf("IngressURLs of no objects = %v", got)
	}
}
