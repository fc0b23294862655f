package apitest

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/rest"
)

// Faults is an HTTPS proxy on 127.0.0.1 in front of the Env's apiserver
// that can fail or slow down requests, for tests of how clients cope with
// an apiserver that errs or is slow. It forwards with the Env's
// credentials; clients reach it through Config.
type Faults struct {
	// Config reaches the apiserver through the proxy.
	Config *rest.Config

	mu    sync.Mutex
	rules []faultRule
	delay time.Duration
	hits  map[string]int
}

type faultRule struct {
	name   string
	match  func(*http.Request) bool
	status int
	body   string
	header http.Header
	// times is how many requests the rule fails; 0 for all.
	times int
}

// NewFaults starts a proxy for e, stopped when t ends.
func (e *Env) NewFaults(t testing.TB) *Faults {
	t.Helper()
	target, err := url.Parse(e.Config.Host)
	if err != nil {
		t.Fatal(err)
	}
	transport, err := rest.TransportFor(e.Config)
	if err != nil {
		t.Fatal(err)
	}
	f := &Faults{hits: map[string]int{}}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = target.Host
		},
		Transport:     transport,
		FlushInterval: -1, // watches stream
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rule, delay, ok := f.match(r); ok {
			time.Sleep(delay)
			for k, v := range rule.header {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rule.status)
			fmt.Fprint(w, rule.body)
			return
		} else if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		proxy.ServeHTTP(w, r)
	}))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	f.Config = &rest.Config{Host: srv.URL, TLSClientConfig: rest.TLSClientConfig{CAData: ca}}
	return f
}

func (f *Faults) match(r *http.Request) (faultRule, time.Duration, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.rules {
		rule := &f.rules[i]
		if !rule.match(r) || (rule.times > 0 && f.hits[rule.name] >= rule.times) {
			continue
		}
		f.hits[rule.name]++
		return *rule, f.delay, true
	}
	return faultRule{}, f.delay, false
}

// Fail answers the requests match selects with status and a metav1.Status
// body carrying message, times times (0: until Clear), as an apiserver in
// trouble does. header is added to the response (e.g. Retry-After).
func (f *Faults) Fail(name string, match func(*http.Request) bool, status int, message string, times int, header http.Header) {
	f.mu.Lock()
	defer f.mu.Unlock()
	body := fmt.Sprintf(`{"kind":"Status","apiVersion":"v1","status":"Failure","message":%q,"code":%d}`, message, status)
	f.rules = append(f.rules, faultRule{name: name, match: match, status: status, body: body, header: header, times: times})
}

// Delay holds every request for d before answering it.
func (f *Faults) Delay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay = d
}

// Clear removes every failure and the delay.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules, f.delay = nil, 0
}

// Hits returns how many requests the named failure answered.
func (f *Faults) Hits(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[name]
}
