package apply

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/graph"
)

// InjectCAAnnotation on a webhook configuration names the TLS Secret
// ("namespace/name") whose CA render apply puts into every webhook's
// clientConfig.caBundle. render gen cannot make a certificate (its output is
// deterministic), so render apply does, once, and keeps it in that Secret.
const InjectCAAnnotation = "eks-render.dev/inject-ca-from"

// certValidity is how long the generated CA and serving certificate last.
const certValidity = 10 * 365 * 24 * time.Hour

// InjectWebhookCAs makes sure the Secret each annotated webhook
// configuration in objs names exists, generating a CA and a serving
// certificate for the webhooks' Service when it does not, and sets every
// webhook's caBundle in objs to that CA. It returns the changed objects.
func (m *Manager) InjectWebhookCAs(ctx context.Context, objs []*unstructured.Unstructured) ([]*unstructured.Unstructured, error) {
	out := make([]*unstructured.Unstructured, len(objs))
	for i, u := range objs {
		out[i] = u
		ref := u.GetAnnotations()[InjectCAAnnotation]
		if ref == "" || !strings.HasSuffix(u.GetKind(), "WebhookConfiguration") {
			continue
		}
		ca, err := m.webhookCA(ctx, u, ref)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", graph.NameOf(u), err)
		}
		out[i], err = withCABundle(u, ca)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", graph.NameOf(u), err)
		}
	}
	return out, nil
}

// webhookCA returns the CA of the Secret ref, creating the Secret first.
func (m *Manager) webhookCA(ctx context.Context, u *unstructured.Unstructured, ref string) ([]byte, error) {
	ns, name, ok := strings.Cut(ref, "/")
	if !ok {
		return nil, fmt.Errorf("%s %q: want namespace/name", InjectCAAnnotation, ref)
	}
	secret := &corev1.Secret{}
	err := m.client.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, secret)
	switch {
	case err == nil:
		if ca := secret.Data["ca.crt"]; len(ca) > 0 {
			return ca, nil
		}
		return nil, fmt.Errorf("the webhook TLS Secret %s/%s has no ca.crt", ns, name)
	case !apierrors.IsNotFound(err):
		return nil, err
	}
	service, err := webhookService(u)
	if err != nil {
		return nil, err
	}
	data, err := newServingSecretData(service)
	if err != nil {
		return nil, err
	}
	secret = &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Labels: map[string]string{"app.kubernetes.io/managed-by": "render"}},
		Type:       corev1.SecretTypeTLS,
		Data:       data,
	}
	if err := m.client.Create(ctx, secret); err != nil {
		return nil, fmt.Errorf("create Secret/%s/%s: %w", ns, name, err)
	}
	fmt.Fprintf(m.progress, "Secret/%s/%s created: webhook CA and serving certificate for %s\n", ns, name, service)
	return data["ca.crt"], nil
}

// webhookService is the DNS name of the Service the webhooks call.
func webhookService(u *unstructured.Unstructured) (string, error) {
	hooks, _, _ := unstructured.NestedSlice(u.Object, "webhooks")
	for _, h := range hooks {
		hm, _ := h.(map[string]any)
		name, _, _ := unstructured.NestedString(hm, "clientConfig", "service", "name")
		ns, _, _ := unstructured.NestedString(hm, "clientConfig", "service", "namespace")
		if name != "" && ns != "" {
			return name + "." + ns + ".svc", nil
		}
	}
	return "", fmt.Errorf("no webhook calls a Service")
}

// withCABundle returns a copy of u with caBundle set on every webhook.
func withCABundle(u *unstructured.Unstructured, ca []byte) (*unstructured.Unstructured, error) {
	c := u.DeepCopy()
	hooks, _, _ := unstructured.NestedSlice(c.Object, "webhooks")
	for _, h := range hooks {
		hm, ok := h.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("webhooks: not a list of objects")
		}
		if err := unstructured.SetNestedField(hm, encodeBase64(ca), "clientConfig", "caBundle"); err != nil {
			return nil, err
		}
	}
	if err := unstructured.SetNestedSlice(c.Object, hooks, "webhooks"); err != nil {
		return nil, err
	}
	return c, nil
}

// newServingSecretData makes a CA and a certificate for service signed by
// it, as a kubernetes.io/tls Secret's data (tls.crt, tls.key, ca.crt).
func newServingSecretData(service string) (map[string][]byte, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "render webhook CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(certValidity),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, IsCA: true, BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: service},
		DNSNames:  []string{service, strings.TrimSuffix(service, ".svc"), service + ".cluster.local"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(certValidity),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caTmpl, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		"ca.crt":  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		"tls.crt": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		"tls.key": pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
	}, nil
}

func encodeBase64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// WebhookSecrets returns, as objects to delete, the TLS Secrets that the
// webhook configurations among objs name in InjectCAAnnotation: render
// apply made them, so render delete removes them.
func WebhookSecrets(objs []*unstructured.Unstructured) []*unstructured.Unstructured {
	seen := map[string]bool{}
	var out []*unstructured.Unstructured
	for _, u := range objs {
		ref := u.GetAnnotations()[InjectCAAnnotation]
		ns, name, ok := strings.Cut(ref, "/")
		if !ok || seen[ref] || !strings.HasSuffix(u.GetKind(), "WebhookConfiguration") {
			continue
		}
		seen[ref] = true
		s := &unstructured.Unstructured{}
		s.SetAPIVersion("v1")
		s.SetKind("Secret")
		s.SetNamespace(ns)
		s.SetName(name)
		out = append(out, s)
	}
	return out
}
