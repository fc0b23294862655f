// Package gen turns resolved environments into Kubernetes objects and the
// committed kustomize tree: typed ACK objects for the management cluster,
// the 2048 game and the AWS Load Balancer Controller for the new EKS
// cluster, base/ with what every environment shares and overlays/<env>/
// with what differs, plus the kustomize
// configuration that keeps ACK references intact under a user's own
// namePrefix. It also builds an overlay in-process with krusty and writes a
// tree atomically. GenerateWith can annotate every object with its level in
// the reference graph (Argo CD's sync wave, for render gen --gitops argocd).
//
// gen is pure: it must not import k8s.io/client-go, read the clock, or use
// the network (make verify checks the first). Objects come only from typed
// structs, serialized by one function.
package gen
