package orchestrate

import (
	"context"
	"fmt"
	"io"

	"github.com/eks-render/render/internal/apply"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/gen"
	"github.com/eks-render/render/internal/graph"
)

// applyAccountMap writes env's entry of the ACK controllers' account map
// before its objects, when env is in another account: without it the
// controllers leave every object "IAM Role is not available".
func applyAccountMap(ctx context.Context, m *apply.Manager, env *config.Environment, progress io.Writer) error {
	if env == nil {
		return nil
	}
	u, err := gen.AccountMapObject(*env)
	if u == nil || err != nil {
		return err
	}
	if err := m.ApplyShared(ctx, u, gen.AccountMapFieldManager(*env)); err != nil {
		return err
	}
	fmt.Fprintf(progress, "%s: account %s mapped to role %s\n", graph.NameOf(u), env.AccountID, gen.CrossAccountRoleARN(*env))
	return nil
}

// releaseAccountMap removes env's entry of the account map once its
// objects are gone; the entries of other environments stay.
func releaseAccountMap(ctx context.Context, m *apply.Manager, env config.Environment, progress io.Writer) error {
	u, err := gen.AccountMapObject(env)
	if u == nil || err != nil {
		return err
	}
	if err := m.ReleaseShared(ctx, u, gen.AccountMapFieldManager(env)); err != nil {
		return err
	}
	fmt.Fprintf(progress, "%s: entry of environment %s removed\n", graph.NameOf(u), env.Name)
	return nil
}
