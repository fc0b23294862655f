//go:build tools

// Package tools records the commands that build-apiserver.sh builds, so that
// `go mod tidy` keeps their dependencies in go.mod and go.sum. Both imports are
// main packages; the build tag keeps this file out of every build.
package tools

import (
	// etcd is built from here only where Debian's etcd-server is not available.
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)
