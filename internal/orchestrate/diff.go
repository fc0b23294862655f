package orchestrate

import (
	"context"
	"io"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/awsauth"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/diff"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/schema"
)

// DiffLive compares env, rendered as render apply would render it (Render),
// with the live management cluster m: each object dry-run applied, and the
// members of render's ApplySet it no longer renders, which render apply
// --prune would delete, as removed; and, in sections of their own, what
// env's committed files would move back in AWS (Backwards) and, on
// network.existing, what only AWS can check (diff.Assumptions).
func DiffLive(ctx context.Context, m *apply.Manager, env config.Environment, committed Committed, progress io.Writer) (*diff.Report, error) {
	r, err := Render(ctx, m, env, committed, progress)
	if err != nil {
		return nil, err
	}
	r.Announce(progress)
	if r.Late.ClusterVersion != "" && r.Late.ClusterVersion != env.Cluster.Version {
		// render apply upgrades the control plane first and then applies
		// the node group and add-ons for the new version: show those.
		late := r.Late
		late.ClusterVersion = env.Cluster.Version // not "": an adopted cluster's imports entry would hold them back again
		if r, err = rendering(env, late, r.From); err != nil {
			return nil, err
		}
	}
	objs := r.Objects
	live, applied, err := m.Live(ctx, objs)
	if err != nil {
		return nil, err
	}
	s, err := schema.Load()
	if err != nil {
		return nil, err
	}
	pruned, err := m.PruneCandidates(ctx, EnvApplySet(env), objs)
	if err != nil {
		return nil, err
	}
	e, err := diff.CompareLive(env.Name, diff.ManagementTarget, live, applied, pruned, s)
	if err != nil {
		return nil, err
	}
	back, err := Backwards(ctx, m, env, committed)
	if err != nil {
		return nil, err
	}
	if !back.Empty() {
		e.Backwards = back
	}
	if env.Network.Existing != nil {
		withStatus, err := m.GetEach(ctx, objs, diff.NamesSubnets)
		if err != nil {
			return nil, err
		}
		e.Assumed = diff.Assumptions(env, withStatus)
	}
	e.Kept = diff.KeptOf(env, objs)
	e.AuthenticationMode = diff.ModeStepOf(runningMode(env, r.Late), objs)
	if e.AuthenticationMode != nil && stepsToAPI(env, r.Late, objs) {
		// Through GitOps nobody checks aws-auth before the step but this
		// review: render apply refuses it (checkAccess).
		entries, from := envAWSAuth(ctx, env, r.Late, objs)
		e.AuthenticationMode.AWSAuth, e.AuthenticationMode.LosingAccess = &from, awsauth.Losing(entries)
	}
	return &diff.Report{Changed: len(e.Objects) > 0 || e.Backwards != nil || e.AuthenticationMode != nil, Environments: []diff.Environment{e}}, nil
}

// DiffRenderings compares every environment of two configurations (render
// diff --from --to); each side is a directory or a git revision of the
// repository around the working directory (DiffSide), whose configuration
// is at configFile.
func DiffRenderings(ctx context.Context, from, to, configFile string, day eksversion.Day, warn io.Writer) (*diff.Report, error) {
	older, err := DiffSide(ctx, "from", from, configFile, day, warn)
	if err != nil {
		return nil, err
	}
	newer, err := DiffSide(ctx, "to", to, configFile, day, warn)
	if err != nil {
		return nil, err
	}
	s, err := schema.Load()
	if err != nil {
		return nil, err
	}
	return diff.Compare(older, newer, s)
}
