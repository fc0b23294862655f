package orchestrate

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/resmap"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/gitops"
)

// TreeOptions are render gen's GitOps choices: the tool ("" for none,
// argocd or flux), the directory under the tree for its objects (default
// gitops/<tool>), and the repository and branch they follow; and the day
// render runs, for the EKS version calendar.
type TreeOptions struct {
	GitOps, GitOpsDir, GitOpsRepo, GitOpsBranch string
	Day                                         eksversion.Day
}

// Tree reads configFile (warnings on warn) and its committed outputs, and
// renders every environment's tree; with a GitOps tool it adds the tool's
// sync waves and objects. owned lists the directories the result replaces.
func Tree(configFile string, warn io.Writer, o TreeOptions) (*config.Config, *gen.Output, []string, error) {
	owned := gen.OwnedDirs
	if o.GitOps == "" && o.GitOpsDir != "" {
		return nil, nil, nil, fmt.Errorf("--gitops-dir goes with --gitops")
	}
	if o.GitOps == "" {
		cfg, late, err := loadWithLate(configFile, o.Day, warn)
		if err != nil {
			return nil, nil, nil, err
		}
		out, err := gen.Generate(cfg, late)
		return cfg, out, owned, err
	}
	tool, err := gitops.ParseTool(o.GitOps)
	if err != nil {
		return nil, nil, nil, err
	}
	dir, err := o.gitopsDir(tool)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg, late, err := loadWithLate(configFile, o.Day, warn)
	if err != nil {
		return nil, nil, nil, err
	}
	var opts gen.Options
	if tool == gitops.ArgoCD {
		opts.LevelAnnotation = gitops.SyncWaveAnnotation
	}
	out, err := gen.GenerateWith(cfg, late, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	files, err := gitops.Files(cfg, tool, gitops.Options{RepoURL: o.GitOpsRepo, Branch: o.GitOpsBranch})
	if err != nil {
		return nil, nil, nil, err
	}
	for p, b := range files {
		out.Files[dir+"/"+p] = b
	}
	return cfg, out, append(slices.Clone(owned), dir), nil
}

func loadWithLate(configFile string, day eksversion.Day, warn io.Writer) (*config.Config, map[string]config.LateValues, error) {
	cfg, err := LoadConfig(configFile, day, warn)
	if err != nil {
		return nil, nil, err
	}
	late, err := LoadLate(cfg)
	if err != nil {
		return nil, nil, err
	}
	return cfg, late, checkRecordedSteps(cfg, late)
}

// gitopsDir returns --gitops-dir (default gitops/<tool>) as a clean
// slash path under --out-dir, apart from base/ and overlays/.
func (o TreeOptions) gitopsDir(tool gitops.Tool) (string, error) {
	dir := o.GitOpsDir
	if dir == "" {
		dir = "gitops/" + tool.String()
	}
	dir = filepath.ToSlash(filepath.Clean(dir))
	if filepath.IsAbs(dir) || dir == "." || dir == ".." || strings.HasPrefix(dir, "../") {
		return "", fmt.Errorf("--gitops-dir %q: want a directory inside --out-dir", o.GitOpsDir)
	}
	for _, d := range gen.OwnedDirs {
		if dir == d || strings.HasPrefix(dir, d+"/") || strings.HasPrefix(d, dir+"/") {
			return "", fmt.Errorf("--gitops-dir %q: overlaps %s/, which render gen writes", o.GitOpsDir, d)
		}
	}
	return dir, nil
}

// WriteTree writes out's files into the owned directories under dir, as
// gen.WriteOwned does, and says so on progress when anything changed;
// with check it writes nothing and fails when the tree on disk is stale
// (CheckTree). Either way it first lists on progress what is not rendered
// yet for want of a late value.
func WriteTree(dir string, owned []string, out *gen.Output, check bool, progress io.Writer) error {
	for _, p := range out.Pending {
		fmt.Fprintf(progress, "not rendered yet: %s\n", p)
	}
	if check {
		return CheckTree(dir, owned, out.Files)
	}
	stale, err := gen.WriteOwnedChanges(dir, owned, out.Files)
	if err != nil || len(stale) == 0 {
		return err
	}
	parts := make([]string, len(owned))
	for i, d := range owned {
		parts[i] = filepath.Join(dir, filepath.FromSlash(d)) + "/"
	}
	fmt.Fprintf(progress, "wrote %s under %s\n", writeSummary(stale, out.Files), strings.Join(parts, " and "))
	return nil
}

// writeSummary counts what writing t changed, stale being the paths that
// differed: "3 of 104 files", and how many were removed.
func writeSummary(stale []string, t gen.Tree) string {
	written := 0
	for _, p := range stale {
		if _, ok := t[p]; ok {
			written++
		}
	}
	s := fmt.Sprintf("%d of %d files", written, len(t))
	if removed := len(stale) - written; removed > 0 {
		s += fmt.Sprintf(" (and removed %d)", removed)
	}
	return s
}

// CheckTree fails, listing them, when files of the owned directories
// under dir differ from t (render gen --check).
func CheckTree(dir string, owned []string, t gen.Tree) error {
	stale, err := gen.StaleOwned(dir, owned, t)
	if err != nil {
		return err
	}
	if len(stale) > 0 {
		return fmt.Errorf("%d stale files (run render gen):\n  %s", len(stale), strings.Join(stale, "\n  "))
	}
	return nil
}

// WriteEnv builds one environment's overlay of t (its workload with
// workload) and writes it to w as YAML; env "" is the only environment
// cfg has.
func WriteEnv(w io.Writer, cfg *config.Config, t gen.Tree, env string, workload bool, format Format) error {
	if env == "" {
		if len(cfg.Environments) != 1 {
			return fmt.Errorf("%s defines %d environments; name one with --env", cfg.File, len(cfg.Environments))
		}
		env = cfg.Environments[0].Name
	}
	if _, err := cfg.Environment(env); err != nil {
		return err
	}
	m, err := t.BuildEnv(env, workload)
	if err != nil {
		return err
	}
	b, err := m.AsYaml()
	if format == JSON {
		b, err = asList(m)
	}
	if err != nil {
		return fmt.Errorf("encode environment %s: %w", env, err)
	}
	_, err = w.Write(b)
	return err
}

// Format is how WriteEnv prints an environment's objects.
type Format string

// The formats of WriteEnv.
const (
	// YAML is kubectl kustomize's output: one YAML document per object.
	YAML Format = "yaml"
	// JSON is one v1 List of the objects, as kubectl get -o json prints
	// several.
	JSON Format = "json"
)

// String returns the format as --output spells it.
func (f Format) String() string { return string(f) }

// asList encodes the objects of m as one indented JSON v1 List.
func asList(m resmap.ResMap) ([]byte, error) {
	items := make([]map[string]any, 0, m.Size())
	for _, r := range m.Resources() {
		obj, err := r.Map()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.CurId(), err)
		}
		items = append(items, obj)
	}
	b, err := json.MarshalIndent(map[string]any{"apiVersion": "v1", "kind": "List", "items": items}, "", "  ")
	return append(b, '\n'), err
}

// GraphObjects are the management objects of environment name as render
// graph shows them: rendered with the committed outputs' late values; what
// waits for a missing value is listed on progress.
func GraphObjects(cfg *config.Config, name string, progress io.Writer) ([]*unstructured.Unstructured, error) {
	env, err := cfg.Environment(name)
	if err != nil {
		return nil, err
	}
	late, err := LoadLate(cfg)
	if err != nil {
		return nil, err
	}
	r, err := rendering(*env, late[name], "")
	if err != nil {
		return nil, err
	}
	for _, p := range r.Pending {
		fmt.Fprintf(progress, "not rendered yet: %s\n", p)
	}
	return r.Objects, nil
}
