package orchestrate

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/eks-render/render/internal/config"
)

// WriteKubeconfig writes kc, the kubeconfig of cluster, to path (default
// "<cluster>.kubeconfig") with mode 0600, atomically. It never replaces
// the user's default kubeconfig (~/.kube/config, or a file $KUBECONFIG
// names) unless overwrite.
func WriteKubeconfig(path, cluster string, kc []byte, overwrite bool, progress io.Writer) error {
	if path == "" {
		path = cluster + ".kubeconfig"
	}
	if isDefaultKubeconfig(path) && !overwrite {
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%s is your default kubeconfig; pass --overwrite to replace it, or choose another --out-file", path)
		}
	}
	if err := WriteAtomic(path, kc, 0o600); err != nil {
		return err
	}
	fmt.Fprintf(progress, "wrote %s (context %s)\n", path, cluster)
	return nil
}

// isDefaultKubeconfig reports whether path is ~/.kube/config or a file
// $KUBECONFIG names.
func isDefaultKubeconfig(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return true
	}
	candidates := filepath.SplitList(os.Getenv("KUBECONFIG"))
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(home, ".kube", "config"))
	}
	for _, c := range candidates {
		if c, err := filepath.Abs(c); err == nil && c == abs {
			return true
		}
	}
	return false
}

// Init writes a new platform.yaml at path (render init): config.Skeleton
// of o, checked before anything is written, and the extra files (render
// init --ci's CI jobs), by path from path's directory. It never overwrites
// a file, not even one created while it runs: it writes all of them or,
// when one exists, none.
func Init(path string, o config.SkeletonOptions, extra map[string][]byte, progress io.Writer) error {
	if o.Name == "" {
		return fmt.Errorf("--name is required, e.g. --name shop")
	}
	if len(o.Admins) == 0 && o.AccountID == "" {
		return fmt.Errorf("--admin is required without --account-id: an IAM role or user ARN to get cluster-admin")
	}
	paths := []string{path}
	files := map[string][]byte{}
	for p, b := range extra {
		full := filepath.Join(filepath.Dir(path), filepath.FromSlash(p))
		files[full] = b
		paths = append(paths, full)
	}
	slices.Sort(paths[1:])
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s exists; render init never overwrites a file", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	data, err := config.Skeleton(o)
	if err != nil {
		return asInitFlags(err)
	}
	files[path] = data
	var written []string
	for _, p := range paths {
		if err := createNew(p, files[p]); err != nil {
			for _, w := range written {
				os.Remove(w)
			}
			return err
		}
		written = append(written, p)
	}
	for _, p := range paths[1:] {
		fmt.Fprintf(progress, "wrote %s\n", p)
	}
	fmt.Fprintf(progress, "wrote %s; next: render gen\n", path)
	return nil
}

// createNew writes data to path, which must not exist, creating its
// directory.
func createNew(path string, data []byte) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := out.Write(data); err != nil {
		out.Close()
		os.Remove(path)
		return err
	}
	return out.Close()
}

// initFlags name the render init flag each field of the file it writes
// comes from, so that an error points at the command line, not at a line
// of a file that was never written.
var initFlags = []struct{ field, flag string }{
	{"spec.name", "--name"},
	{"spec.region", "--region"},
	{"spec.accountID", "--account-id"},
	{"spec.cluster.admins", "--admin"},
	{"spec.cluster.version", "--today"},
	{"environments", "--environments"},
}

// initFlagError is a FieldError of the file render init would have
// written, told as the flag its value came from.
type initFlagError struct {
	flag string
	err  *config.FieldError
}

func (e initFlagError) Error() string { return e.flag + ": " + e.err.Msg }
func (e initFlagError) Unwrap() error { return e.err }

// asInitFlags turns each FieldError in err into the flag it came from;
// err unchanged when one names a field no flag sets.
func asInitFlags(err error) error {
	var fields config.Errors
	if !errors.As(err, &fields) {
		return err
	}
	out := make([]error, len(fields))
	for i, fe := range fields {
		j := slices.IndexFunc(initFlags, func(f struct{ field, flag string }) bool {
			return fe.Path == f.field || strings.HasPrefix(fe.Path, f.field+".") || strings.HasPrefix(fe.Path, f.field+"[")
		})
		if j < 0 {
			return err
		}
		out[i] = initFlagError{initFlags[j].flag, fe}
	}
	return errors.Join(out...)
}
