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
func Holder(commit *Commit) string {
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
	if c, modified := commit.Get(); c != "" {
		id += fmt.Sprintf(" (%s at %s", filepath.Base(commit.file), c[:min(12, len(c))])
		if modified {
			id += ", modified"
		}
		id += ")"
	}
	return id
}

// Commit is ConfigCommit of one configuration file, read once, in the
// background, from when ReadCommit is called: a run's locks and the
// provenance it records all name the commit the run started from, and
// the git processes run while the run does its first requests.
type Commit struct {
	file     string
	done     chan struct{}
	commit   string
	modified bool
}

// ReadCommit starts reading ConfigCommit(ctx, file).
func ReadCommit(ctx context.Context, file string) *Commit {
	c := &Commit{file: file, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		c.commit, c.modified = ConfigCommit(ctx, file)
	}()
	return c
}

// Get waits for the commit and returns it as ConfigCommit does.
func (c *Commit) Get() (string, bool) {
	<-c.done
	return c.commit, c.modified
}

// ConfigCommit is the commit HEAD of the git repository holding file, and
// whether file or the outputs directory beside it differs from it; ""
// when file is not in git. Two git processes, run at once: ls-files tells
// whether git tracks file, and one status (porcelain v2, whose branch.oid
// header is HEAD's commit) tells the rest.
func ConfigCommit(ctx context.Context, file string) (string, bool) {
	dir, base := filepath.Dir(file), filepath.Base(file)
	tracked := make(chan error, 1)
	go func() {
		_, err := git(ctx, "-C", dir, "ls-files", "--error-unmatch", base)
		tracked <- err
	}()
	status, err := git(ctx, "-C", dir, "status", "--porcelain=v2", "--branch", "--", base, "outputs")
	if terr := <-tracked; terr != nil || err != nil {
		return "", false
	}
	var commit string
	var modified bool
	for _, line := range strings.Split(status, "\n") {
		switch {
		case strings.HasPrefix(line, "# branch.oid "):
			commit = strings.TrimPrefix(line, "# branch.oid ")
		case line != "" && !strings.HasPrefix(line, "# "):
			modified = true // an entry: changed, staged or untracked
		}
	}
	if commit == "(initial)" { // no commit yet
		return "", false
	}
	return commit, modified
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
