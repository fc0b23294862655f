// Package schematest validates objects against the CRDs of a schema.Set the
// way the kube-apiserver validates a create with strict field validation:
// unknown fields, metadata, the structural OpenAPI schema and the CEL rules
// of x-kubernetes-validations. Every test that checks what render emits
// (gen's goldens and fuzzing, the GitOps examples) validates with it.
//
// Only tests import it: it builds on k8s.io/apiextensions-apiserver's
// schema, pruning, validation and CEL packages so that its verdicts match
// the apiserver's, and those bring cel-go, k8s.io/apiserver and
// component-base's metric registries, whose package initialisers and
// compiled validators would cost every run of the render binary (issue 32).
// cmd/render's TestNoValidatorInBinary fails when this package, or any of
// those, reaches the binary. The facts the binary needs (reference fields,
// immutable fields) are read without them by package schema.
//
// It must not import internal/gen, internal/apply or k8s.io/client-go.
package schematest
