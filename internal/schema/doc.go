// Package schema owns the CRD schemas derived into this repository (crds/,
// written by `make crds`, embedded with go:embed: ACK's, and the AWS Load
// Balancer Controller's, which ReadCRDs also hands out for installing) and
// the facts the render binary reads from them (LoadGitOps does the same
// for the Flux and Argo CD CRDs in gitopscrds/, `make gitops-crds`): the
// reference fields of each kind (`*Ref` / `*Refs[]`) and the fields that
// are immutable through the CEL rule `self == oldSelf`, found as a string
// in x-kubernetes-validations, never compiled.
//
// Validating objects the way the kube-apiserver validates a create (the
// structural schema, CEL) is subpackage schematest's, which only tests
// import: its dependencies (cel-go, k8s.io/apiserver, component-base's
// metrics) would cost every run of the binary at start-up (issue 32).
//
// The package does no I/O beyond its embedded files and keeps no state
// outside a Set. It must not import internal/gen, internal/apply,
// k8s.io/client-go or the apiserver's packages: it builds on the
// apiextensions v1 types alone.
package schema
