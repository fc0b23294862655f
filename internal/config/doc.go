// Package config owns the platform configuration file (platform.yaml): its
// versioned types, strict decoding with file:line:column errors, built-in
// defaults, the per-environment merge, and validation of every value against
// the AWS and Kubernetes rules it will meet later.
//
// The result is one resolved Environment per environment, with every default
// filled in and every derived value (subnet CIDRs, availability zones, the
// cluster name) computed, so that the generator never has to guess.
//
// config knows nothing about ACK or Kubernetes object types, performs no I/O
// (callers pass the file's bytes) and must not import client-go.
package config
