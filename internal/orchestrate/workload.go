package orchestrate

import (
	"context"
	"encoding/base64"
	"fmt"
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
)

// ApplySetName is the name of the ApplySet parent Secret render keeps in
// the environment's namespace (and in kube-system of the new cluster).
const ApplySetName = "render-applyset"

// EnvApplySet is the inventory of an environment's management objects, in
// its namespace.
func EnvApplySet(env config.Environment) apply.ApplySet {
	return apply.ApplySet{Parent: types.NamespacedName{Namespace: env.ClusterName, Name: ApplySetName}}
}

// WorkloadApplySet is the inventory of the workload on the new cluster.
func WorkloadApplySet() apply.ApplySet {
	return apply.ApplySet{Parent: types.NamespacedName{Namespace: "kube-system", Name: ApplySetName}}
}

// Kubeconfig builds the kubeconfig of an environment's cluster.
func Kubeconfig(env config.Environment, v config.LateValues) ([]byte, error) {
	return kubeconfigFor(env.ClusterName, env.Region, v.ClusterEndpoint, v.ClusterCA)
}

// kubeconfigFor builds the kubeconfig of the EKS cluster name in region,
// at endpoint with ca (base64 PEM), logging in with aws eks get-token.
func kubeconfigFor(name, region, endpoint, ca string) ([]byte, error) {
	pem, err := base64.StdEncoding.DecodeString(ca)
	if err != nil {
		return nil, fmt.Errorf("cluster CA of %s: %w", name, err)
	}
	kc := clientcmdapi.NewConfig()
	kc.Clusters[name] = &clientcmdapi.Cluster{Server: endpoint, CertificateAuthorityData: pem}
	kc.AuthInfos[name] = &clientcmdapi.AuthInfo{Exec: &clientcmdapi.ExecConfig{
		APIVersion:      "client.authentication.k8s.io/v1beta1",
		Command:         "aws",
		Args:            []string{"--region", region, "eks", "get-token", "--cluster-name", name, "--output", "json"},
		InteractiveMode: clientcmdapi.NeverExecInteractiveMode,
	}}
	kc.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name}
	kc.CurrentContext = name
	return clientcmd.Write(*kc)
}

// EnvKubeconfig is the kubeconfig of env's new cluster (render
// kubeconfig): its endpoint and CA from the committed outputs file or,
// when the file lacks them, from the live Cluster on the management
// cluster connect reaches (called only then).
func EnvKubeconfig(ctx context.Context, env config.Environment, committed Committed, connect func() (*apply.Manager, error)) ([]byte, error) {
	values := committed.Values
	if values.ClusterEndpoint == "" || values.ClusterCA == "" {
		m, err := connect()
		if err != nil {
			return nil, err
		}
		live, err := LiveLate(ctx, m, env, values)
		if err != nil {
			return nil, err
		}
		values = Known(values, live)
	}
	if values.ClusterEndpoint == "" || values.ClusterCA == "" {
		return nil, fmt.Errorf("the endpoint and CA of cluster %s are not known yet: neither %s nor the Cluster's status has them (is it synced?)", env.ClusterName, committed.File)
	}
	return Kubeconfig(env, values)
}

// WorkloadManager connects to the environment's new cluster through kc, a
// kubeconfig from Kubeconfig.
func WorkloadManager(env config.Environment, kc []byte, opts apply.ManagerOptions) (*apply.Manager, error) {
	rc, err := clientcmd.RESTConfigFromKubeConfig(kc)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig of cluster %s: %w", env.ClusterName, err)
	}
	return apply.NewManager(rc, opts)
}

