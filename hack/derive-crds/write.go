package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// dstReadme is written to <dst>/README.md.
const dstReadme = `# Derived CRDs (generated, do not edit)

This directory holds the CustomResourceDefinitions that ` + "`internal/schema`" + ` embeds
with ` + "`//go:embed`" + `:

- ` + "`ack/`" + `: the ACK CRDs; each file is the CRD of the same path in ` + "`../shared/ack-crds/`" + `.
- ` + "`alb/`" + `: the AWS Load Balancer Controller's CRDs, from
  ` + "`../shared/aws-load-balancer-controller/crds/`" + `; render also installs them into the
  workload cluster.

Every schema ` + "`description`" + ` is removed; everything else (CEL rules, required fields,
enums, printer columns, names, scope) is kept, so the files can also be installed into a
kube-apiserver.

Regenerate with ` + "`make crds`" + ` (` + "`go run ./hack/derive-crds -src ../shared -dst internal/schema/crds`" + `);
` + "`make verify`" + ` fails when the files differ from a fresh derivation. Never edit them by hand.

` + "`ack/README.md`" + `, ` + "`ack/FIELDS.md`" + ` and ` + "`alb/README.md`" + ` are verbatim copies of the
originals and carry the Apache-2.0 attribution of the upstream repositories; keep them with
the data.
`

// gitopsReadme is written to <dst>/README.md for -group gitops.
const gitopsReadme = `# Derived Flux and Argo CD CRDs (generated, do not edit)

This directory holds the CustomResourceDefinitions that ` + "`internal/schema`" + ` embeds for
` + "`schema.LoadGitOps`" + `, which the tests use to validate the GitOps examples (` + "`examples/`" + `)
and what ` + "`render gen --gitops`" + ` writes:

- ` + "`flux/`" + `: Flux's Kustomization (kustomize-controller) and GitRepository and
  OCIRepository (source-controller);
- ` + "`argocd/`" + `: Argo CD's Application and AppProject. The ApplicationSet CRD is left
  out: it is 1.4 MB even without descriptions, and the examples use one Application per
  environment.

Each file is the CRD of the same path in ` + "`../shared/gitops-crds/`" + ` with every schema
` + "`description`" + ` removed; everything else (CEL rules, required fields, enums, printer columns,
names, scope) is kept.

Regenerate with ` + "`make gitops-crds`" + `
(` + "`go run ./hack/derive-crds -src ../shared -dst internal/schema/gitopscrds -group gitops`" + `);
` + "`make verify`" + ` fails when the files differ from a fresh derivation. Never edit them by hand.

` + "`ATTRIBUTION.md`" + ` is a verbatim copy of ` + "`../shared/gitops-crds/README.md`" + ` and carries the
Apache-2.0 attribution of the upstream repositories (repository, tag and commit of every
file); keep it with the data.
`

// buildSet writes one set's derived CRDs and attribution files under dir.
func buildSet(dir, srcRoot string, set crdSet, files []sourceFile, attr map[string]origin) error {
	for _, f := range files {
		src := filepath.Join(srcRoot, set.src, filepath.FromSlash(f.rel()))
		data, err := os.ReadFile(src)
		if err != nil {
			return fmt.Errorf("read source crd: %w", err)
		}
		o, err := originFor(f, attr)
		if err != nil {
			return err
		}
		out, err := derive(data, f, o)
		if err != nil {
			return fmt.Errorf("derive %s: %w", src, err)
		}
		if err := writeFile(filepath.Join(dir, set.dst, filepath.FromSlash(f.out())), out); err != nil {
			return err
		}
	}
	for _, name := range set.keep {
		data, err := os.ReadFile(filepath.Join(srcRoot, set.src, name))
		if err != nil {
			return fmt.Errorf("read attribution file: %w", err)
		}
		as := name
		if n, ok := set.keepAs[name]; ok {
			as = n
		}
		if err := writeFile(filepath.Join(dir, set.dst, as), data); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes data to path, creating parent directories.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create directory for %s: %w", path, err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeTree lets fill populate a temporary directory beside dst and then
// replaces dst with it, so that dst is never left half written.
func writeTree(dst string, fill func(dir string) error) error {
	dst = filepath.Clean(dst)
	parent := filepath.Dir(dst)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create parent of %s: %w", dst, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dst)+"-new-")
	if err != nil {
		return fmt.Errorf("create temporary directory beside %s: %w", dst, err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("chmod %s: %w", tmp, err)
	}
	if err := fill(tmp); err != nil {
		return err
	}
	return swapDir(tmp, dst)
}

// swapDir moves dst aside, renames tmp to dst and removes the old copy,
// restoring it if the rename fails.
func swapDir(tmp, dst string) error {
	old, err := os.MkdirTemp(filepath.Dir(dst), "."+filepath.Base(dst)+"-old-")
	if err != nil {
		return fmt.Errorf("create temporary directory beside %s: %w", dst, err)
	}
	defer os.RemoveAll(old)
	aside := filepath.Join(old, filepath.Base(dst))
	if err := os.Rename(dst, aside); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("move %s aside: %w", dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		if rerr := os.Rename(aside, dst); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			return errors.Join(fmt.Errorf("replace %s: %w", dst, err), fmt.Errorf("restore %s: %w", dst, rerr))
		}
		return fmt.Errorf("replace %s: %w", dst, err)
	}
	return nil
}
