package apitest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/discovery"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/eks-render/render/internal/schema"
)

// AssetsEnv names the directory holding kube-apiserver and etcd.
const AssetsEnv = "KUBEBUILDER_ASSETS"

// startTimeout bounds the start of etcd and of kube-apiserver each, unless
// the context's deadline or KUBEBUILDER_CONTROLPLANE_START_TIMEOUT says
// otherwise. envtest's default of 20s is too short on a busy 2-core machine.
const startTimeout = 2 * time.Minute

// Env is a running kube-apiserver backed by its own etcd.
type Env struct {
	// Config reaches the apiserver as a member of system:masters.
	Config *rest.Config
	// Client is a controller-runtime client for Config whose scheme knows
	// client-go's types and apiextensions/v1; it takes unstructured objects
	// of any kind.
	Client client.Client

	env     *envtest.Environment
	certDir string
}

// unavailable says why apiserver tests cannot run, or "" if they can.
func unavailable() string {
	if testing.Short() {
		return "apitest: needs a kube-apiserver; skipped under -short"
	}
	if os.Getenv(AssetsEnv) == "" {
		return "apitest: " + AssetsEnv + " is unset; `make test-apply` builds kube-apiserver and etcd and sets it"
	}
	return ""
}

// Skip skips t under -short and when KUBEBUILDER_ASSETS is unset. Call it
// first in every test that uses an Env.
func Skip(t testing.TB) {
	t.Helper()
	if reason := unavailable(); reason != "" {
		t.Skip(reason)
	}
}

// Main is the body of a TestMain: unless Skip would skip, it starts an Env,
// hands it to setup (which keeps it and installs CRDs), runs the tests and
// stops the Env, also when setup or a test fails. It returns the exit code
// for os.Exit. When Skip would skip, it only runs the tests.
func Main(m *testing.M, setup func(ctx context.Context, env *Env) error) int {
	if !flag.Parsed() {
		flag.Parse()
	}
	if reason := unavailable(); reason != "" {
		fmt.Fprintln(os.Stderr, reason)
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*startTimeout+time.Minute)
	start := time.Now()
	env, err := Start(ctx)
	if err != nil {
		cancel()
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "apitest: kube-apiserver and etcd started in %s\n", time.Since(start).Round(time.Millisecond))
	code := func() int {
		defer cancel()
		if setup == nil {
			return m.Run()
		}
		start := time.Now()
		if err := setup(ctx, env); err != nil {
			fmt.Fprintf(os.Stderr, "apitest: setup: %v\n", err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "apitest: setup took %s\n", time.Since(start).Round(time.Millisecond))
		return m.Run()
	}()
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// Start starts etcd and kube-apiserver from the binaries in
// KUBEBUILDER_ASSETS and waits until the apiserver serves. ctx's deadline, if
// any, bounds the start of each. Call Stop when done, also after a failed
// test: the processes outlive the test binary otherwise.
func Start(ctx context.Context) (*Env, error) {
	assets := os.Getenv(AssetsEnv)
	if assets == "" {
		return nil, errors.New("apitest: " + AssetsEnv + " is unset")
	}
	// go test runs each package in its own directory: a relative path would
	// mean something else in each.
	if !filepath.IsAbs(assets) {
		return nil, fmt.Errorf("apitest: %s=%q must be an absolute path", AssetsEnv, assets)
	}
	for _, bin := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(assets, bin)); err != nil {
			return nil, fmt.Errorf("apitest: %s=%s has no %s (make test-apiserver-bin builds it): %w", AssetsEnv, assets, bin, err)
		}
	}
	// controller-runtime complains on stderr when no logger is set.
	ctrllog.SetLogger(logr.Discard())

	timeout := startTimeout
	if deadline, ok := ctx.Deadline(); ok {
		timeout = time.Until(deadline)
	}
	never := false
	te := &envtest.Environment{
		BinaryAssetsDirectory: assets,
		// Never talk to the cluster of the caller's kubeconfig, whatever
		// USE_EXISTING_CLUSTER says.
		UseExistingCluster: &never,
	}
	if os.Getenv("KUBEBUILDER_CONTROLPLANE_START_TIMEOUT") == "" {
		te.ControlPlaneStartTimeout = timeout
	}
	// A certificate directory of our own, not a random one envtest would
	// replace on restart: RestartAPIServer keeps the serving certificate, so
	// clients keep trusting the apiserver.
	certDir, err := os.MkdirTemp("", "apitest-certs-")
	if err != nil {
		return nil, fmt.Errorf("apitest: %w", err)
	}
	te.ControlPlane.APIServer = &envtest.APIServer{CertDir: certDir}
	// Reach webhook and aggregated-API Services through their endpoints,
	// never through a ClusterIP: there is no service network here, and a
	// ClusterIP is a private address off this machine. A test that serves a
	// webhook gives its Service an endpoint on 127.0.0.1.
	te.ControlPlane.APIServer.Configure().Set("enable-aggregator-routing", "true")
	// Stop within a second when restarted (RestartAPIServer) although
	// clients hold watches open: without a grace period for watches the
	// graceful shutdown waits for them until envtest kills it after 20s.
	te.ControlPlane.APIServer.Configure().Set("shutdown-watch-termination-grace-period", "1s")
	cfg, err := te.Start()
	if err != nil {
		// A half-started control plane still has processes to end.
		_ = te.Stop()
		return nil, fmt.Errorf("apitest: start kube-apiserver and etcd from %s: %w", assets, err)
	}

	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		_ = te.Stop()
		return nil, err
	}
	if err := apiextensionsv1.AddToScheme(scheme); err != nil {
		_ = te.Stop()
		return nil, err
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		_ = te.Stop()
		return nil, fmt.Errorf("apitest: client: %w", err)
	}
	return &Env{Config: cfg, Client: c, env: te, certDir: certDir}, nil
}

