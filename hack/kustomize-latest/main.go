// Command kustomize-latest builds kustomizations with the newest
// sigs.k8s.io/kustomize/api (v0.21.3, which needs Go 1.27), the way
// `render build` does with the version render itself is built with, so that
// hack/check-kustomize-latest.sh can compare the two byte for byte.
//
// It is a separate module so that the main module stays on Go 1.26.
//
// Usage: kustomize-latest DIR
package main

import (
	"fmt"
	"os"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: kustomize-latest DIR")
		os.Exit(2)
	}
	opts := krusty.MakeDefaultOptions()
	opts.Reorder = krusty.ReorderOptionLegacy
	m, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: kustomize build %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	b, err := m.AsYaml()
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
	os.Stdout.Write(b)
}
