package orchestrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/diff"
	"github.com/eks-render/render/internal/eksversion"
)

// LoadConfig reads and validates the configuration file on day (for the
// EKS version calendar), printing its warnings on warn, with each
// environment's committed imports file (render import).
func LoadConfig(file string, day eksversion.Day, warn io.Writer) (*config.Config, error) {
	if file == "" {
		return nil, fmt.Errorf("--config is empty; want the configuration file, e.g. platform.yaml")
	}
	data, err := config.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read configuration: %w; start a platform with render init --name NAME --account-id ID (render init --help), or name the file with --config", err)
	}
	if err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	cfg, err := config.Parse(file, data, day)
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(warn, "warning: %s\n", w)
	}
	if err := loadImports(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Environment loads the configuration file (LoadConfig) and finds
// environment name and its committed outputs file, if any: what every
// command about one environment starts from.
func Environment(file, name string, day eksversion.Day, warn io.Writer) (*config.Config, *config.Environment, Committed, error) {
	cfg, err := LoadConfig(file, day, warn)
	if err != nil {
		return nil, nil, Committed{}, err
	}
	env, err := cfg.Environment(name)
	if err != nil {
		return nil, nil, Committed{}, err
	}
	late, err := LoadLate(cfg)
	if err != nil {
		return nil, nil, Committed{}, err
	}
	values, ok := late[name]
	return cfg, env, Committed{File: OutputsPath(cfg, name), Present: ok, Values: values}, nil
}

// ImportsPath is where environment env's imports file lives: imports/ next
// to the configuration file.
func ImportsPath(cfg *config.Config, env string) string {
	return filepath.Join(filepath.Dir(cfg.File), filepath.FromSlash(config.ImportsFile(env)))
}

// loadImports reads the committed imports file of every environment that
// has one into the environment: render gen renders its adoptions.
func loadImports(cfg *config.Config) error {
	for i, env := range cfg.Environments {
		path := ImportsPath(cfg, env.Name)
		data, ok, err := readOptional(path)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if cfg.Environments[i].Adopt, err = config.ParseImports(path, env.Name, data); err != nil {
			return err
		}
	}
	return nil
}

// readOptional reads a committed per-environment file, bounded like
// platform.yaml (a huge file or a device is an error); false when it does
// not exist.
func readOptional(path string) ([]byte, bool, error) {
	data, err := config.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	return data, err == nil, err
}

// OutputsPath is where environment env's outputs file lives: outputs/ next
// to the configuration file.
func OutputsPath(cfg *config.Config, env string) string {
	return filepath.Join(filepath.Dir(cfg.File), filepath.FromSlash(config.OutputsFile(env)))
}

// LoadLate reads the committed outputs file of every environment that has
// one: the late values for GitOps, so render gen renders the second phase.
func LoadLate(cfg *config.Config) (map[string]config.LateValues, error) {
	late := map[string]config.LateValues{}
	for _, env := range cfg.Environments {
		path := OutputsPath(cfg, env.Name)
		data, ok, err := readOptional(path)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if late[env.Name], err = config.ParseOutputs(path, env.Name, data); err != nil {
			return nil, err
		}
	}
	return late, nil
}

// DiffInput reads dir/platform.yaml and the outputs files next to it.
func DiffInput(dir string, day eksversion.Day, warn io.Writer) (diff.Input, error) {
	cfg, err := LoadConfig(filepath.Join(dir, "platform.yaml"), day, warn)
	if err != nil {
		return diff.Input{}, err
	}
	late, err := LoadLate(cfg)
	if err != nil {
		return diff.Input{}, err
	}
	return diff.Input{Config: cfg, Late: late}, nil
}

// DiffSide reads one side of render diff --from/--to: a directory holding
// platform.yaml (and outputs/), or else a git revision of the repository
// around the current directory, whose platform.yaml (the --config path)
// outputs/ and imports/ are read from git, never checked out.
func DiffSide(ctx context.Context, flag, arg, configFile string, day eksversion.Day, warn io.Writer) (diff.Input, error) {
	if info, err := os.Stat(arg); err == nil && info.IsDir() {
		return DiffInput(arg, day, warn)
	}
	rev, err := git(ctx, "rev-parse", "--verify", "--quiet", arg+"^{commit}")
	rev = strings.TrimSpace(rev)
	if err != nil || rev == "" {
		return diff.Input{}, fmt.Errorf("--%s %q is neither a directory nor a git revision of the repository here (%s)", flag, arg, revisions(ctx))
	}
	prefix, err := git(ctx, "rev-parse", "--show-prefix")
	prefix = strings.TrimSpace(prefix)
	if err != nil {
		return diff.Input{}, fmt.Errorf("--%s %s: %w", flag, arg, err)
	}
	file := path.Clean(path.Join(prefix, filepath.ToSlash(configFile)))
	if strings.HasPrefix(file, "../") {
		return diff.Input{}, fmt.Errorf("--%s %s: --config %s is outside the git repository", flag, arg, configFile)
	}
	data, err := git(ctx, "show", rev+":"+file)
	if err != nil {
		return diff.Input{}, fmt.Errorf("--%s %s: %s is not in that revision: %w", flag, arg, file, err)
	}
	name := arg + ":" + file
	cfg, err := config.Parse(name, []byte(data), day)
	if err != nil {
		return diff.Input{}, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(warn, "warning: %s: %s\n", arg, w)
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

// revisions says which revisions the repository here has, for an error
// about one it has not: the current branch and up to maxRevisions
// branches and tags.
func revisions(ctx context.Context) string {
	if _, err := git(ctx, "rev-parse", "--git-dir"); err != nil {
		return "the current directory is in no git repository"
	}
	var says []string
	if cur, err := git(ctx, "branch", "--show-current"); err == nil && strings.TrimSpace(cur) != "" {
		says = append(says, "the current branch is "+strings.TrimSpace(cur))
	}
	refs, err := git(ctx, "for-each-ref", "--format=%(refname:short)", "--count="+strconv.Itoa(maxRevisions+1), "refs/heads", "refs/remotes", "refs/tags")
	if names := strings.Fields(refs); err == nil && len(names) > 0 {
		list := strings.Join(names[:min(len(names), maxRevisions)], ", ")
		if len(names) > maxRevisions {
			list += ", ..."
		}
		says = append(says, "branches and tags: "+list)
	}
	if len(says) == 0 {
		return "the repository has no commits"
	}
	return strings.Join(says, "; ")
}

// maxRevisions is how many branches and tags an error lists.
const maxRevisions = 10

// gitFile returns the content of file at rev, and false when rev has no
// such file.
func gitFile(ctx context.Context, rev, file string) (string, bool, error) {
	if _, err := git(ctx, "cat-file", "-e", rev+":"+file); err != nil {
		return "", false, nil
	}
	b, err := git(ctx, "show", rev+":"+file)
	return b, err == nil, err
}