// RestartAPIServer stops kube-apiserver, waits down, and starts it again on
// the same port with the same certificates; etcd keeps running, so no data
// is lost. Clients see refused connections meanwhile.
func (e *Env) RestartAPIServer(down time.Duration) error {
	api := e.env.ControlPlane.APIServer
	if err := api.Stop(); err != nil {
		return fmt.Errorf("apitest: stop kube-apiserver: %w", err)
	}
	time.Sleep(down)
	if err := api.Start(); err != nil {
		return fmt.Errorf("apitest: restart kube-apiserver: %w", err)
	}
	return nil
}

// Stop ends kube-apiserver and etcd and removes etcd's data.
func (e *Env) Stop() error {
	err := e.env.Stop()
	if rerr := os.RemoveAll(e.certDir); err == nil && rerr != nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("apitest: stop kube-apiserver and etcd: %w", err)
	}
	return nil
}

// InstallCRDs creates the CRDs, or updates those that exist, and waits until
// every one is Established and its resources are in discovery, so that a
// test can use them at once. A CRD whose names the apiserver refuses fails
// at once with the apiserver's reason.
func (e *Env) InstallCRDs(ctx context.Context, crds []*apiextensionsv1.CustomResourceDefinition) error {
	for _, crd := range crds {
		if err := e.putCRD(ctx, crd.DeepCopy()); err != nil {
			return err
		}
	}
	for _, crd := range crds {
		if err := e.waitEstablished(ctx, crd.Name); err != nil {
			return err
		}
	}
	return e.waitDiscovery(ctx, crds)
}

// putCRD creates crd, or overwrites the spec of the CRD of that name.
func (e *Env) putCRD(ctx context.Context, crd *apiextensionsv1.CustomResourceDefinition) error {
	crd.ResourceVersion = ""
	err := e.Client.Create(ctx, crd)
	if apierrors.IsAlreadyExists(err) {
		live := &apiextensionsv1.CustomResourceDefinition{}
		if err = e.Client.Get(ctx, client.ObjectKey{Name: crd.Name}, live); err == nil {
			live.Spec = crd.Spec
			err = e.Client.Update(ctx, live)
		}
	}
	if err != nil {
		return fmt.Errorf("apitest: install CustomResourceDefinition/%s: %w", crd.Name, err)
	}
	return nil
}

