package apply_test

import (
	"os"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/apitest"
	"github.com/eks-render/render/internal/gen/gentest"
)

var env *apitest.Env

func TestMain(m *testing.M) {
	os.Exit(apitest.MainWithACK(m, func(e *apitest.Env) { env = e }))
}

// devObjects renders the example's dev environment into namespace ns.
func devObjects(t testing.TB, ns string) []*unstructured.Unstructured {
	t.Helper()
	objs := gentest.ExampleObjects(t, "dev", false)
	for _, u := range objs {
		if u.GetKind() == "Namespace" {
			u.SetName(ns)
		} else {
			u.SetNamespace(ns)
		}
	}
	return objs
}
