package acksim

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"testing"
)

func TestDefaultCA(t *testing.T) {
	a, b := defaultCA(), defaultCA()
	if a != b {
		t.Error("defaultCA() differs between calls")
	}
	raw, err := base64.StdEncoding.DecodeString(a)
	if err != nil {
		t.Fatalf("defaultCA() is not base64: %v", err)
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("defaultCA() is not a PEM certificate: %q", raw)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatalf("parse defaultCA(): %v", err)
	}
	if !cert.IsCA {
		t.Error("defaultCA() is not a CA certificate")
	}
}
