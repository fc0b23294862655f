package apply

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestBoundRequests(t *testing.T) {
	const d = 200 * time.Millisecond
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/silent" {
			select {
			case <-r.Context().Done():
			case <-stop:
			}
			return
		}
		// Answers at once, then streams for 3d.
		w.WriteHeader(http.StatusOK)
		for range 6 {
			w.Write([]byte("event\n"))
			w.(http.Flusher).Flush()
			select {
			case <-time.After(d / 2):
			case <-r.Context().Done():
				return
			}
		}
	}))
	defer srv.Close()
	defer close(stop)
	c := &http.Client{Transport: &boundRequests{next: http.DefaultTransport, d: d}}
	get := func(path string) error {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.ReadAll(resp.Body)
		return err
	}
	var rte *RequestTimeoutError
	t.Run("fails a request left unanswered, naming the server", func(t *testing.T) {
		start := time.Now()
		err := get("/silent")
		if !errors.As(err, &rte) || rte.Server != srv.Listener.Addr().String() || time.Since(start) > 2*d+time.Second {
			t.Errorf("got %v after %s, want a RequestTimeoutError after %s", err, time.Since(start), d)
		}
	})
	t.Run("fails a request whose body outlasts the bound", func(t *testing.T) {
		if err := get("/stream"); !errors.As(err, &rte) {
			t.Errorf("got %v, want a RequestTimeoutError", err)
		}
	})
	t.Run("lets a watch that started in time stream on", func(t *testing.T) {
		if err := get("/stream?watch=true"); err != nil {
			t.Errorf("watch ended with %v", err)
		}
	})
}
