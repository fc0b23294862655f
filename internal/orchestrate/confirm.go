package orchestrate

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/eks-render/render/internal/config"
)

// Prompt is where render delete asks for a confirmation: In is read only
// when Terminal says a person types into it (a pipe is never read as a
// confirmation); the question goes to Out.
type Prompt struct {
	In       io.Reader
	Terminal bool
	Out      io.Writer
}

// needsConfirmation tells whether deleting env needs its name typed or
// --yes: prod, and any environment with deletion protection.
func needsConfirmation(env config.Environment) bool {
	return env.Name == "prod" || env.Cluster.DeletionProtection
}

// ConfirmDelete asks for env's name before total objects are deleted,
// unless yes or env needs no confirmation. Without a terminal to ask on,
// it refuses.
func ConfirmDelete(env config.Environment, total int, yes bool, p Prompt) error {
	if yes || !needsConfirmation(env) {
		return nil
	}
	if p.In == nil || !p.Terminal {
		return fmt.Errorf("refusing to delete environment %s (%d objects) without confirmation: rerun with --yes, or on a terminal to type its name", env.Name, total)
	}
	fmt.Fprintf(p.Out, "Type the environment's name (%s) to delete it: ", env.Name)
	line, err := bufio.NewReader(p.In).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("not confirmed: %w", err)
	}
	if got := strings.TrimSpace(line); got != env.Name {
		return fmt.Errorf("not confirmed: typed %q, not %q; nothing deleted", got, env.Name)
	}
	return nil
}
