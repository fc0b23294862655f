package ci

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sync"
)

//go:embed templates
var templates embed.FS

// Provider is a CI service render init --ci writes jobs for.
type Provider string

// The providers.
const (
	GitHub Provider = "github"
	GitLab Provider = "gitlab"
)

// String returns the provider's name as --ci takes it.
func (p Provider) String() string { return string(p) }

// Providers are the providers, in the order --ci's help lists them.
var Providers = []Provider{GitHub, GitLab}

// ParseProvider reads a --ci value.
func ParseProvider(s string) (Provider, error) {
	for _, p := range Providers {
		if s == string(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("--ci %q: want github or gitlab", s)
}

// Placeholder is the render version the templates carry, and examples/ci
// keeps: render init --ci replaces it with its own version.
const Placeholder = "vX.Y.Z"

// layout says where a provider's templates go: under templates/<dir>,
// written to the repository under repoDir (the name mapped through rename)
// and to examples/ci/<dir>.
type layout struct {
	dir, repoDir string
	rename       map[string]string
}

// layoutOf returns p's layout; a function, not a map, so that render's
// start-up allocates nothing for it (TestStartupInitialisesLittle).
func layoutOf(p Provider) (layout, bool) {
	switch p {
	case GitHub:
		return layout{dir: "github-actions", repoDir: ".github/workflows"}, true
	case GitLab:
		// go:embed leaves out files whose names start with a dot.
		return layout{dir: "gitlab", repoDir: ".", rename: map[string]string{"gitlab-ci.yml": ".gitlab-ci.yml"}}, true
	}
	return layout{}, false
}

// version matches what a job may pin render to: a module version (a
// release or a pseudo-version) or a commit, the forms go install
// ...@version takes. Compiled on first use, not at start-up.
var version = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?|[0-9a-f]{7,40})$`)
})

// CheckVersion reports whether v can pin render in a job.
func CheckVersion(v string) error {
	if !version().MatchString(v) {
		return fmt.Errorf("render version %q cannot pin the CI jobs; want a module version (v1.2.3) or a commit", v)
	}
	return nil
}

// Files returns p's jobs as render init --ci writes them, by path from the
// repository root, with render pinned to v.
func Files(p Provider, v string) (map[string][]byte, error) {
	if err := CheckVersion(v); err != nil {
		return nil, err
	}
	l, ok := layoutOf(p)
	if !ok {
		return nil, fmt.Errorf("no CI jobs for %q", p)
	}
	return l.files(l.repoDir, v)
}

// Examples returns what examples/ci holds: every provider's jobs under
// examples/ci/<github-actions|gitlab>, with the placeholder version.
func Examples() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, p := range Providers {
		l, _ := layoutOf(p)
		files, err := l.files(path.Join("examples", "ci", l.dir), Placeholder)
		if err != nil {
			return nil, err
		}
		for name, b := range files {
			out[name] = b
		}
	}
	return out, nil
}

func (l layout) files(dir, v string) (map[string][]byte, error) {
	src := path.Join("templates", l.dir)
	entries, err := fs.ReadDir(templates, src)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := fs.ReadFile(templates, path.Join(src, e.Name()))
		if err != nil {
			return nil, err
		}
		name := e.Name()
		if to, ok := l.rename[name]; ok {
			name = to
		}
		out[path.Join(dir, name)] = bytes.ReplaceAll(b, []byte(Placeholder), []byte(v))
	}
	return out, nil
}
