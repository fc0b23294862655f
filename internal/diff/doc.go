// Package diff compares two renderings of a platform configuration offline,
// without a cluster: per environment which objects are added, changed or
// removed, what that does to the size of the platform (NAT gateways, Elastic
// IPs, node groups, Fargate profiles, log retention), a unified diff per
// changed object, and which changed fields force a replacement (CEL
// `self == oldSelf`, asked of schema) or are silently ignored by the ACK
// controllers (create-only, the table in createonly.go from FIELDS.md).
//
// diff renders through gen and reads CRD facts through schema. It does no
// I/O besides writing a report to an io.Writer, and must not import apply or
// k8s.io/client-go.
package diff
