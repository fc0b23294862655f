// Package ack holds Go structs for the AWS Controllers for Kubernetes (ACK)
// kinds that render emits, shaped like the controllers' apis/v1alpha1
// packages (which cannot be imported here) and limited to the fields render
// sets. The json tags must match the CRDs exactly: the generator's tests
// validate every emitted object against the real CRD schemas.
//
// The package holds types and the reference table only; no logic.
package ack
