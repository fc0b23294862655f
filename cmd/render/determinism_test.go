package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// processEnv is one way to run the render binary.
type processEnv struct {
	name       string
	gomaxprocs string
	tz, locale string
	// elsewhere runs render from another directory, naming the
	// configuration by its absolute path; the tree lands in that directory.
	elsewhere bool
}

// TestGenIsByteIdenticalAcrossProcesses runs the built render binary as a
// process under different GOMAXPROCS, time zones, locales and working
// directories, and requires the same tree (paths, bytes, modes) and the
// same stdout from each.
func TestGenIsByteIdenticalAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the render binary")
	}
	bin := filepath.Join(t.TempDir(), "render")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	runs := []processEnv{
		{name: "reference", gomaxprocs: "1", tz: "UTC", locale: "C"}, // runs[0]
		{name: "two threads, Chatham, Turkish", gomaxprocs: "2", tz: "Pacific/Chatham", locale: "tr_TR.UTF-8"},
		{name: "eight threads, Kathmandu, German", gomaxprocs: "8", tz: "Asia/Kathmandu", locale: "de_DE.UTF-8"},
		{name: "from another directory", gomaxprocs: "1", tz: "UTC", locale: "C", elsewhere: true},
		{name: "from another directory, Chatham, German", gomaxprocs: "8", tz: "Pacific/Chatham", locale: "de_DE.UTF-8", elsewhere: true},
		{name: "two threads, Kathmandu, Turkish", gomaxprocs: "2", tz: "Asia/Kathmandu", locale: "tr_TR.UTF-8", elsewhere: true},
	}
	want, wantOut := genProcess(t, bin, runs[0])
	if len(want) < 80 || !strings.Contains(wantOut, "kind: FlowLog") {
		t.Fatalf("the reference run rendered %d paths and no second phase", len(want))
	}
	for _, r := range runs[1:] {
		t.Run(r.name, func(t *testing.T) {
			tree, out := genProcess(t, bin, r)
			if diff := cmp.Diff(want, tree); diff != "" {
				t.Errorf("tree differs from the reference run (-reference +this):\n%s", diff)
			}
			if diff := cmp.Diff(wantOut, out); diff != "" {
				t.Errorf("render gen -o - --env prod differs from the reference run (-reference +this):\n%s", diff)
			}
		})
	}
}

// genProcess runs render gen and render gen -o - --env prod in a fresh
// project as r says, and returns the tree written and the printed YAML.
func genProcess(t *testing.T, bin string, r processEnv) (map[string]string, string) {
	t.Helper()
	project := t.TempDir()
	example, err := os.ReadFile("../../platform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(project, "platform.yaml"), string(example))
	writeOutputs(t, project, "prod", prodOutputs) // the second phase too
	cwd, config, treeDir := project, "platform.yaml", project
	if r.elsewhere {
		cwd = t.TempDir()
		config, treeDir = filepath.Join(project, "platform.yaml"), cwd
	}
	env := append(withoutVars(os.Environ(), "GOMAXPROCS", "TZ", "LANG", "LANGUAGE", "GODEBUG", "PWD", "LC_"),
		"GOMAXPROCS="+r.gomaxprocs, "TZ="+r.tz, "LANG="+r.locale, "LC_ALL="+r.locale, "PWD="+cwd)
	runIn := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = cwd, env
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("render %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}
	runIn("gen", "--config", config)
	out := runIn("gen", "--config", config, "-o", "yaml", "--env", "prod")
	tree := treeOf(t, treeDir)
	return tree, out
}

// treeOf is tree restricted to what render owns.
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for p, desc := range tree(t, dir) {
		if p == "base" || p == "overlays" || strings.HasPrefix(p, "base/") || strings.HasPrefix(p, "overlays/") {
			out[p] = desc
		}
	}
	return out
}

// withoutVars drops the variables named, or, for a name ending in _,
// starting with it.
func withoutVars(environ []string, names ...string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			if name == n || (strings.HasSuffix(n, "_") && strings.HasPrefix(name, n)) {
				drop = true
			}
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}
