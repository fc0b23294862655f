package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/diff"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/gitops"
)

// refreshCommitted runs at the end of a render apply of an environment
// that succeeded and has an outputs file (the GitOps path): the run may
// have moved AWS past what the file records (an upgrade), and the tree
// render gen writes from it would then ask AWS to go back, which EKS
// refuses and ACK marks Terminal. So, when what it observes (Observe)
// differs from the file, it rewrites the file and the tree next to the
// configuration from it, and names the files to commit; with KeepOutputs
// it writes nothing and warns with what the stale file would do.
func (o *ApplyOptions) refreshCommitted(ctx context.Context, m *apply.Manager, src *Source) error {
	if src.Env == nil || !src.Committed.Present {
		return nil
	}
	env, committed := *src.Env, src.Committed
	values, err := Observe(ctx, m, env, committed)
	if errors.Is(err, ErrFargateNotReady) {
		fmt.Fprintf(o.Progress, "warning: %s not rewritten: %v\n", committed.File, err)
		return nil
	}
	if err != nil {
		return err
	}
	changes := changedValues(committed.Values, values)
	if len(changes) == 0 {
		// The files are what they were; whether the tree is what they
		// give is render gen --check's to say, offline. Rendering it
		// here would cost a run that changed nothing about 60 ms.
		return nil
	}
	if o.KeepOutputs {
		return o.warnStale(ctx, m, env, committed, changes)
	}
	var wrote []string
	tree, note, err := refreshedTree(o.ConfigFile, o.Day, env.Name, values)
	if err == nil {
		wrote, err = writeRefreshed(committed, env.Name, values, changes, tree)
	}
	if err != nil {
		return fmt.Errorf("the run succeeded, but %s and the tree were not rewritten (run %s, then commit): %w", committed.File, fix(env.Name), err)
	}
	if len(wrote) > 0 {
		fmt.Fprintf(o.Progress, "%s: wrote what this run left in AWS; commit it, or a GitOps tool applying the old files asks AWS to go back:\n  %s\n",
			env.Name, strings.Join(wrote, "\n  "))
	}
	if note != "" {
		fmt.Fprintln(o.Progress, note)
	}
	return nil
}

// writeRefreshed writes the outputs file with values when they changed,
// then the tree, if any; when the tree cannot be written it puts the
// outputs file back, so that the two never disagree. It returns the files
// it changed, the outputs file with its changes.
func writeRefreshed(committed Committed, env string, values config.LateValues, changes []diff.StaleValue, tree *staleTree) ([]string, error) {
	var wrote []string
	var old []byte
	if len(changes) > 0 {
		var err error
		if old, err = os.ReadFile(committed.File); err != nil {
			return nil, err
		}
		if err := writeOutputsFile(committed.File, env, values); err != nil {
			return nil, err
		}
		wrote = append(wrote, fmt.Sprintf("%s (%s)", committed.File, changeList(changes)))
	}
	if tree == nil {
		return wrote, nil
	}
	if _, err := gen.WriteOwned(tree.dir, gen.OwnedDirs, tree.files); err != nil {
		if old != nil {
			err = errors.Join(err, WriteAtomic(committed.File, old, 0o644))
		}
		return nil, err
	}
	return append(wrote, tree.stale...), nil
}

// warnStale warns, for --no-write-outputs, with the values the committed
// outputs file records and AWS no longer has, and the objects the tree
// render gen writes from it would move back.
func (o *ApplyOptions) warnStale(ctx context.Context, m *apply.Manager, env config.Environment, committed Committed, changes []diff.StaleValue) error {
	back, err := Backwards(ctx, m, env, committed)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Progress, "warning: %s is stale (--no-write-outputs): %s\n", committed.File, changeList(changes))
	if len(back.Objects) > 0 {
		fmt.Fprintf(o.Progress, "  the tree render gen writes from it would ask AWS to go back, which EKS refuses (ACK marks the object Terminal) when Flux, Argo CD or kubectl apply -k applies it:\n")
		for _, f := range back.Objects {
			fmt.Fprintf(o.Progress, "    %s %s %s -> %s\n", f.Name, f.Path, f.Live, f.Committed)
		}
	}
	fmt.Fprintf(o.Progress, "  fix: %s, then commit\n", back.Fix)
	return nil
}

// changeList is `clusterVersion "1.34" -> "1.35", ...`.
func changeList(changes []diff.StaleValue) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		parts[i] = fmt.Sprintf("%s %q -> %q", c.Name, c.Committed, c.Live)
	}
	return strings.Join(parts, ", ")
}

// staleTree is the tree render gen writes (base/ and overlays/), to be
// written into dir, and which of its files differ there.
type staleTree struct {
	dir   string
	files gen.Tree
	stale []string
}

// refreshedTree renders, on day, the tree render gen writes next to
// configFile with environment env's outputs holding values, nil with a
// note when env's tree is not there (no overlays/ENV next to the
// configuration). Of the two forms render gen writes, plain and with Argo
// CD's sync waves (--gitops argocd), it keeps the one closer to the files
// on disk; the GitOps tool's own objects do not depend on late values.
func refreshedTree(configFile string, day eksversion.Day, env string, values config.LateValues) (*staleTree, string, error) {
	dir := filepath.Dir(configFile)
	if _, err := os.Stat(filepath.Join(dir, "overlays", env)); err != nil {
		return nil, fmt.Sprintf("no overlays/%s next to %s: run render gen where your tree is, and commit it", env, configFile), nil
	}
	cfg, late, err := loadWithLate(configFile, day, io.Discard)
	if err != nil {
		return nil, "", err
	}
	late[env] = values
	var best *staleTree
	for _, opts := range []gen.Options{{}, {LevelAnnotation: gitops.SyncWaveAnnotation}} {
		out, err := gen.GenerateWith(cfg, late, opts)
		if err != nil {
			return nil, "", err
		}
		stale, err := gen.StaleOwned(dir, gen.OwnedDirs, out.Files)
		if err != nil {
			return nil, "", err
		}
		if best == nil || len(stale) < len(best.stale) {
			best = &staleTree{dir: dir, files: out.Files, stale: stale}
		}
		if len(best.stale) == 0 {
			break
		}
	}
	for i, p := range best.stale {
		best.stale[i] = filepath.Join(dir, filepath.FromSlash(p))
	}
	return best, "", nil
}
