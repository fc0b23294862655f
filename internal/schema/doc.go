// Package schema owns the CRD schemas derived into this repository (crds/,
// written by `make crds`, embedded with go:embed: ACK's, and the AWS Load
// Balancer Controller's, which ReadCRDs also hands out for installing) and
// everything read from them (LoadGitOps does the same for the Flux and
// Argo CD CRDs in gitopscrds/, `make gitops-crds`, which validate the
// GitOps examples): validation of objects the way the kube-apiserver validates a
// create with strict field validation, the reference fields of each kind
// (`*Ref` / `*Refs[]`) and the fields that are immutable through the CEL rule
// `self == oldSelf`.
//
// The package does no I/O beyond its embedded files and keeps no state
// outside a Set. It must not import internal/gen, internal/apply or
// k8s.io/client-go; it builds on k8s.io/apiextensions-apiserver's schema,
// pruning, validation and CEL packages so that its verdicts match the
// apiserver's.
package schema
