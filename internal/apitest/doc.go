// Package apitest runs a real kube-apiserver and etcd for tests that need
// API-server behaviour a fake client lacks: server-side apply and field
// ownership, dry-run, strict field validation, CRD schemas and CEL rules.
//
// It starts them through controller-runtime's envtest from the binaries in
// KUBEBUILDER_ASSETS, which `make test-apply` builds (hack/tools) and sets.
// A package starts one Env in TestMain and gives each test its own namespace:
//
//	var env *apitest.Env
//
//	func TestMain(m *testing.M) {
//		os.Exit(apitest.Main(m, func(ctx context.Context, e *apitest.Env) error {
//			env = e
//			return e.InstallCRDs(ctx, crds)
//		}))
//	}
//
//	func TestSomething(t *testing.T) {
//		apitest.Skip(t)
//		ns := env.Namespace(t)
//		...
//	}
//
// Tests skip under -short and when KUBEBUILDER_ASSETS is unset. envtest runs
// no controllers: nothing reconciles, garbage-collects or finalizes, so a test
// that needs a status sets it itself.
package apitest
