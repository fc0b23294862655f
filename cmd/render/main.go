// Command render generates and applies an EKS-on-Fargate platform as
// Kubernetes objects. See README.md.
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
