package orchestrate

import (
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/schema"
	"github.com/eks-render/render/internal/tfstate"
)

// ImportOptions are what render import was asked for.
type ImportOptions struct {
	// State is the path of the Terraform state to read.
	State string
	// AllowConflicts adopts resources whose create-only fields differ as
	// they are (tfstate.Report.Refuse); default false.
	AllowConflicts bool
	// Report shows the report; it is called before anything is refused or
	// written, so a refusal comes after the conflicts it lists.
	Report func(*tfstate.Report) error
	// Progress gets the line saying what was written.
	Progress io.Writer
}

// Import matches the Terraform state to what env renders (with its
// committed late values, late) and writes env's imports file next to the
// configuration (render import). With conflicts it refuses and writes
// nothing (tfstate.ErrConflicts).
func Import(cfg *config.Config, env config.Environment, late config.LateValues, o ImportOptions) error {
	st, err := tfstate.ReadFile(o.State)
	if err != nil {
		return err
	}
	set, err := schema.Load()
	if err != nil {
		return err
	}
	bare := env
	bare.Adopt = nil // match what render renders, not what an old imports file adopts
	rep, adoptions, err := tfstate.Import(tfstate.Input{Env: env.Name, Account: env.AccountID, Region: env.Region, State: st, Late: late, Schema: set,
		Render: func(l config.LateValues) ([]*unstructured.Unstructured, error) { return gen.EnvObjects(bare, l, false) }})
	if err != nil {
		return err
	}
	if err := o.Report(rep); err != nil {
		return err
	}
	if err := rep.Refuse(o.AllowConflicts); err != nil {
		return err
	}
	path := ImportsPath(cfg, env.Name)
	if err := writeImports(path, env.Name, adoptions); err != nil {
		return err
	}
	fmt.Fprintf(o.Progress, "\nwrote %s (%d objects adopt existing resources)\n", path, len(adoptions))
	return nil
}

// writeImports writes the imports file atomically, with a header saying
// where it comes from.
func writeImports(path, env string, adoptions []config.Adoption) error {
	if adoptions == nil {
		adoptions = []config.Adoption{}
	}
	doc := config.Imports{APIVersion: config.APIVersion, Kind: config.ImportsKind, Environment: env, Adopt: adoptions}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	header := fmt.Sprintf("# Written by render import %s: the AWS resources render's objects adopt. Commit it.\n", env)
	return WriteAtomic(path, append([]byte(header), b...), 0o644)
}
