package apply

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// DefaultRequestTimeout bounds every request of a Manager whose
// ManagerOptions.RequestTimeout is 0.
const DefaultRequestTimeout = 30 * time.Second

// RequestTimeoutError is a request the server did not answer in time: it
// accepted the connection (and, for HTTPS, completed TLS) and then said
// nothing.
type RequestTimeoutError struct {
	// Server is the host and port asked.
	Server  string
	Timeout time.Duration
}

func (e *RequestTimeoutError) Error() string {
	return fmt.Sprintf("%s did not answer within %s (--request-timeout; 0 waits for ever)", e.Server, e.Timeout)
}

// boundRequests ends each request its server leaves unanswered for d with
// a RequestTimeoutError. A request ends when its body is closed; a watch
// (?watch=true) only has to start within d, since it then streams for as
// long as the server keeps it (client-go's own Timeout, http.Client's,
// would cut every watch after d, informers' included).
type boundRequests struct {
	next http.RoundTripper
	d    time.Duration
}

func (b *boundRequests) RoundTrip(req *http.Request) (*http.Response, error) {
	cause := &RequestTimeoutError{Server: req.URL.Host, Timeout: b.d}
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(b.d, func() { cancel(cause) })
	done := func() { timer.Stop(); cancel(nil) }
	resp, err := b.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		done()
		return nil, boundErr(ctx, cause, err)
	}
	if req.URL.Query().Get("watch") == "true" && !timer.Stop() {
		// The bound fired as the answer came: too late all the same.
		resp.Body.Close()
		done()
		return nil, cause
	}
	// A watch that started within d streams with no bound but the
	// caller's; any other request is bounded until its body is closed.
	resp.Body = &boundBody{ReadCloser: resp.Body, ctx: ctx, cause: cause, done: done}
	return resp, nil
}

// boundErr is cause when the bound ended the request, else err.
func boundErr(ctx context.Context, cause *RequestTimeoutError, err error) error {
	if context.Cause(ctx) == error(cause) {
		return cause
	}
	return err
}

// boundBody ends the request's bound when the body is closed.
type boundBody struct {
	io.ReadCloser
	ctx   context.Context
	cause *RequestTimeoutError
	once  sync.Once
	done  func()
}

func (b *boundBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = boundErr(b.ctx, b.cause, err)
	}
	return n, err
}

func (b *boundBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}
