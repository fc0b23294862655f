package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
)

// configFlags are the flags every command that reads platform.yaml takes.
type configFlags struct {
	file   string
	errOut io.Writer // where warnings go
}

func (f *configFlags) bind(cmd *cobra.Command, streams IOStreams) {
	f.errOut = streams.ErrOut
	cmd.Flags().StringVarP(&f.file, "config", "f", "platform.yaml", "Path of the platform configuration file.")
}

// load reads and validates the configuration file.
func (f *configFlags) load() (*config.Config, error) {
	data, err := os.ReadFile(f.file)
	if err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	cfg, err := config.Parse(f.file, data)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(f.errOut, "warning: %s\n", w)
	}
	return cfg, nil
}

// generate loads the configuration and the committed late values and
// renders every environment.
func (f *configFlags) generate() (*config.Config, *gen.Output, error) {
	cfg, err := f.load()
	if err != nil {
		return nil, nil, err
	}
	late, err := loadLate(cfg)
	if err != nil {
		return nil, nil, err
	}
	out, err := gen.Generate(cfg, late)
	return cfg, out, err
}

// environment loads the configuration and the committed late values and
// finds environment name.
func (f *configFlags) environment(name string) (*config.Config, *config.Environment, config.LateValues, error) {
	cfg, err := f.load()
	if err != nil {
		return nil, nil, config.LateValues{}, err
	}
	env, err := cfg.Environment(name)
	if err != nil {
		return nil, nil, config.LateValues{}, err
	}
	late, err := loadLate(cfg)
	if err != nil {
		return nil, nil, config.LateValues{}, err
	}
	return cfg, env, late[name], nil
}

type genFlags struct {
	configFlags
	outDir   string
	check    bool
	output   string
	env      string
	workload bool
}

// NewGenCommand builds `render gen`.
func NewGenCommand(streams IOStreams) *cobra.Command {
	f := &genFlags{}
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Write base/ and overlays/<env>/ from platform.yaml",
		Long: `gen renders every environment of the configuration file and writes the kustomize
tree: base/ (what all environments share) and overlays/<env>/ (what differs),
each with a workload/ kustomization for the new EKS cluster.

render owns base/ and overlays/: it replaces them whole, atomically, and stops
with an error if either holds a file it did not write. Output is byte-for-byte
deterministic, so CI can check that the committed tree is up to date with --check.

Values AWS knows only after creation (the VPC ID a FlowLog needs, the OIDC
issuer) are not rendered until they are known; gen says so on stderr.

Exit status: 0 on success (with --check: the tree is up to date), 1 on any
error (with --check: a file is stale; the stale files are listed).`,
		Example: `  # Write base/ and overlays/ next to platform.yaml
  render gen

  # Fail (exit 1) if the committed tree is not what platform.yaml renders
  render gen --check

  # Print the built management objects of dev, as kubectl kustomize would
  render gen -o - --env dev | kubectl apply --server-side -f -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return f.run(streams) },
	}
	f.bind(cmd, streams)
	cmd.Flags().StringVar(&f.outDir, "out-dir", ".", "Directory to write base/ and overlays/ into.")
	cmd.Flags().BoolVar(&f.check, "check", false, "Write nothing; exit 1 and list the stale files if the tree on disk differs.")
	cmd.Flags().StringVarP(&f.output, "output", "o", "", `"-" prints one environment's built YAML to stdout instead of writing the tree.`)
	cmd.Flags().StringVarP(&f.env, "env", "e", "", "Environment to print with -o - (default: the only one).")
	cmd.Flags().BoolVar(&f.workload, "workload", false, "With -o -, print the workload for the new cluster instead of the management objects.")
	return cmd
}

func (f *genFlags) run(streams IOStreams) error {
	switch {
	case f.output != "" && f.output != "-":
		return fmt.Errorf("--output %q: the only value is \"-\" (stdout); use --out-dir to choose where the tree goes", f.output)
	case f.output == "" && (f.env != "" || f.workload):
		return fmt.Errorf("--env and --workload go with -o -")
	case f.check && f.output != "":
		return fmt.Errorf("--check and -o - cannot be combined")
	}
	cfg, out, err := f.generate()
	if err != nil {
		return err
	}
	if f.output == "-" {
		return printEnv(streams, cfg, out.Files, f.env, f.workload)
	}
	for _, p := range out.Pending {
		fmt.Fprintf(streams.ErrOut, "not rendered yet: %s\n", p)
	}
	if f.check {
		return check(f.outDir, out.Files)
	}
	changed, err := gen.Write(f.outDir, out.Files)
	if err != nil {
		return err
	}
	if changed {
		fmt.Fprintf(streams.ErrOut, "wrote %d files under %s\n", len(out.Files), describeDirs(f.outDir))
	}
	return nil
}

func describeDirs(dir string) string {
	parts := make([]string, len(gen.OwnedDirs))
	for i, d := range gen.OwnedDirs {
		parts[i] = filepath.Join(dir, d) + "/"
	}
	return strings.Join(parts, " and ")
}

func check(dir string, t gen.Tree) error {
	stale, err := gen.Stale(dir, t)
	if err != nil {
		return err
	}
	if len(stale) > 0 {
		return fmt.Errorf("%d stale files (run render gen):\n  %s", len(stale), strings.Join(stale, "\n  "))
	}
	return nil
}

// printEnv builds one environment's overlay and prints it.
func printEnv(streams IOStreams, cfg *config.Config, t gen.Tree, env string, workload bool) error {
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
	if err != nil {
		return fmt.Errorf("encode environment %s: %w", env, err)
	}
	_, err = streams.Out.Write(b)
	return err
}
