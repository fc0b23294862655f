// Package graph owns the dependency graph of a set of objects and the one
// way objects are named in messages (Kind/namespace/name).
//
// Edges are read generically from the ACK reference fields listed in
// ack.RefFields (`*Ref.from.name`, `*Refs[].from.name`), plus one rule that
// needs no table: a namespaced object depends on its Namespace when the set
// holds it; and from the small table orderings, for the orders AWS needs
// that no reference expresses (CoreDNS after the compute that will run it,
// a node group after the network plugin, pods after the Fargate log
// router's ConfigMap). Levels are what every consumer
// orders by: render apply applies level by level, render delete walks them backwards, and GitOps sync waves
// and dependsOn come from them, so none keeps a list of kinds of its own.
//
// graph does no I/O and must not import client-go.
package graph