// waitEstablished polls the CRD called name until it is Established.
func (e *Env) waitEstablished(ctx context.Context, name string) error {
	var last string
	err := wait.PollUntilContextCancel(ctx, 50*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := e.Client.Get(ctx, client.ObjectKey{Name: name}, crd); err != nil {
			last = err.Error()
			return false, nil
		}
		for _, c := range crd.Status.Conditions {
			switch {
			case c.Type == apiextensionsv1.NamesAccepted && c.Status == apiextensionsv1.ConditionFalse:
				return false, fmt.Errorf("names not accepted: %s", c.Message)
			case c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue:
				return true, nil
			case c.Type == apiextensionsv1.Established:
				last = fmt.Sprintf("Established=%s: %s", c.Status, c.Message)
			}
		}
		return false, nil
	})
	if err != nil {
		if last != "" {
			err = fmt.Errorf("%w (last: %s)", err, last)
		}
		return fmt.Errorf("apitest: CustomResourceDefinition/%s not Established: %w", name, err)
	}
	return nil
}

// waitDiscovery polls discovery until it lists every served version of every
// CRD, which the clients' REST mappers read.
func (e *Env) waitDiscovery(ctx context.Context, crds []*apiextensionsv1.CustomResourceDefinition) error {
	dc, err := discovery.NewDiscoveryClientForConfig(e.Config)
	if err != nil {
		return fmt.Errorf("apitest: discovery: %w", err)
	}
	want := map[string]map[string]bool{} // group/version -> plural
	for _, crd := range crds {
		for _, v := range crd.Spec.Versions {
			if v.Served {
				gv := crd.Spec.Group + "/" + v.Name
				if want[gv] == nil {
					want[gv] = map[string]bool{}
				}
				want[gv][crd.Spec.Names.Plural] = true
			}
		}
	}
	var missing string
	err = wait.PollUntilContextCancel(ctx, 50*time.Millisecond, true, func(context.Context) (bool, error) {
		for gv, plurals := range want {
			list, err := dc.ServerResourcesForGroupVersion(gv)
			if err != nil {
				missing = gv + ": " + err.Error()
				return false, nil
			}
			served := map[string]bool{}
			for _, r := range list.APIResources {
				served[r.Name] = true
			}
			for p := range plurals {
				if !served[p] {
					missing = gv + "/" + p
					return false, nil
				}
			}
			delete(want, gv)
		}
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("apitest: CRDs not in discovery: %w (missing %s)", err, missing)
	}
	return nil
}

var notDNS = regexp.MustCompile(`[^a-z0-9]+`)

// Namespace creates a namespace for t alone, named after the test with a
// random suffix, and deletes it when t ends. (Without a namespace controller
// it stays Terminating, which no other test sees.)
func (e *Env) Namespace(t testing.TB) string {
	t.Helper()
	prefix := strings.Trim(notDNS.ReplaceAllString(strings.ToLower(t.Name()), "-"), "-")
	if len(prefix) > 40 {
		prefix = strings.TrimRight(prefix[:40], "-")
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: prefix + "-"}}
	if err := e.Client.Create(t.Context(), ns); err != nil {
		t.Fatalf("apitest: create namespace for %s: %v", t.Name(), err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.Client.Delete(ctx, ns); err != nil && !apierrors.IsNotFound(err) {
			t.Errorf("apitest: delete Namespace/%s: %v", ns.Name, err)
		}
	})
	return ns.Name
}

// MainWithACK is Main with the project's ACK CRDs installed, keeping the
// Env through keep: the TestMain of every package that applies ACK objects.
func MainWithACK(m *testing.M, keep func(*Env)) int {
	return Main(m, func(ctx context.Context, e *Env) error {
		keep(e)
		set, err := schema.Load()
		if err != nil {
			return err
		}
		return e.InstallCRDs(ctx, set.CRDs())
	})
}

// Eventually polls ok every 20ms until it holds, failing t after 30s with
// what it waited for.
func Eventually(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
