package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/orchestrate"
	"github.com/eks-render/render/internal/schema"
	"github.com/eks-render/render/internal/tfstate"
)

type importFlags struct {
	configFlags
	tfstate        string
	output         string
	allowConflicts bool
}

// errConflicts is returned when the state has conflicts render import may
// not adopt.
var errConflicts = errors.New("conflicts: nothing written")

// NewImportCommand builds `render import ENV --tfstate FILE`.
func NewImportCommand(streams IOStreams) *cobra.Command {
	f := &importFlags{}
	cmd := &cobra.Command{
		Use:   "import ENV --tfstate FILE",
		Short: "Adopt the AWS resources a Terraform state holds: write imports/ENV.yaml",
		Long: `import reads a Terraform state (terraform state pull, format version 4, or
terraform show -json) and matches each AWS object render renders for ENV to at
most one Terraform resource, by what identifies it in AWS: CIDR and zone for a
subnet, the VPC for its internet gateway, the subnet for a NAT gateway, the
associated subnets and the default route's target for a route table, names for
IAM roles, log groups and EKS, the issuer for the OIDC provider. Never by the
Terraform address alone.

It writes imports/ENV.yaml next to platform.yaml (commit it): render gen then
renders the ACK adoption annotations (services.k8s.aws/adoption-policy:
adopt-or-create, services.k8s.aws/adoption-fields) on exactly those objects,
and render apply makes the ACK controllers take the resources over instead of
creating them.

The report (stderr; --output json on stdout) lists what is adopted, what
Terraform resources render leaves alone, what will be created, the fields ACK
changes in place once it adopted, the conflicts, and the terraform state rm
commands to run once render apply adopted everything.

A conflict is a matched resource whose create-only or immutable field differs
from what render renders (adopting would keep the old value or force a
replacement), or a rendered subnet that overlaps a subnet of the adopted VPC.
Conflicts are errors: nothing is written, exit 1. With --allow-conflicts the
conflicting resources are adopted as they are: AWS keeps its value of the
field (the object shows render's; only this report records the difference),
and nothing is created twice. An overlapping subnet or an ambiguous match is an error even then.

Exit status: 0 when imports/ENV.yaml was written, 1 on any error or conflict.`,
		Example: `  terraform state pull > tf.json
  render import dev --tfstate tf.json
  render gen && render diff --from main --to .
  render apply dev

  # the report as JSON
  render import prod --tfstate prod.json --output json > import.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(streams, args[0]) },
	}
	f.bind(cmd, streams)
	cmd.Flags().StringVar(&f.tfstate, "tfstate", "", "Terraform state to read: terraform state pull or terraform show -json output (required).")
	cmd.Flags().StringVarP(&f.output, "output", "o", "text", `Report format: "text" (stderr) or "json" (stdout).`)
	cmd.Flags().BoolVar(&f.allowConflicts, "allow-conflicts", false, "Adopt resources whose create-only fields differ as they are (AWS keeps its values) instead of failing; default false.")
	return cmd
}

func (f *importFlags) run(streams IOStreams, name string) error {
	if f.tfstate == "" {
		return fmt.Errorf("--tfstate is required: the output of terraform state pull or terraform show -json")
	}
	if f.output != "text" && f.output != "json" {
		return fmt.Errorf("--output %q: want text or json", f.output)
	}
	cfg, env, late, err := f.environment(name)
	if err != nil {
		return err
	}
	data, err := readState(f.tfstate)
	if err != nil {
		return fmt.Errorf("read Terraform state: %w", err)
	}
	st, err := tfstate.Read(f.tfstate, data)
	if err != nil {
		return err
	}
	set, err := schema.Load()
	if err != nil {
		return err
	}
	bare := *env
	bare.Adopt = nil // match what render renders, not what an old imports file adopts
	rep, adoptions, err := tfstate.Import(tfstate.Input{Env: name, State: st, Late: late.Values, Schema: set,
		Render: func(l config.LateValues) ([]*unstructured.Unstructured, error) { return gen.EnvObjects(bare, l, false) }})
	if err != nil {
		return err
	}
	if err := f.report(streams, rep); err != nil {
		return err
	}
	if err := f.refuse(rep.Conflicts); err != nil {
		return err
	}
	return writeImports(streams, orchestrate.ImportsPath(cfg, name), name, adoptions)
}

// readState reads at most tfstate.MaxSize bytes of a state file: states
// are larger than configuration files, but a device or a runaway file must
// still end in an error, not in a process out of memory.
func readState(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, tfstate.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > tfstate.MaxSize {
		return nil, fmt.Errorf("%s is larger than %d bytes; is it a Terraform state?", path, tfstate.MaxSize)
	}
	return data, nil
}

// refuse returns an error when there are conflicts the user did not
// allow, or that --allow-conflicts cannot take because nothing is left to
// adopt (an overlapping subnet, an ambiguous match).
func (f *importFlags) refuse(cs []tfstate.Conflict) error {
	blocking := 0
	for _, c := range cs {
		if !c.Adoptable {
			blocking++
		}
	}
	switch {
	case len(cs) == 0:
		return nil
	case !f.allowConflicts:
		return fmt.Errorf("%d conflicts (listed above): %w; change platform.yaml to match what exists, or rerun with --allow-conflicts to adopt those resources as they are", len(cs), errConflicts)
	case blocking > 0:
		return fmt.Errorf("%d conflicts (listed above) leave nothing to adopt, even with --allow-conflicts: %w; change platform.yaml", blocking, errConflicts)
	}
	return nil
}

// report writes the report in the chosen format.
func (f *importFlags) report(streams IOStreams, rep *tfstate.Report) error {
	if f.output == "json" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		_, err = streams.Out.Write(append(b, '\n'))
		return err
	}
	return rep.WriteText(streams.ErrOut)
}

// writeImports writes the imports file atomically.
func writeImports(streams IOStreams, path, env string, adoptions []config.Adoption) error {
	if adoptions == nil {
		adoptions = []config.Adoption{}
	}
	doc := config.Imports{APIVersion: config.APIVersion, Kind: config.ImportsKind, Environment: env, Adopt: adoptions}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	header := fmt.Sprintf("# Written by render import %s: the AWS resources render's objects adopt. Commit it.\n", env)
	if err := orchestrate.WriteAtomic(path, append([]byte(header), b...), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(streams.ErrOut, "\nwrote %s (%d objects adopt existing resources)\n", path, len(adoptions))
	return nil
}
