package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/graph"
)

// WriteOutputs writes environment env's outputs file (OutputsPath): the
// committed values, with the ones the live management cluster m knows
// over them (Observe). It refuses (ErrFargateNotReady) until every
// Fargate profile is ready, and says on progress what it wrote and what
// is still unknown.
func WriteOutputs(ctx context.Context, m *apply.Manager, cfg *config.Config, env config.Environment, committed Committed, progress io.Writer) error {
	values, err := Observe(ctx, m, env, committed)
	if err != nil {
		return err
	}
	path := OutputsPath(cfg, env.Name)
	if err := writeOutputsFile(path, env.Name, values); err != nil {
		return err
	}
	fmt.Fprintf(progress, "wrote %s\n", path)
	if missing := missingValues(env, values); len(missing) > 0 {
		fmt.Fprintf(progress, "not known yet: %s (run again once the cluster is synced)\n", strings.Join(missing, ", "))
	}
	return nil
}

// Observe returns the late values env's outputs file should hold: the
// committed ones, with those the live management cluster m knows over
// them (Known). It refuses (ErrFargateNotReady) until every Fargate
// profile is ready.
func Observe(ctx context.Context, m *apply.Manager, env config.Environment, committed Committed) (config.LateValues, error) {
	objs, err := gen.EnvObjects(env, committed.Values, false)
	if err != nil {
		return config.LateValues{}, err
	}
	waiting, err := fargateNotReady(ctx, m.Client(), objs)
	if err != nil {
		return config.LateValues{}, err
	}
	if len(waiting) > 0 {
		return config.LateValues{}, fmt.Errorf("%w: %s", ErrFargateNotReady, strings.Join(waiting, ", "))
	}
	live, err := LiveLate(ctx, m, env, committed.Values)
	if err != nil {
		return config.LateValues{}, err
	}
	return Known(committed.Values, live), nil
}

// writeOutputsFile writes values as environment env's outputs file at
// path, atomically. render outputs and render apply write the same bytes
// for the same values, so that either may refresh the file.
func writeOutputsFile(path, env string, values config.LateValues) error {
	doc := config.Outputs{APIVersion: config.APIVersion, Kind: config.OutputsKind, Environment: env, Values: values}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	header := fmt.Sprintf("# Written by render outputs %s or render apply %s: values AWS knew only after creation. Commit it.\n", env, env)
	return WriteAtomic(path, append([]byte(header), b...), 0o644)
}

// LiveLate reads the environment's late values from the management
// cluster c, rendering env with late to know which objects to read, and
// again with what that read learnt for the node group, which comes only
// with the second phase.
func LiveLate(ctx context.Context, c Cluster, env config.Environment, late config.LateValues) (config.LateValues, error) {
	objs, err := gen.EnvObjects(env, late, false)
	if err != nil {
		return config.LateValues{}, err
	}
	live, err := c.LateValues(ctx, objs)
	if err != nil {
		return config.LateValues{}, err
	}
	return nodegroupVersion(ctx, c, env, merge(late, live), live)
}

// ErrFargateNotReady: render outputs found a Fargate profile not ready.
var ErrFargateNotReady = errors.New("not writing the late values before every Fargate profile is ready: " +
	"the second phase brings CoreDNS, whose pods must be created after the profile that runs them; run render outputs again once they are")

// fargateNotReady names, with their state, the Fargate profiles among objs
// that are not ready in the management cluster. render outputs writes no
// late values until every profile is: the second phase brings the CoreDNS
// add-on of a Fargate-only environment, and CoreDNS pods that EKS creates
// before a profile selects them never run on Fargate.
func fargateNotReady(ctx context.Context, c client.Client, objs []*unstructured.Unstructured) ([]string, error) {
	var out []string
	for _, u := range objs {
		if u.GetKind() != "FargateProfile" || !apply.IsACK(u.GroupVersionKind().GroupKind()) {
			continue
		}
		live := &unstructured.Unstructured{}
		live.SetGroupVersionKind(u.GroupVersionKind())
		err := c.Get(ctx, client.ObjectKeyFromObject(u), live)
		if apierrors.IsNotFound(err) {
			out = append(out, graph.NameOf(u)+" (not created)")
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", graph.NameOf(u), err)
		}
		res, err := apply.ACKStatus(live)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", graph.NameOf(u), err)
		}
		if res.Status != status.CurrentStatus {
			out = append(out, fmt.Sprintf("%s (%s)", graph.NameOf(u), res.Message))
		}
	}
	return out, nil
}

// CheckOutputs is render outputs ENV --check: it reads what WriteOutputs
// would write (Observe) and writes nothing. It returns a *StaleOutputsError
// naming each value that differs from the committed file (all of them
// when there is no file yet), for a scheduled drift alert.
func CheckOutputs(ctx context.Context, m *apply.Manager, cfg *config.Config, env config.Environment, committed Committed) error {
	values, err := Observe(ctx, m, env, committed)
	if err != nil {
		return err
	}
	var old config.LateValues
	if committed.Present {
		old = committed.Values
	}
	stale := &StaleOutputsError{Path: OutputsPath(cfg, env.Name), Missing: !committed.Present}
	was, now := recorded(&old), recorded(&values)
	for i := range was {
		if *was[i].ptr != *now[i].ptr {
			stale.Changes = append(stale.Changes, ValueChange{Name: was[i].name, Old: *was[i].ptr, New: *now[i].ptr})
		}
	}
	if len(stale.Changes) == 0 && !stale.Missing {
		return nil
	}
	return stale
}

// ValueChange is one late value the live management cluster knows
// differently from the committed outputs file; Old or New is empty when
// one side has none.
type ValueChange struct{ Name, Old, New string }

// StaleOutputsError is render outputs --check's finding: the outputs file
// at Path is not what render outputs would write.
type StaleOutputsError struct {
	Path string
	// Missing says there is no file yet.
	Missing bool
	Changes []ValueChange
}

func (e *StaleOutputsError) Error() string {
	var b strings.Builder
	if e.Missing {
		fmt.Fprintf(&b, "%s does not exist; render outputs would write %d values", e.Path, len(e.Changes))
	} else {
		fmt.Fprintf(&b, "%s is not current: %s from the live management cluster", e.Path, differ(len(e.Changes)))
	}
	for _, c := range e.Changes {
		fmt.Fprintf(&b, "\n  %s: %s → %s", c.Name, shown(c.Old), shown(c.New))
	}
	b.WriteString("\nrun render outputs and render gen, and commit the result")
	return b.String()
}

func differ(n int) string {
	if n == 1 {
		return "1 value differs"
	}
	return fmt.Sprintf("%d values differ", n)
}

// shown is a value as a message prints it: (none) when empty, and only
// the start of a long one (a CA is 1.5 kB of base64).
func shown(s string) string {
	switch {
	case s == "":
		return "(none)"
	case len(s) > 64:
		return fmt.Sprintf("%s... (%d bytes)", s[:40], len(s))
	}
	return s
}

// WriteAtomic writes path through a temporary file in the same directory
// and a rename, so a reader never sees half a file.
func WriteAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
