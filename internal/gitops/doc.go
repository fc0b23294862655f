// Package gitops owns what Flux and Argo CD need to consume the rendered
// tree unmodified: the health of every ACK kind render emits (Flux
// healthCheckExprs in CEL, Argo CD resource.customizations.health Lua), the
// Flux GitRepository and Kustomizations and the Argo CD Applications of
// each environment, and the annotation that carries graph levels as Argo CD
// sync waves. render gen --gitops writes them; examples/ holds what they
// give for the repository's platform.yaml, and a test keeps the two equal.
//
// Objects are typed structs (Flux's and Argo CD's Go modules cannot be had
// here), checked against the derived CRDs (schematest.LoadGitOps) in tests, and
// serialized by gen.EncodeFile. gitops does no I/O and must not import
// internal/apply or k8s.io/client-go.
package gitops
