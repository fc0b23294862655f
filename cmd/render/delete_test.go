package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/graph"
	"github.com/eks-render/render/internal/orchestrate"
)

// runIn is run with stdin.
func runIn(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut, Now: pinnedNow})
	return code, out.String(), errOut.String()
}

func vpcOf(ns string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(schema.GroupVersionKind{Group: "ec2.services.k8s.aws", Version: "v1alpha1", Kind: "VPC"})
	u.SetNamespace(ns)
	u.SetName("vpc")
	return u
}

// TestDeleteProd: prod's cluster has deletion protection, which render
// delete refuses before deleting anything; without it, prod still needs
// --yes or its name typed on a terminal, and never reads a confirmation
// from a pipe.
func TestDeleteProd(t *testing.T) {
	apitest.Skip(t)
	dir := project(t)
	edit(t, filepath.Join(dir, "platform.yaml"), "name: demo", "name: confirm")
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, dir, "apply", "prod", "--kubeconfig", kubeconfig, "--wait=false"); code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	exists := func() bool {
		t.Helper()
		err := env.Client.Get(t.Context(), client.ObjectKeyFromObject(vpcOf("confirm-prod")), vpcOf("confirm-prod"))
		if err != nil && !apierrors.IsNotFound(err) {
			t.Fatal(err)
		}
		return err == nil
	}
	code, _, errOut := run(t, dir, "delete", "prod", "--kubeconfig", kubeconfig, "--yes")
	if code != 1 || !strings.Contains(errOut, "error: Cluster/confirm-prod/confirm has deletion protection (spec.deletionProtection: true)") || !exists() {
		t.Fatalf("delete of a protected cluster = %d:\n%s", code, errOut)
	}

	edit(t, filepath.Join(dir, "platform.yaml"), "      logRetentionDays: 365\n", "      logRetentionDays: 365\n      deletionProtection: false\n")
	if code, _, errOut := run(t, dir, "apply", "prod", "--kubeconfig", kubeconfig, "--wait=false"); code != 0 {
		t.Fatalf("render apply = %d:\n%s", code, errOut)
	}
	code, _, errOut = runIn(t, dir, "prod\n", "delete", "prod", "--kubeconfig", kubeconfig)
	if code != 1 || !strings.Contains(errOut, "error: refusing to delete environment prod (") || !strings.Contains(errOut, "rerun with --yes") || !exists() {
		t.Fatalf("delete prod from a pipe = %d:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "VPC/confirm-prod/vpc (AWS resource retained)") {
		t.Errorf("the plan does not say prod's AWS resources are retained:\n%s", errOut)
	}

	defer func(f func(io.Reader) bool) { stdinIsTerminal = f }(stdinIsTerminal)
	stdinIsTerminal = func(io.Reader) bool { return true }
	code, _, errOut = runIn(t, dir, "dev\n", "delete", "prod", "--kubeconfig", kubeconfig)
	if code != 1 || !strings.Contains(errOut, `error: not confirmed: typed "dev", not "prod"; nothing deleted`) || !exists() {
		t.Fatalf("delete prod confirmed as dev = %d:\n%s", code, errOut)
	}
	code, _, errOut = runIn(t, dir, "prod\n", "delete", "prod", "--kubeconfig", kubeconfig, "--wait=false")
	if code != 0 || !strings.Contains(errOut, "Type the environment's name (prod) to delete it: ") || exists() {
		t.Fatalf("delete prod confirmed = %d:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "AWS resources retained") {
		t.Errorf("no retained count:\n%s", errOut)
	}
}

// firstSeen records when each key (an object's name and what was seen of
// it, from the apiserver's watch events) was first seen, in the order
// seen: for watchDeletions, an object being deleted (a deletionTimestamp)
// or gone.
type firstSeen struct {
	mu    sync.Mutex
	order []string
	at    map[string]time.Time
}

func (d *firstSeen) add(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.at == nil {
		d.at = map[string]time.Time{}
	}
	if _, ok := d.at[name]; !ok {
		d.at[name] = time.Now()
		d.order = append(d.order, name)
	}
}

func (d *firstSeen) list() ([]string, map[string]time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.order...), maps.Clone(d.at)
}

// get returns when key was first seen.
func (d *firstSeen) get(key string) (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	at, ok := d.at[key]
	return at, ok
}

