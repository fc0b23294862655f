package orchestrate

import (
	"context"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/diff"
)

// Backwards finds what env's committed files would move back in AWS if a
// GitOps tool applied them now (diff.Backwards): the values its outputs
// file records that the live management cluster m has others of, and the
// fields of the tree render gen writes from them that are older than the
// live ones. Nil without an outputs file: the environment is not on the
// GitOps path.
func Backwards(ctx context.Context, m *apply.Manager, env config.Environment, committed Committed) (*diff.Backwards, error) {
	if !committed.Present {
		return nil, nil
	}
	r, err := rendering(env, committed.Values, "")
	if err != nil {
		return nil, err
	}
	live, err := m.GetEach(ctx, r.Objects, func(u *unstructured.Unstructured) bool {
		_, ok := diff.VersionPath(u)
		return ok
	})
	if err != nil {
		return nil, err
	}
	late, err := m.LateValues(ctx, r.Objects)
	if err != nil {
		return nil, err
	}
	b := &diff.Backwards{File: committed.File, Objects: diff.BackwardsOf(r.Objects, live), Fix: fix(env.Name)}
	for _, v := range changedValues(committed.Values, late) {
		// A value the file lacks leaves the tree incomplete, not behind.
		if v.Committed != "" {
			b.Values = append(b.Values, v)
		}
	}
	return b, nil
}

// fix is the command that brings environment env's committed files up to
// date with the live environment.
func fix(env string) string { return "render outputs " + env + " && render gen" }

// changedValues lists the values of an outputs file that live knows and
// committed records otherwise (or not at all).
func changedValues(committed, live config.LateValues) []diff.StaleValue {
	var out []diff.StaleValue
	ls := recorded(&live)
	for i, f := range recorded(&committed) {
		if c, l := *f.ptr, *ls[i].ptr; l != "" && c != l {
			out = append(out, diff.StaleValue{Name: f.name, Committed: c, Live: l})
		}
	}
	return out
}