// applyWorkload applies the environment's workload (the load balancer
// controller and the 2048 game) to the new cluster, through a kubeconfig
// like render kubeconfig's, each object once what it needs on the
// management cluster is ready (hold), waits for it, and reports the
// Ingress hosts.
func (o *ApplyOptions) applyWorkload(ctx context.Context, env config.Environment, late config.LateValues, res *apply.Result, hold workloadHold) (err error) {
	if late.ClusterEndpoint == "" || late.ClusterCA == "" {
		fmt.Fprintf(o.Progress, "workload not applied: the endpoint and CA of cluster %s are not known\n", env.ClusterName)
		return nil
	}
	kc, err := Kubeconfig(env, late)
	if err != nil {
		return err
	}
	if err := WriteKubeconfig(o.KubeconfigOut, env.ClusterName, kc, false, o.Progress); err != nil {
		return err
	}
	wm, err := WorkloadManager(env, kc, apply.ManagerOptions{Progress: o.Progress, Live: hold.live, RequestTimeout: o.RequestTimeout})
	if err != nil {
		return err
	}
	objs, err := gen.EnvObjects(env, late, true)
	if err != nil {
		return err
	}
	wset := WorkloadApplySet()
	lock, ctx, _, report, err := Lock(ctx, wm, wset, objs, LockOptions(o.commit(ctx), o.LockTimeout, o.Live, o.Timeout), o.Progress)
	if err != nil {
		wres := apply.NewResult()
		wres.SetLock(report)
		res.SetWorkload(wres, nil, nil)
		return fmt.Errorf("workload on cluster %s: %w", env.ClusterName, err)
	}
	defer func() {
		err = LockLost(ctx, err)
		if rerr := lock.Release(context.WithoutCancel(ctx)); rerr != nil && err == nil {
			err = rerr
		}
	}()
	if objs, err = wm.InjectWebhookCAs(ctx, objs); err != nil {
		return err
	}
	fmt.Fprintf(o.Progress, "workload: %d objects to cluster %s at %s\n", len(objs), env.ClusterName, late.ClusterEndpoint)
	r, err := gen.Render(env, late)
	if err != nil {
		return err
	}
	// The game's address is printed the moment its Ingresses are ready,
	// not once the rest of the workload (metrics-server, on a profile
	// created later) is.
	hosts := &ingressHosts{done: make(chan struct{})}
	hctx, stopHosts := context.WithCancel(ctx)
	defer stopHosts()
	ingresses := 0
	for _, u := range objs {
		if u.GetKind() == "Ingress" {
			ingresses++
		}
	}
	wres, err := wm.Apply(ctx, objs, apply.ApplyOptions{Wait: true, Timeout: o.Timeout, Interval: o.Interval, ForceConflicts: o.ForceConflicts,
		ApplySet: &wset, Prune: o.Prune && len(r.Pending) == 0, Hold: hold.gates(objs), Timings: hold.timings,
		OnReady: func(u *unstructured.Unstructured) {
			if u.GetKind() == "Ingress" {
				if ingresses--; ingresses == 0 {
					hosts.start(hctx, o, wm, objs, hold.timings)
				}
			}
		}})
	wres.SetLock(report)
	if err != nil {
		stopHosts()
		hosts.wait()
		res.SetWorkload(wres, nil, nil)
		return fmt.Errorf("workload on cluster %s: %w", env.ClusterName, err)
	}
	if err := o.restartOnFargate(ctx, wm, env, objs, res, wres); err != nil {
		stopHosts()
		hosts.wait()
		res.SetWorkload(wres, nil, nil)
		return err
	}
	hosts.start(hctx, o, wm, objs, hold.timings)
	hosts.wait()
	res.SetWorkload(wres, hosts.hosts, hosts.urls)
	return hosts.err
}

// ingressHosts waits, once started, for the hostnames of the workload's
// Ingresses and prints them.
type ingressHosts struct {
	started bool
	done    chan struct{}
	hosts   map[string]string
	urls    map[string]string
	err     error
}

// start starts waiting, unless it did already; each address is printed
// with how long into the run it came.
func (h *ingressHosts) start(ctx context.Context, o *ApplyOptions, wm *apply.Manager, objs []*unstructured.Unstructured, run *apply.Timings) {
	if h.started {
		return
	}
	h.started = true
	go func() {
		defer close(h.done)
		h.hosts, h.err = wm.IngressHosts(ctx, objs, o.Interval, o.IngressTimeout)
		h.urls = apply.IngressURLs(objs, h.hosts)
		into := time.Since(run.Began()).Round(time.Second)
		for _, name := range sortedNames(h.urls) {
			fmt.Fprintf(o.Progress, "%s: %s (%s into the run)\n", name, h.urls[name], into)
		}
	}()
}

// wait waits for what start started, if anything.
func (h *ingressHosts) wait() {
	if h.started {
		<-h.done
	}
}

func sortedNames(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