// watchDeletions watches every kind among objs on the cluster cfg points
// at, across namespaces, until the test ends, and records the deletions of
// objs.
func watchDeletions(t *testing.T, cfg *rest.Config, objs []*unstructured.Unstructured, d *firstSeen) {
	t.Helper()
	names := map[string]bool{}
	for _, u := range objs {
		names[graph.NameOf(u)] = true
	}
	apitest.WatchKinds(t, cfg, objs, func(typ watch.EventType, u *unstructured.Unstructured) {
		if names[graph.NameOf(u)] && (typ == watch.Deleted || u.GetDeletionTimestamp() != nil) {
			d.add(graph.NameOf(u))
		}
	})
}

// finalizeNamespaces plays the namespace controller, which the test
// apiservers lack: a Namespace being deleted is finalized, so it goes.
func finalizeNamespaces(t testing.TB, cfg *rest.Config) {
	t.Helper()
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			list, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
			if err == nil {
				for i := range list.Items {
					ns := &list.Items[i]
					if ns.DeletionTimestamp != nil && len(ns.Spec.Finalizers) > 0 {
						ns.Spec.Finalizers = nil
						_, _ = cs.CoreV1().Namespaces().Finalize(ctx, ns, metav1.UpdateOptions{})
					}
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// liveMembers lists what render's ApplySet in namespace ns holds, with the
// parent.
func liveMembers(t *testing.T, c client.Client, ns string) []*unstructured.Unstructured {
	t.Helper()
	var parent corev1.Secret
	if err := c.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: orchestrate.ApplySetName}, &parent); err != nil {
		t.Fatal(err)
	}
	var out []*unstructured.Unstructured
	for _, gk := range strings.Split(parent.Annotations["applyset.kubernetes.io/contains-group-kinds"], ",") {
		kind, group, _ := strings.Cut(gk, ".")
		mapping, err := c.RESTMapper().RESTMapping(schema.GroupKind{Group: group, Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		list := &unstructured.UnstructuredList{}
		list.SetGroupVersionKind(mapping.GroupVersionKind.GroupVersion().WithKind(kind + "List"))
		if err := c.List(t.Context(), list, client.MatchingLabels{"applyset.kubernetes.io/part-of": parent.Labels["applyset.kubernetes.io/id"]}); err != nil {
			t.Fatal(err)
		}
		for i := range list.Items {
			out = append(out, &list.Items[i])
		}
	}
	return out
}

// checkDeleteOrder holds the order render delete dev deleted in, as the
// apiservers' watch events saw it: the workload first (the Ingress before
// the load balancer controller's webhooks, those before its Deployment),
// then the management objects, each before everything it references, the
// Namespace last.
func checkDeleteOrder(t *testing.T, workload, management []*unstructured.Unstructured, wd, md *firstSeen) {
	t.Helper()
	wOrder, wAt := wd.list()
	mOrder, mAt := md.list()
	for _, w := range wOrder {
		for _, m := range mOrder {
			if !wAt[w].Before(mAt[m]) {
				t.Errorf("management %s was deleted before workload %s was", m, w)
			}
		}
	}
	pos := map[string]int{}
	for i, n := range wOrder {
		pos[n] = i
	}
	for _, u := range workload {
		if _, ok := pos[graph.NameOf(u)]; !ok {
			t.Errorf("workload %s was not deleted", graph.NameOf(u))
		}
	}
	before := func(a, b string) {
		t.Helper()
		pa, oka := pos[a]
		pb, okb := pos[b]
		if !oka || !okb || pa >= pb {
			t.Errorf("%s was not deleted before %s; order seen:\n  %s", a, b, strings.Join(append(wOrder, mOrder...), "\n  "))
		}
	}
	before("Ingress/2048-game/app-2048", "ValidatingWebhookConfiguration/aws-load-balancer-webhook")
	before("ValidatingWebhookConfiguration/aws-load-balancer-webhook", "Deployment/kube-system/aws-load-balancer-controller")
	before("Deployment/2048-game/app-2048", "Namespace/2048-game")

	mpos := map[string]int{}
	for i, n := range mOrder {
		mpos[n] = i + len(wOrder)
	}
	for k, v := range mpos {
		pos[k] = v
	}
	g := graph.New(management)
	for _, u := range management {
		for _, d := range g.DependsOn(u) {
			before(graph.NameOf(u), graph.NameOf(d))
		}
	}
	if len(mOrder) == 0 || !strings.HasPrefix(mOrder[len(mOrder)-1], "Namespace/") {
		t.Errorf("the management Namespace is not deleted last: %v", mOrder)
	}
}
