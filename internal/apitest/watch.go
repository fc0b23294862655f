package apitest

import (
	"context"
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
)

// WatchKinds watches every kind among objs on the cluster cfg points at,
// across namespaces, until t ends, and calls fn with each object event,
// from one goroutine per kind. A watch error fails t.
func WatchKinds(t testing.TB, cfg *rest.Config, objs []*unstructured.Unstructured, fn func(watch.EventType, *unstructured.Unstructured)) {
	t.Helper()
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mapper, err := apiutil.NewDynamicRESTMapper(cfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	kinds := map[schema.GroupKind]bool{}
	for _, u := range objs {
		gk := u.GroupVersionKind().GroupKind()
		if kinds[gk] {
			continue
		}
		kinds[gk] = true
		mapping, err := mapper.RESTMapping(gk)
		if err != nil {
			t.Fatal(err)
		}
		// "0": from the watch cache as it is (with existing objects as
		// ADDED), which needs no consistent read from etcd.
		w, err := dyn.Resource(mapping.Resource).Watch(ctx, metav1.ListOptions{ResourceVersion: "0"})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer w.Stop()
			for e := range w.ResultChan() {
				if st, ok := e.Object.(*metav1.Status); ok && ctx.Err() == nil {
					t.Errorf("watch %s: %s", mapping.Resource, st.Message)
				}
				if u, ok := e.Object.(*unstructured.Unstructured); ok {
					fn(e.Type, u)
				}
			}
		}()
	}
}
