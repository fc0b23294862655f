package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/diff"
)

// diffSide reads one side of render diff --from/--to: a directory holding
// platform.yaml (and outputs/), or else a git revision of the repository
// around the current directory, whose platform.yaml (the --config path)
// outputs/ and imports/ are read from git, never checked out.
func (f *diffFlags) diffSide(ctx context.Context, flag, arg string, streams IOStreams) (diff.Input, error) {
	if info, err := os.Stat(arg); err == nil && info.IsDir() {
		return diffInput(arg, streams)
	}
	rev, err := git(ctx, "rev-parse", "--verify", "--quiet", arg+"^{commit}")
	rev = strings.TrimSpace(rev)
	if err != nil || rev == "" {
		return diff.Input{}, fmt.Errorf("--%s %q is neither a directory nor a git revision of the repository here", flag, arg)
	}
	prefix, err := git(ctx, "rev-parse", "--show-prefix")
	prefix = strings.TrimSpace(prefix)
	if err != nil {
		return diff.Input{}, fmt.Errorf("--%s %s: %w", flag, arg, err)
	}
	file := path.Clean(path.Join(prefix, filepath.ToSlash(f.file)))
	if strings.HasPrefix(file, "../") {
		return diff.Input{}, fmt.Errorf("--%s %s: --config %s is outside the git repository", flag, arg, f.file)
	}
	data, err := git(ctx, "show", rev+":"+file)
	if err != nil {
		return diff.Input{}, fmt.Errorf("--%s %s: %s is not in that revision: %w", flag, arg, file, err)
	}
	name := arg + ":" + file
	cfg, err := config.Parse(name, []byte(data))
	if err != nil {
		return diff.Input{}, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(streams.ErrOut, "warning: %s: %s\n", arg, w)
	}
	late := map[string]config.LateValues{}
	for i, env := range cfg.Environments {
		out := path.Join(path.Dir(file), config.OutputsFile(env.Name))
		b, ok, err := gitFile(ctx, rev, out)
		if err != nil {
			return diff.Input{}, fmt.Errorf("--%s %s: %w", flag, arg, err)
		}
		if ok {
			if late[env.Name], err = config.ParseOutputs(arg+":"+out, env.Name, []byte(b)); err != nil {
				return diff.Input{}, err
			}
		}
		imp := path.Join(path.Dir(file), config.ImportsFile(env.Name))
		if b, ok, err = gitFile(ctx, rev, imp); err != nil {
			return diff.Input{}, fmt.Errorf("--%s %s: %w", flag, arg, err)
		}
		if ok {
			if cfg.Environments[i].Adopt, err = config.ParseImports(arg+":"+imp, env.Name, []byte(b)); err != nil {
				return diff.Input{}, err
			}
		}
	}
	return diff.Input{Config: cfg, Late: late}, nil
}

// gitFile returns the content of file at rev, and false when rev has no
// such file.
func gitFile(ctx context.Context, rev, file string) (string, bool, error) {
	if _, err := git(ctx, "cat-file", "-e", rev+":"+file); err != nil {
		return "", false, nil
	}
	b, err := git(ctx, "show", rev+":"+file)
	return b, err == nil, err
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
