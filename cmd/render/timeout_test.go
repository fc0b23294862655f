package main

import (
	"crypto/tls"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/rest"

	"github.com/eks-render/render/internal/apitest"
)

// writeKubeconfig writes a kubeconfig for cfg into dir and returns its path.
func writeKubeconfig(t testing.TB, cfg *rest.Config, dir string) string {
	t.Helper()
	kc, err := (&apitest.Env{Config: cfg}).Kubeconfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	return kc
}

// silentServer accepts connections on 127.0.0.1, completes TLS and reads
// each request, and never answers; it returns a kubeconfig for it and its
// host:port.
func silentServer(t *testing.T) (kubeconfig, host string) {
	t.Helper()
	stop := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	srv.TLS = &tls.Config{NextProtos: []string{"http/1.1"}}
	srv.StartTLS()
	t.Cleanup(func() { close(stop); srv.Close() })
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	u, _ := url.Parse(srv.URL)
	return writeKubeconfig(t, &rest.Config{Host: srv.URL, TLSClientConfig: rest.TLSClientConfig{CAData: ca}}, t.TempDir()), u.Host
}

func TestRequestTimeoutDefault(t *testing.T) {
	cmd := NewApplyCommand(IOStreams{})
	if got := cmd.Flags().Lookup("request-timeout").DefValue; got != "30s" {
		t.Errorf("--request-timeout defaults to %q, want 30s: a server that never answers must not hang render", got)
	}
}

// A server that completes TLS and never answers: render apply fails within
// the request timeout (plus 2s), naming the server and the flag.
func TestServerThatNeverAnswers(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	kubeconfig, host := silentServer(t)
	p := startRender(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--request-timeout", "2s")
	code, end := p.wait(t, 4*time.Second+time.Second)
	took := end.Sub(p.start)
	if code == 0 || took > 4*time.Second {
		t.Errorf("render apply = %d after %s, want a failure within 4s:\n%s", code, took, p.errOut.String())
	}
	if e := p.errOut.String(); !strings.Contains(e, host+" did not answer within 2s (--request-timeout") {
		t.Errorf("stderr does not name the server and the flag:\n%s", e)
	}
}

// Ctrl-C while the server never answers (issue 25: render apply waited in
// discovery, which takes no context, until SIGKILL): exit 130 within 5s.
func TestInterruptWhileTheServerNeverAnswers(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	kubeconfig, _ := silentServer(t)
	for _, cmd := range []string{"apply", "diff"} {
		p := startRender(t, dir, cmd, "dev", "--kubeconfig", kubeconfig)
		time.Sleep(time.Second)
		sent := p.signal(t, syscall.SIGINT)
		code, end := p.wait(t, stopGrace+5*time.Second)
		if code != 130 || end.Sub(sent) > stopGrace+time.Second {
			t.Errorf("render %s after SIGINT = %d in %s, want 130 within %s:\n%s", cmd, code, end.Sub(sent), stopGrace, p.errOut.String())
		}
	}
}
