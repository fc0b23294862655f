package main

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"k8s.io/client-go/rest"
)

// logRequests makes rc write one line per request to w: method, path
// and query, status (or error) and duration, so that a run's round trips
// can be counted and each one questioned (--verbose). Lines of
// concurrent requests do not interleave.
func logRequests(rc *rest.Config, w io.Writer) {
	var mu sync.Mutex
	rc.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return requestLogger{next: rt, w: w, mu: &mu}
	})
}

// requestLogger is the RoundTripper of logRequests.
type requestLogger struct {
	next http.RoundTripper
	w    io.Writer
	mu   *sync.Mutex
}

func (l requestLogger) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := l.next.RoundTrip(req)
	outcome := ""
	if err != nil {
		outcome = "error: " + err.Error()
	} else {
		outcome = resp.Status
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "request: %s %s %s in %s\n", req.Method, req.URL.RequestURI(), outcome, time.Since(start).Round(time.Millisecond))
	return resp, err
}
