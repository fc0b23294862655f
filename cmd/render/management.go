package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"

	"k8s.io/client-go/rest"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// managementDocs is the page that says what render needs of the
// management cluster.
const managementDocs = "docs/getting-started.md#the-management-cluster"

// needsManagement ends every message about a missing or unreachable
// management cluster.
const needsManagement = "render needs a management cluster running the ACK controllers (ec2, iam, eks, cloudwatchlogs); see " + managementDocs

// noClusterError is a kubeconfig that names no management cluster,
// found before render asks any server anything.
type noClusterError struct{ msg string }

func (e noClusterError) Error() string { return e.msg + "; " + needsManagement }

// unreachableError is a dial to the management cluster's server that
// failed: the kubeconfig points nowhere.
type unreachableError struct {
	where string // kubeconfig file(s), context and server
	err   error
}

func (e *unreachableError) Error() string {
	return fmt.Sprintf("%s: %v; %s", e.where, e.err, needsManagement)
}

func (e *unreachableError) Unwrap() error { return e.err }

// managementTarget checks the kubeconfig flags before any request: a
// kubeconfig exists (or --server is given, or render runs in a pod), and
// its context exists. It returns where the cluster is, for messages.
func (f *clusterFlags) managementTarget() (string, error) {
	if f.kube.APIServer != nil && *f.kube.APIServer != "" {
		return "--server " + *f.kube.APIServer, nil
	}
	loader := f.kube.ToRawKubeConfigLoader()
	files := loader.ConfigAccess().GetLoadingPrecedence()
	var found []string
	for _, p := range files {
		if _, err := os.Stat(p); err == nil {
			found = append(found, p)
		}
	}
	if len(found) == 0 {
		if os.Getenv("KUBERNETES_SERVICE_HOST") != "" {
			return "the in-cluster service account", nil
		}
		return "", noClusterError{"no kubeconfig found (looked for " + strings.Join(files, ", ") + ")"}
	}
	raw, err := loader.RawConfig()
	if err != nil {
		return "", noClusterError{fmt.Sprintf("kubeconfig %s: %v", strings.Join(found, ", "), err)}
	}
	return contextTarget(raw, f.contextName(raw), strings.Join(found, ", "))
}

// contextName is --context, else the kubeconfig's current context.
func (f *clusterFlags) contextName(raw clientcmdapi.Config) string {
	if f.kube.Context != nil && *f.kube.Context != "" {
		return *f.kube.Context
	}
	return raw.CurrentContext
}

// contextTarget describes context name of kubeconfig raw (read from
// files), or says why it names no cluster.
func contextTarget(raw clientcmdapi.Config, name, files string) (string, error) {
	where := "kubeconfig " + files
	if name == "" {
		return "", noClusterError{where + " sets no current context and --context is not given"}
	}
	ctx, ok := raw.Contexts[name]
	if !ok {
		return "", noClusterError{fmt.Sprintf("%s has no context %q", where, name)}
	}
	cluster, ok := raw.Clusters[ctx.Cluster]
	if !ok || cluster.Server == "" {
		return "", noClusterError{fmt.Sprintf("%s, context %q: cluster %q has no server", where, name, ctx.Cluster)}
	}
	return fmt.Sprintf("%s, context %q, server %s", where, name, cluster.Server), nil
}

// reportUnreachable makes a failed dial from rc name the management
// cluster it was for (where), so that "connection refused" comes with
// the kubeconfig and context that led there. It wraps the transport, not
// the dialer: client-go shares a transport between configs only when
// they set no Dial, and one made per run would keep its idle
// connections' goroutines after the run (make soak counts them).
func reportUnreachable(rc *rest.Config, where string) {
	rc.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return unreachableReporter{where: where, next: rt}
	})
}

// unreachableReporter is the RoundTripper of reportUnreachable.
type unreachableReporter struct {
	where string
	next  http.RoundTripper
}

func (r unreachableReporter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	var op *net.OpError
	if err != nil && req.Context().Err() == nil && errors.As(err, &op) && op.Op == "dial" {
		return nil, &unreachableError{where: r.where, err: err}
	}
	return resp, err
}

// asUnreachable is the unreachableError in err, if any: said alone, it
// is all a user needs, where the operation that tried to dial is not.
func asUnreachable(err error) (error, bool) {
	var u *unreachableError
	if errors.As(err, &u) {
		return u, true
	}
	return err, false
}
