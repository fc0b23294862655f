package orchestrate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/awsauth"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/graph"
)

// AWSAuthTimeout bounds reading a cluster's kube-system/aws-auth: render
// import, and render apply and diff before the step to API, go on without
// it (saying why) when the cluster does not answer within it.
const AWSAuthTimeout = 20 * time.Second

// ErrAccessLoss: render apply refused the authentication mode step to
// API, because principals of the cluster's aws-auth would lose access
// (AccessLossError).
var ErrAccessLoss = errors.New("principals of aws-auth would lose access")

// AccessLossError is the refusal of the step to API: the Cluster, where
// aws-auth was read, and the principals that would lose access.
type AccessLossError struct {
	Cluster string
	From    awsauth.Source
	Losing  []awsauth.Entry
}

func (e *AccessLossError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the step of %s from API_AND_CONFIG_MAP to API drops the aws-auth ConfigMap path (EKS reads only access entries at API), and %d %s of kube-system/aws-auth (%s) %s no access entry:\n",
		e.Cluster, len(e.Losing), plural(len(e.Losing), "principal", "principals"), e.From.Where, plural(len(e.Losing), "has", "have"))
	for _, l := range e.Losing {
		fmt.Fprintf(&b, "  %s as %q %v\n", l.ARN, l.Username, l.Groups)
	}
	b.WriteString("list them in cluster.admins of platform.yaml (render gen, then render apply again), or pass --allow-access-loss to take the step without them")
	return b.String()
}

// Unwrap makes the error ErrAccessLoss.
func (e *AccessLossError) Unwrap() error { return ErrAccessLoss }

func plural(n int, one, more string) string {
	if n == 1 {
		return one
	}
	return more
}

// readAWSAuth reads kube-system/aws-auth of the cluster the kubeconfig
// rc reaches: its data, nil when it has none.
func readAWSAuth(ctx context.Context, rc *rest.Config) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, AWSAuthTimeout)
	defer cancel()
	m, err := apply.NewManager(rc, apply.ManagerOptions{RequestTimeout: AWSAuthTimeout})
	if err != nil {
		return nil, err
	}
	// client-go runs an exec credential plugin (aws eks get-token) with no
	// deadline of its own: a plugin that hangs is left behind, not waited
	// for beyond the bound or an interrupt.
	type read struct {
		data map[string]string
		err  error
	}
	done := make(chan read, 1)
	go func() {
		data, err := m.ConfigMapData(ctx, awsauth.Namespace, awsauth.Name)
		done <- read{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("no answer within %s (the credential plugin included): %w", AWSAuthTimeout, context.Cause(ctx))
	}
}

// envAWSAuth reads the aws-auth of env's cluster through a kubeconfig like
// render kubeconfig's (its endpoint and CA from late) and returns its
// entries, marked against objs, and where they were read; FromNeither,
// with why, when the cluster could not be read.
func envAWSAuth(ctx context.Context, env config.Environment, late config.LateValues, objs []*unstructured.Unstructured) ([]awsauth.Entry, awsauth.Source) {
	if late.ClusterEndpoint == "" || late.ClusterCA == "" {
		return nil, awsauth.Source{Read: awsauth.FromNeither, Why: "the endpoint and CA of cluster " + env.ClusterName + " are not known"}
	}
	where := "cluster " + env.ClusterName + " at " + late.ClusterEndpoint
	data, err := func() (map[string]string, error) {
		kc, err := Kubeconfig(env, late)
		if err != nil {
			return nil, err
		}
		rc, err := clientcmd.RESTConfigFromKubeConfig(kc)
		if err != nil {
			return nil, err
		}
		return readAWSAuth(ctx, rc)
	}()
	if err != nil {
		return nil, awsauth.Source{Read: awsauth.FromNeither, Where: where, Why: "not read: " + err.Error()}
	}
	from := awsauth.Source{Read: awsauth.FromCluster, Where: where}
	if data == nil {
		from.Why = "it has no kube-system/aws-auth ConfigMap"
		return nil, from
	}
	entries, err := awsauth.Parse("live "+awsauth.Namespace+"/"+awsauth.Name, data)
	if err != nil {
		return nil, awsauth.Source{Read: awsauth.FromNeither, Where: where, Why: err.Error()}
	}
	awsauth.Mark(entries, objs)
	return entries, from
}

// stepsToAPI reports whether objs take env's cluster from
// API_AND_CONFIG_MAP, which it runs as far as late and its imports say,
// to API: the step that drops aws-auth.
func stepsToAPI(env config.Environment, late config.LateValues, objs []*unstructured.Unstructured) bool {
	return authMode(objs) == "API" && runningMode(env, late) == "API_AND_CONFIG_MAP"
}

// checkAccess refuses, once per run, the step of env's cluster to API
// (stepsToAPI) while a principal of its live aws-auth would lose access
// (AccessLossError), unless o.AllowAccessLoss, which takes it with a
// warning per principal. A cluster it cannot read is stepped with a
// warning: the check is render's, EKS makes none.
func (o *ApplyOptions) checkAccess(ctx context.Context, env config.Environment, late config.LateValues, objs []*unstructured.Unstructured) error {
	if o.accessChecked || !stepsToAPI(env, late, objs) {
		return nil
	}
	o.accessChecked = true
	entries, from := envAWSAuth(ctx, env, late, objs)
	losing := awsauth.Losing(entries)
	switch {
	case from.Read == awsauth.FromNeither:
		fmt.Fprintf(o.Progress, "warning: aws-auth of %s not checked (%s): the authentication mode step to API drops its entries, whoever they are\n",
			cmp.Or(from.Where, "cluster "+env.ClusterName), from.Why)
	case len(losing) == 0:
		fmt.Fprintf(o.Progress, "authentication mode: aws-auth %s: nobody loses access at API\n", from)
	case o.AllowAccessLoss:
		for _, l := range losing {
			fmt.Fprintf(o.Progress, "warning: --allow-access-loss: %s\n", l)
		}
	default:
		return &AccessLossError{Cluster: clusterName(objs), From: from, Losing: losing}
	}
	return nil
}

// clusterName is the EKS Cluster among objs as messages name it.
func clusterName(objs []*unstructured.Unstructured) string {
	for _, u := range objs {
		if u.GetKind() == "Cluster" && u.GroupVersionKind().Group == "eks.services.k8s.aws" {
			return graph.NameOf(u)
		}
	}
	return ""
}
