package orchestrate

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/eks-render/render/internal/apply"
)

// Holder says who this run is, for a person reading the lock: user@host
// pid N run ID, and the commit of the configuration file when it is in
// git ("modified" when it differs from that commit).
func Holder(ctx context.Context, configFile string) string {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	// The run's own ID tells two runs of one process apart (and a run from
	// a later one reusing its pid).
	run := make([]byte, 3)
	_, _ = rand.Read(run)
	id := fmt.Sprintf("%s@%s pid %d run %x", name, host, os.Getpid(), run)
	if commit, modified := ConfigCommit(ctx, configFile); commit != "" {
		id += fmt.Sprintf(" (%s at %s", filepath.Base(configFile), commit[:min(12, len(commit))])
		if modified {
			id += ", modified"
		}
		id += ")"
	}
	return id
}

// ConfigCommit is the commit HEAD of the git repository holding file, and
// whether file differs from it; "" when file is not in git.
func ConfigCommit(ctx context.Context, file string) (string, bool) {
	dir := filepath.Dir(file)
	commit, err := git(ctx, "-C", dir, "rev-parse", "--verify", "--quiet", "HEAD")
	if err != nil {
		return "", false
	}
	if _, err := git(ctx, "-C", dir, "ls-files", "--error-unmatch", filepath.Base(file)); err != nil {
		return "", false
	}
	status, err := git(ctx, "-C", dir, "status", "--porcelain", "--", filepath.Base(file), "outputs")
	return strings.TrimSpace(commit), err != nil || strings.TrimSpace(status) != ""
}

// LockLost turns the error of a run whose lock was lost into that cause.
func LockLost(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); err != nil && errors.Is(cause, apply.ErrLockLost) {
		return cause
	}
	return err
}

// IsAncestor reports whether commit a is an ancestor of commit b in the
// repository holding file; it errs when git cannot tell (a commit this
// clone does not have).
func IsAncestor(ctx context.Context, file, a, b string) (bool, error) {
	cmd := exec.CommandContext(ctx, "git", "-C", filepath.Dir(file), "merge-base", "--is-ancestor", a, b)
	var errOut strings.Builder
	cmd.Stderr = &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return false, nil
	case errOut.Len() > 0:
		return false, fmt.Errorf("git merge-base: %s", strings.TrimSpace(errOut.String()))
	}
	return false, fmt.Errorf("git merge-base: %w", err)
}

// git runs git in the current directory and returns its stdout; the error
// carries its stderr.
func git(ctx context.Context, args ...string) (string, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(errOut.String()); msg != "" {
			return "", fmt.Errorf("git %s: %s", args[0], msg)
		}
		return "", fmt.Errorf("git %s: %w", args[0], err)
	}
	return out.String(), nil
}
