package apply

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/clusterreader"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/engine"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/statusreaders"
	kwatcher "sigs.k8s.io/cli-utils/pkg/kstatus/watcher"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
)

// FieldManager is the server-side apply field manager render applies as.
const FieldManager = "render"

// Manager applies objects to one cluster and waits for them.
type Manager struct {
	client      client.Client
	mapper      meta.RESTMapper
	concurrency int
	progress    io.Writer
	live        bool
	now         func() time.Time
	// changes are the spec changes applied, not to be taken as ready
	// before the ACK controller reconciled them.
	changes *changes
	// watcher follows the objects Apply waits for: one informer per kind
	// and namespace, with statusReader (ACK kinds through ACKStatus).
	watcher      *kwatcher.DefaultStatusWatcher
	statusReader engine.StatusReader
	clusterRead  engine.ClusterReader

	// requestTimeout is ManagerOptions' RequestTimeout, defaulted.
	requestTimeout time.Duration

	// discovery, when Discover started it, is closed once it is done,
	// with discoveryErr set if it failed.
	discovery    chan struct{}
	discoveryErr error
}

// ManagerOptions configure a Manager.
type ManagerOptions struct {
	// Progress receives one line per object state change. Default: discard.
	Progress io.Writer
	// Concurrency bounds parallel requests within a level. Default 16.
	Concurrency int
	// Live keeps a one-line summary at the bottom of Progress, rewritten in
	// place ("12/24 ready, waiting on Cluster/demo-dev/demo (CREATING, 4m12s)");
	// for a terminal.
	Live bool
	// RequestTimeout bounds every request, discovery included: a server
	// that leaves one unanswered this long fails it with a
	// RequestTimeoutError. A watch only has to start within it. Default
	// (0) DefaultRequestTimeout; negative, no bound.
	RequestTimeout time.Duration
}

// watchResync is how often the watches deliver every object again, a
// safety net for a status that depends on objects not watched (a
// Deployment's ReplicaSets) or an event missed.
const watchResync = 30 * time.Second

// NewManager connects to the cluster cfg points at. Discovery is lazy and
// refreshed when a kind is not found, so CRDs installed meanwhile are seen.
func NewManager(cfg *rest.Config, opts ManagerOptions) (*Manager, error) {
	if cfg.QPS == 0 && cfg.RateLimiter == nil {
		// client-go's default of 5 requests a second (burst 10) would make
		// a 30-object apply wait on itself; kubectl raises it too.
		cfg = rest.CopyConfig(cfg)
		cfg.QPS, cfg.Burst = 100, 200
	}
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if d := opts.RequestTimeout; d > 0 {
		cfg = rest.CopyConfig(cfg)
		cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return &boundRequests{next: rt, d: d} })
	}
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("cluster connection: %w", err)
	}
	return newManager(cfg, httpClient, opts)
}

func newManager(cfg *rest.Config, httpClient *http.Client, opts ManagerOptions) (*Manager, error) {
	mapper, err := apiutil.NewDynamicRESTMapper(cfg, httpClient)
	if err != nil {
		return nil, fmt.Errorf("cluster discovery: %w", err)
	}
	c, err := client.New(cfg, client.Options{HTTPClient: httpClient, Mapper: mapper})
	if err != nil {
		return nil, fmt.Errorf("cluster client: %w", err)
	}
	ch := &changes{}
	dyn, err := dynamic.NewForConfigAndClient(cfg, httpClient)
	if err != nil {
		return nil, fmt.Errorf("cluster client: %w", err)
	}
	reader := statusreaders.NewStatusReader(mapper, newACKStatusReader(mapper, ch.status))
	cr := &clusterreader.DynamicClusterReader{DynamicClient: dyn, Mapper: mapper}
	w := &kwatcher.DefaultStatusWatcher{DynamicClient: dyn, Mapper: mapper, ResyncPeriod: watchResync,
		StatusReader: reader, ClusterReader: cr, Indexers: kwatcher.DefaultIndexers()}
	if opts.Concurrency == 0 {
		opts.Concurrency = 16
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	opts.Progress = Serialized(opts.Progress)
	return &Manager{client: c, mapper: mapper, watcher: w, statusReader: reader, clusterRead: cr, concurrency: opts.Concurrency,
		progress: opts.Progress, live: opts.Live, now: time.Now, changes: ch, requestTimeout: opts.RequestTimeout}, nil
}

// RequestTimeout is the bound of each of the Manager's requests
// (ManagerOptions), negative for none: give it to a Manager for another
// cluster of the same run.
func (m *Manager) RequestTimeout() time.Duration { return m.requestTimeout }

// Progress is where the Manager writes its progress lines: ManagerOptions'
// Progress, serialized. Give it to a second Manager that runs at the same
// time (the workload's), and write to it, so that lines do not interleave.
func (m *Manager) Progress() io.Writer { return m.progress }

// serialized is a writer whose writes do not interleave. A live summary
// line (written from "\r", left without a newline) left open is erased
// before any other line, the Manager's own or another's, which would
// otherwise run on from it; its Manager draws it again on its next update.
type serialized struct {
	mu   sync.Mutex
	w    io.Writer
	open bool
}

func (s *serialized) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open && !bytes.HasPrefix(p, []byte("\r")) {
		if _, err := io.WriteString(s.w, "\r\033[K"); err != nil {
			return 0, err
		}
	}
	n, err := s.w.Write(p)
	if len(p) > 0 {
		// A bare "\r\033[K" leaves the line cleared, not open.
		s.open = p[0] == '\r' && p[len(p)-1] != '\n' && !bytes.HasSuffix(p, []byte("\033[K"))
	}
	return n, err
}

// Serialized returns w, writes to which happen one at a time, w itself if
// it already is such a writer.
func Serialized(w io.Writer) io.Writer {
	if s, ok := w.(*serialized); ok {
		return s
	}
	return &serialized{w: w}
}

// Client is the controller-runtime client the Manager uses.
func (m *Manager) Client() client.Client { return m.client }
