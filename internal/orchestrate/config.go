package orchestrate

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/diff"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/gen"
)

// Input is where a run reads its configuration: File (--config), checked
// against the EKS calendar on the day Today names (--today, YYYY-MM-DD),
// else on the day Now gives (time.Now when nil, in UTC), with its
// warnings on Warn.
type Input struct {
	File, Today string
	Now         func() time.Time
	Warn        io.Writer
}

// Day is the day cluster.version is checked on: Today, else the clock's.
func (in Input) Day() (eksversion.Day, error) {
	if in.Today != "" {
		d, err := eksversion.ParseDay(in.Today)
		if err != nil {
			return eksversion.Day{}, fmt.Errorf("--today: %w", err)
		}
		return d, nil
	}
	if in.Now == nil {
		return eksversion.DayOf(time.Now()), nil
	}
	return eksversion.DayOf(in.Now()), nil
}

// Load reads and validates the configuration file (LoadConfig) on Day.
func (in Input) Load() (*config.Config, error) {
	day, err := in.Day()
	if err != nil {
		return nil, err
	}
	return LoadConfig(in.File, day, in.Warn)
}

// Environment loads the configuration on Day and finds environment name
// and its committed outputs file (Environment).
func (in Input) Environment(name string) (*config.Config, *config.Environment, Committed, error) {
	day, err := in.Day()
	if err != nil {
		return nil, nil, Committed{}, err
	}
	return Environment(in.File, name, day, in.Warn)
}

// DiffRenderings compares every environment of two configurations on Day
// (DiffRenderings).
func (in Input) DiffRenderings(ctx context.Context, from, to string) (*diff.Report, error) {
	day, err := in.Day()
	if err != nil {
		return nil, err
	}
	return DiffRenderings(ctx, from, to, in.File, day, in.Warn)
}

// WriteEnv renders the tree (Tree with o) and writes environment env's
// overlay, its workload with workload, to w in format (WriteEnv).
func (in Input) WriteEnv(w io.Writer, o TreeOptions, env string, workload bool, format Format) error {
	cfg, out, _, err := in.Tree(o)
	if err != nil {
		return err
	}
	return WriteEnv(w, cfg, out.Files, env, workload, format)
}

// WriteTree renders the tree (Tree with o) and writes it under dir, or
// with check only compares it (WriteTree), saying so on Warn.
func (in Input) WriteTree(dir string, o TreeOptions, check bool) error {
	_, out, owned, err := in.Tree(o)
	if err != nil {
		return err
	}
	return WriteTree(dir, owned, out, check, in.Warn)
}

// Tree renders every environment's tree on Day with the GitOps choices o
// (Tree).
func (in Input) Tree(o TreeOptions) (*config.Config, *gen.Output, []string, error) {
	day, err := in.Day()
	if err != nil {
		return nil, nil, nil, err
	}
	o.Day = day
	return Tree(in.File, in.Warn, o)
}
