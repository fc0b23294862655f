package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/graph"
)

const albHost = "k8s-2048game-app2048-0123456789-1234567890.us-west-2.elb.amazonaws.com"

// fakeAWS puts on PATH an `aws` that answers `aws eks get-token` the way an
// exec credential plugin does, with the client certificate of the
// apiserver playing the new cluster.
func fakeAWS(t *testing.T, e *apitest.Env) {
	t.Helper()
	cred, err := json.Marshal(map[string]any{
		"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential",
		"status": map[string]any{"clientCertificateData": string(e.Config.CertData), "clientKeyData": string(e.Config.KeyData)},
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := fmt.Sprintf("#!/bin/sh\ncase \"$*\" in *\"eks get-token\"*) cat <<'EOF'\n%s\nEOF\n;; *) exit 2;; esac\n", cred)
	if err := os.WriteFile(filepath.Join(dir, "aws"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// newCluster starts an apiserver that plays an environment's new cluster,
// with its controllers (playControllers) and an aws on PATH that logs into
// it (fakeAWS); it stops with t.
func newCluster(t *testing.T) *apitest.Env {
	t.Helper()
	workload, err := apitest.Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = workload.Stop() })
	fakeAWS(t, workload)
	playControllers(t, workload.Client)
	return workload
}

// reaching returns opts with the endpoint and CA of the new cluster, which
// acksim then reports in the Cluster's status.
func reaching(workload *apitest.Env, opts acksim.Options) acksim.Options {
	opts.ClusterEndpoint = workload.Config.Host
	opts.ClusterCA = base64.StdEncoding.EncodeToString(workload.Config.CAData)
	return opts
}

// playControllers does, on the new cluster, what its controllers would:
// Deployments become available (the load balancer controller's once its
// webhooks are checked, see checkWebhooks), and Ingresses get the ALB's
// hostname.
func playControllers(t *testing.T, c client.Client) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		webhooks := false
		for ctx.Err() == nil {
			if !webhooks {
				webhooks = checkWebhooks(ctx, t, c)
			}
			markAvailable(ctx, c, webhooks)
			time.Sleep(100 * time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// checkWebhooks verifies, once render has made them, the webhook TLS
// Secret and the caBundle render injected: the serving certificate is for
// the webhook Service and verifies against the CA every webhook carries.
// Then it points the webhooks at no namespace: this apiserver has no
// service network and Endpoints may not hold a loopback address, so it
// could never call them, and nothing here may leave the machine.
func checkWebhooks(ctx context.Context, t *testing.T, c client.Client) bool {
	var secret corev1.Secret
	if c.Get(ctx, client.ObjectKey{Namespace: "kube-system", Name: "aws-load-balancer-tls"}, &secret) != nil {
		return false
	}
	var mutating admissionregistrationv1.MutatingWebhookConfiguration
	var validating admissionregistrationv1.ValidatingWebhookConfiguration
	if c.Get(ctx, client.ObjectKey{Name: "aws-load-balancer-webhook"}, &mutating) != nil ||
		c.Get(ctx, client.ObjectKey{Name: "aws-load-balancer-webhook"}, &validating) != nil {
		return false
	}
	var bundles [][]byte
	for _, w := range mutating.Webhooks {
		bundles = append(bundles, w.ClientConfig.CABundle)
	}
	for _, w := range validating.Webhooks {
		bundles = append(bundles, w.ClientConfig.CABundle)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(secret.Data["ca.crt"]) {
		t.Error("Secret kube-system/aws-load-balancer-tls has no CA")
	}
	for i, b := range bundles {
		if !bytes.Equal(b, secret.Data["ca.crt"]) {
			t.Errorf("webhook %d: caBundle is not the Secret's CA", i)
		}
	}
	block, _ := pem.Decode(secret.Data["tls.crt"])
	if block == nil {
		t.Error("Secret kube-system/aws-load-balancer-tls has no tls.crt")
		return true
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err == nil {
		_, err = cert.Verify(x509.VerifyOptions{DNSName: "aws-load-balancer-webhook-service.kube-system.svc", Roots: roots})
	}
	if err != nil {
		t.Errorf("serving certificate: %v", err)
	}
	never := &metav1.LabelSelector{MatchLabels: map[string]string{"render-test/webhooks-unreachable": "true"}}
	for i := range mutating.Webhooks {
		mutating.Webhooks[i].NamespaceSelector = never
	}
	for i := range validating.Webhooks {
		validating.Webhooks[i].NamespaceSelector = never
	}
	for _, o := range []client.Object{&mutating, &validating} {
		if err := c.Update(ctx, o, client.FieldOwner("render-test")); err != nil {
			t.Error(err)
		}
	}
	return true
}

func markAvailable(ctx context.Context, c client.Client, webhooks bool) {
	var deps appsv1.DeploymentList
	if c.List(ctx, &deps) == nil {
		for i := range deps.Items {
			d := &deps.Items[i]
			if d.Name == "aws-load-balancer-controller" && !webhooks {
				continue
			}
			n := *d.Spec.Replicas
			d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: n, UpdatedReplicas: n, ReadyReplicas: n, AvailableReplicas: n,
				Conditions: []appsv1.DeploymentCondition{
					{Type: appsv1.DeploymentAvailable, Status: "True", Reason: "MinimumReplicasAvailable"},
					{Type: appsv1.DeploymentProgressing, Status: "True", Reason: "NewReplicaSetAvailable"},
				}}
			_ = c.Status().Update(ctx, d)
		}
	}
	var ings networkingv1.IngressList
	if c.List(ctx, &ings) == nil {
		for i := range ings.Items {
			ing := &ings.Items[i]
			ing.Status.LoadBalancer.Ingress = []networkingv1.IngressLoadBalancerIngress{{Hostname: albHost}}
			_ = c.Status().Update(ctx, ing)
		}
	}
}

// TestApplyReachesTheNewCluster is issue 7's whole run: one render apply
// dev creates the platform (acksim plays the ACK controllers and reports
// a second apiserver as the cluster's endpoint), the second phase, a
// kubeconfig through `aws eks get-token`, and the workload on the new
// cluster, then prints the Ingress hostname.
func TestApplyReachesTheNewCluster(t *testing.T) {
	apitest.Skip(t)
	workload := newCluster(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: whole")
	edit(t, filepath.Join(dir, "platform.yaml"), "      replicas: 1\n", "      autoscaling: {enabled: true, minReplicas: 1, maxReplicas: 4}\n")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	acksim.New(env.Client, "whole-dev", reaching(workload, acksim.Options{Interval: 50 * time.Millisecond})).Start(t)
	checkLogging := watchFargateLogging(t, workload, "whole-dev")
	code, out, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--output", "json")
	if code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	checkLogging()
	for _, want := range []string{"second phase:", "workload: ", "Secret/kube-system/aws-load-balancer-tls created",
		"Deployment/kube-system/aws-load-balancer-controller Current", "Deployment/2048-game/app-2048 Current",
		"Deployment/kube-system/metrics-server Current", "HorizontalPodAutoscaler/2048-game/app-2048 Current",
		"Ingress/2048-game/app-2048: http://" + albHost} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	type step struct {
		Object string `json:"object"`
	}
	var res struct {
		Workload struct {
			Ready        bool   `json:"ready"`
			CriticalPath []step `json:"criticalPath"`
		} `json:"workload"`
		Hosts        map[string]string `json:"ingressHosts"`
		URLs         map[string]string `json:"ingressURLs"`
		CriticalPath []step            `json:"criticalPath"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.Workload.Ready || res.Hosts["Ingress/2048-game/app-2048"] != albHost ||
		res.URLs["Ingress/2048-game/app-2048"] != "http://"+albHost {
		t.Errorf("JSON result %v: %s", err, out)
	}
	// Each cluster's critical path starts from what depends on nothing.
	if len(res.CriticalPath) == 0 || res.CriticalPath[0].Object != "Namespace/whole-dev" || len(res.Workload.CriticalPath) == 0 {
		t.Errorf("critical paths %v and %v", res.CriticalPath, res.Workload.CriticalPath)
	}
	if info, err := os.Stat(filepath.Join(dir, "whole-dev.kubeconfig")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("render apply did not write the new cluster's kubeconfig (mode 0600): %v", err)
	}
	var dep appsv1.Deployment
	if err := workload.Client.Get(t.Context(), client.ObjectKey{Namespace: "2048-game", Name: "app-2048"}, &dep); err != nil {
		t.Errorf("the game is not on the new cluster: %v", err)
	}
	applyAfterTheAutoscaler(t, workload.Client, func() (int, string) {
		// --force-conflicts takes back only the webhooks' namespaceSelector,
		// which checkWebhooks changed; render never sends spec.replicas,
		// so even forced it cannot take that over.
		code, _, errOut := run(t, dir, "apply", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--force-conflicts")
		return code, errOut
	})

	// Then render delete dev takes it all down, in order, as the watch
	// events of both apiservers show.
	wobjs := liveMembers(t, workload.Client, "kube-system")
	mobjs := liveMembers(t, env.Client, "whole-dev")
	var wd, md firstSeen
	watchDeletions(t, workload.Config, wobjs, &wd)
	watchDeletions(t, env.Config, mobjs, &md)
	finalizeNamespaces(t, workload.Config)
	finalizeNamespaces(t, env.Config)
	code, out, errOut = run(t, dir, "delete", "dev", "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "1m", "--output", "json")
	if code != 0 || !strings.Contains(errOut, "environment dev deleted: ") {
		t.Fatalf("render delete dev = %d:\n%s", code, errOut)
	}
	checkDeleteOrder(t, wobjs, mobjs, &wd, &md)
	if !strings.Contains(out, `"object":"Secret/kube-system/aws-load-balancer-tls","action":"deleted"`) {
		t.Errorf("the webhook certificate render made was not deleted: %s", out)
	}
	// Both clusters were locked while render deleted from them.
	for _, lease := range []string{"Lease/whole-dev/render-lock", "Lease/kube-system/render-lock"} {
		if !strings.Contains(out, `{"lease":"`+lease+`","holder":"`) || !strings.Contains(errOut, "locked "+lease+" as ") {
			t.Errorf("render delete did not report locking %s:\n%s\n%s", lease, out, errOut)
		}
	}
	for _, u := range append(wobjs, mobjs...) {
		c := env.Client
		if strings.HasPrefix(graph.NameOf(u), "Namespace/2048") || u.GetNamespace() != "whole-dev" && u.GetName() != "whole-dev" {
			c = workload.Client
		}
		if err := c.Get(t.Context(), client.ObjectKeyFromObject(u), u.DeepCopy()); !apierrors.IsNotFound(err) {
			t.Errorf("%s still there after render delete: %v", graph.NameOf(u), err)
		}
	}
}

// hpaManager is the field manager of the HorizontalPodAutoscaler
// controller's writes: it updates the scale subresource with no
// fieldManager (kubernetes pkg/controller/podautoscaler/horizontal.go,
// Scales(...).Update with metav1.UpdateOptions{}), so the apiserver takes
// the user agent up to its first '/' (apiserver
// pkg/endpoints/handlers/create.go prefixFromUserAgent), and
// kube-controller-manager's client for it only appends
// "/horizontal-pod-autoscaler" to that (controller-manager
// pkg/clientbuilder/client_builder.go, restclient.AddUserAgent).
const hpaManager = "kube-controller-manager"

// applyAfterTheAutoscaler scales the game as the autoscaler would, then
// applies again: render must neither reset the count nor meet a conflict,
// and the autoscaler must stay the owner of spec.replicas.
func applyAfterTheAutoscaler(t *testing.T, c client.Client, apply func() (int, string)) {
	t.Helper()
	ctx := t.Context()
	dep := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: "2048-game", Name: "app-2048"}}
	scale := &autoscalingv1.Scale{ObjectMeta: metav1.ObjectMeta{Namespace: dep.Namespace, Name: dep.Name}, Spec: autoscalingv1.ScaleSpec{Replicas: 3}}
	if err := c.SubResource("scale").Update(ctx, dep, client.WithSubResourceBody(scale), client.FieldOwner(hpaManager)); err != nil {
		t.Fatalf("scaling as the autoscaler: %v", err)
	}
	if err := c.Get(ctx, client.ObjectKeyFromObject(dep), dep); err != nil {
		t.Fatal(err)
	}
	generation := dep.Generation
	code, errOut := apply()
	if code != 0 {
		t.Fatalf("render apply after the autoscaler scaled the game = %d:\n%s", code, errOut)
	}
	if err := c.Get(ctx, client.ObjectKeyFromObject(dep), dep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(errOut, "Deployment/2048-game/app-2048 configured") || dep.Generation != generation {
		t.Errorf("render apply changed the game's Deployment (generation %d, was %d) after the autoscaler scaled it:\n%s", dep.Generation, generation, errOut)
	}
	if got := dep.Spec.Replicas; got == nil || *got != 3 {
		t.Errorf("spec.replicas = %s after render apply, want the autoscaler's 3", fmt.Sprint(deref(got)))
	}
	for _, f := range dep.ManagedFields {
		var fields struct {
			Spec map[string]any `json:"f:spec"`
		}
		if f.FieldsV1 != nil {
			if err := json.Unmarshal(f.FieldsV1.GetRawBytes(), &fields); err != nil {
				t.Fatal(err)
			}
		}
		_, owns := fields.Spec["f:replicas"]
		if owns != (f.Manager == hpaManager) {
			t.Errorf("%s (%s) owns spec.replicas: %v; want only %s", f.Manager, f.Operation, owns, hpaManager)
		}
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return "unset"
	}
	return *p
}
