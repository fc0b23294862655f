// Command derive-crds derives the CRDs that internal/schema embeds from the
// vendored ACK CRDs in ../shared/ack-crds and the AWS Load Balancer
// Controller's in ../shared/aws-load-balancer-controller/crds; with
// -group gitops, the Flux and Argo CD CRDs of ../shared/gitops-crds, which
// the GitOps examples are validated against (internal/schema/gitopscrds,
// `make gitops-crds`).
//
// It owns one step: read each source CRD, remove every schema `description`
// (keeping CEL rules, required lists, enums, printer columns, names and scope),
// prefix an attribution header, and replace the destination directory
// atomically. `make crds` runs it; `make verify` runs it into a temporary
// directory and diffs the result against internal/schema/crds.
//
// Usage:
//
//	go run ./hack/derive-crds -src ../shared -dst internal/schema/crds
//	go run ./hack/derive-crds -src ../shared -dst internal/schema/gitopscrds -group gitops
//
// It must not import any package of this module: it is a build tool, and the
// embedded output is the only thing the rest of the tree sees.
package main
