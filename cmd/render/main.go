// Command render generates and applies an EKS-on-Fargate platform as
// Kubernetes objects. See README.md.
//
// Its garbage collector is off under a soft memory limit from package
// initialisation on (internal/gcpolicy, imported by root.go), and back to
// Go's default for the commands that wait (collectIfWaiting).
package main

import (
	"context"
	"os"
)

func main() {
	ctx, stop := withSignals(context.Background(), os.Stderr, os.Exit)
	code := Main(ctx, os.Args[1:], IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr})
	stop()
	os.Exit(code)
}
