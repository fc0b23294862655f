package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// options holds the parsed command-line flags.
type options struct {
	// src is the directory holding ack-crds/ and
	// aws-load-balancer-controller/ (default ../shared).
	src string
	// dst is the directory to (re)create (default internal/schema/crds).
	dst string
	// group selects the sets to derive: "crds" (ACK and the load balancer
	// controller, the default) or "gitops" (Flux and Argo CD).
	group string
}

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
}

// run parses args, derives every CRD into a temporary directory beside dst
// and then swaps it into place.
func run(args []string, stderr io.Writer) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	type loaded struct {
		set   crdSet
		files []sourceFile
		attr  map[string]origin
	}
	g, err := groupOf(opts.group)
	if err != nil {
		return err
	}
	var all []loaded
	for _, set := range g.sets {
		attr, err := readAttribution(opts.src, set)
		if err != nil {
			return err
		}
		files, err := listSources(opts.src, set)
		if err != nil {
			return err
		}
		all = append(all, loaded{set: set, files: files, attr: attr})
	}
	return writeTree(opts.dst, func(tmp string) error {
		for _, l := range all {
			if err := buildSet(tmp, opts.src, l.set, l.files, l.attr); err != nil {
				return err
			}
		}
		return writeFile(filepath.Join(tmp, "README.md"), []byte(g.readme))
	})
}

// parseFlags reads the flags into options.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var opts options
	fs := flag.NewFlagSet("derive-crds", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.src, "src", "../shared", "directory that contains ack-crds/ and aws-load-balancer-controller/ (default ../shared)")
	fs.StringVar(&opts.dst, "dst", "internal/schema/crds", "directory to replace with the derived CRDs (default internal/schema/crds)")
	fs.StringVar(&opts.group, "group", "crds", `sets to derive: "crds" (ack-crds/, aws-load-balancer-controller/) or "gitops" (gitops-crds/) (default crds)`)
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, errors.New("unexpected arguments; use -src and -dst")
	}
	return opts, nil
}
