package main

import (
	"encoding/json"
	"flag"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/version"
)

var update = flag.Bool("update", false, "rewrite the graph of dev in docs/how-it-works.md")

// The graph of dev in docs/how-it-works.md sits between these lines.
const (
	graphDoc   = "../../docs/how-it-works.md"
	graphStart = "<!-- render graph dev: kept current by TestGraphOfDevInTheDocs -->\n```mermaid\n"
	graphEnd   = "```\n"
)

// TestGraphOfDevInTheDocs keeps the picture of dev's graph in the docs
// what render graph dev prints; make docs rewrites it with -update.
func TestGraphOfDevInTheDocs(t *testing.T) {
	path, err := filepath.Abs(graphDoc) // before run changes directory
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, project(t), "graph", "dev")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok := strings.Cut(string(doc), graphStart)
	_, after, ok2 := strings.Cut(rest, graphEnd)
	if !ok || !ok2 {
		t.Fatalf("%s has no block starting %q", graphDoc, graphStart)
	}
	want := before + graphStart + out + graphEnd + after
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(doc) != want {
		t.Errorf("%s shows a stale graph of dev (run make docs); render graph dev prints:\n%s", graphDoc, out)
	}
}

func TestGraphFormats(t *testing.T) {
	dir := project(t)
	code, out, stderr := run(t, dir, "graph", "dev", "-o", "dot")
	if code != 0 || !strings.HasPrefix(out, "digraph render {\n") || !strings.Contains(out, `label="Namespace/demo-dev"`) {
		t.Errorf("dot: exit %d, stdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if code, old, stderr := run(t, dir, "graph", "dev", "--format", "dot"); code != 0 || old != out || !strings.HasPrefix(stderr, "warning: --format is deprecated; use -o/--output\n") {
		t.Errorf("--format dot: exit %d, stderr %q; want -o dot's output and a deprecation warning", code, stderr)
	}
	if code, _, stderr := run(t, dir, "graph", "dev", "-o", "svg"); code != 1 || withoutNotes(stderr) != "error: --output \"svg\": want mermaid or dot\n" {
		t.Errorf("-o svg: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := run(t, dir, "graph", "qa"); code != 1 || !strings.Contains(stderr, `no environment "qa"`) {
		t.Errorf("graph qa: exit %d, stderr %q", code, stderr)
	}
}

func TestInitWritesAFileThatRenders(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := run(t, dir, "init", "--name", "shop", "--region", "eu-central-1", "--account-id", "444455556666",
		"--environments", "dev,prod", "--fargate-only")
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, dir, "gen"); code != 0 {
		t.Fatalf("gen of the new file: exit %d: %s", code, stderr)
	}
	for _, p := range []string{"overlays/dev/kustomization.yaml", "overlays/prod/kustomization.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Error(err)
		}
	}
	_, out, _ := run(t, dir, "build", "dev")
	if !strings.Contains(out, "name: shop-dev") || strings.Contains(out, "kind: Nodegroup") {
		t.Errorf("build dev of the new file: want cluster shop-dev and no node group:\n%.2000s", out)
	}
}

func TestInitNeverOverwrites(t *testing.T) {
	dir := project(t)
	before, _ := os.ReadFile(filepath.Join(dir, "platform.yaml"))
	code, _, stderr := run(t, dir, "init", "--name", "x", "--account-id", "111122223333")
	if code != 1 || stderr != "error: platform.yaml exists; render init never overwrites a file\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "platform.yaml")); string(after) != string(before) {
		t.Error("platform.yaml changed")
	}
	for _, args := range [][]string{
		{"init", "-f", "new.yaml"},
		{"init", "-f", "new.yaml", "--name", "Bad_Name", "--account-id", "111122223333"},
		{"init", "-f", "new.yaml", "--name", "x"},
	} {
		if code, _, _ := run(t, dir, args...); code != 1 {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
		if _, err := os.Stat(filepath.Join(dir, "new.yaml")); err == nil {
			t.Errorf("%v wrote new.yaml", args)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, stderr := run(t, t.TempDir(), "version", "--output", "json")
	var v version.Info
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || !strings.HasPrefix(v.GoVersion, "go") || v.Version == "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	code, out, _ = run(t, t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(out, "render ") || !strings.Contains(out, "\nrevision ") {
		t.Errorf("text: exit %d, stdout %q", code, out)
	}
	if code, _, _ := run(t, t.TempDir(), "version", "-o", "yaml"); code != 1 {
		t.Errorf("-o yaml: exit %d, want 1", code)
	}
}

func TestFirstStepsWithoutAConfiguration(t *testing.T) {
	t.Run("gen says to run render init", func(t *testing.T) {
		code, _, stderr := run(t, t.TempDir(), "gen")
		if code != 1 || !strings.Contains(stderr, "platform.yaml: no such file or directory; start a platform with render init --name NAME") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("build without an environment lists them", func(t *testing.T) {
		code, out, stderr := run(t, project(t), "build")
		if code != 1 || out != "" || stderr != "error: name an environment of platform.yaml: dev, prod\n" {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
		}
	})
}

func TestInitErrorsNameTheFlag(t *testing.T) {
	code, _, stderr := run(t, t.TempDir(), "init", "--name", "Shop", "--account-id", "444455556666", "--environments", "dev,Prod")
	want := "error: --name: \"Shop\" is not a valid platform name: want lowercase letters, digits and '-', starting with a letter and not ending with '-'\n" +
		"--environments: environment name must be a DNS label of at most 20 characters: lowercase letters, digits and '-', starting with a letter\n"
	if code != 1 || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
}

func TestInitMarksThePlaceholderAdmin(t *testing.T) {
	const warning = `spec.cluster.admins[0]: "arn:aws:iam::111122223333:role/PlatformAdmin" ` + placeholderWarning
	dir := t.TempDir()
	if code, _, stderr := run(t, dir, "init", "--name", "shop", "--account-id", "111122223333"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "platform.yaml"))
	if !strings.Contains(string(b), "      # Placeholder: render init made this ARN up from --account-id; replace it\n") {
		t.Errorf("the admin ARN is not marked as a placeholder:\n%s", b)
	}
	code, _, stderr := run(t, dir, "gen")
	if code != 0 || !strings.Contains(stderr, "warning: platform.yaml:22:9: "+warning) {
		t.Errorf("gen: exit %d, want the warning, stderr:\n%s", code, stderr)
	}
	dir = t.TempDir()
	run(t, dir, "init", "--name", "shop", "--account-id", "444455556666", "--admin", "arn:aws:iam::444455556666:role/Ops")
	if code, _, stderr := run(t, dir, "gen"); code != 0 || strings.Contains(stderr, "warning") {
		t.Errorf("gen of an account of one's own: exit %d, stderr:\n%s", code, stderr)
	}
}

func TestWithoutAManagementCluster(t *testing.T) {
	dir := project(t)
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	none := filepath.Join(dir, "no-such-kubeconfig")
	t.Setenv("KUBECONFIG", none)
	const needs = "; render needs a management cluster running the ACK controllers (ec2, iam, eks, cloudwatchlogs); see docs/getting-started.md#the-management-cluster\n"
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no kubeconfig", []string{"apply", "dev"}, 1, "error: no kubeconfig found (looked for " + none + ")" + needs},
		{"no kubeconfig for diff", []string{"diff", "dev"}, 2, "error: no kubeconfig found (looked for " + none + ")" + needs},
		{"no kubeconfig for delete", []string{"delete", "dev", "--yes"}, 1, "error: no kubeconfig found (looked for " + none + ")" + needs},
		{"a kubeconfig without the context", []string{"outputs", "dev", "--kubeconfig", kubeconfigTo(t, dir, "127.0.0.1:1"), "--context", "other"}, 1,
			`error: kubeconfig ` + filepath.Join(dir, "kubeconfig") + ` has no context "other"` + needs},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := run(t, dir, tc.args...)
			if code != tc.code || out != "" || withoutNotes(stderr) != tc.want {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit %d, stderr:\n%s", code, out, stderr, tc.code, tc.want)
			}
		})
	}
	t.Run("a kubeconfig that points nowhere", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close() // nothing listens there any more
		kc := kubeconfigTo(t, dir, addr)
		code, _, stderr := run(t, dir, "apply", "dev", "--kubeconfig", kc)
		want := `error: kubeconfig ` + kc + `, context "mgmt", server https://` + addr + `: dial tcp ` + addr + `: connect: connection refused` + needs
		if code != 1 || withoutNotes(stderr) != want {
			t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
		}
	})
}

// kubeconfigTo writes dir/kubeconfig, whose one context "mgmt" names a
// server at addr.
func kubeconfigTo(t *testing.T, dir, addr string) string {
	t.Helper()
	p := filepath.Join(dir, "kubeconfig")
	kc := "apiVersion: v1\nkind: Config\nclusters:\n- name: mgmt\n  cluster: {server: \"https://" + addr + "\"}\n" +
		"contexts:\n- name: mgmt\n  context: {cluster: mgmt, user: me}\nusers:\n- name: me\n  user: {token: x}\ncurrent-context: mgmt\n"
	if err := os.WriteFile(p, []byte(kc), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDiffFromABranchThatIsNotThere(t *testing.T) {
	dir := project(t)
	gitIn(t, dir, "init", "-q", "-b", "master")
	gitIn(t, dir, "add", ".")
	gitIn(t, dir, "commit", "-q", "-m", "one")
	code, _, stderr := run(t, dir, "diff", "--from", "main", "--to", ".")
	want := `error: --from "main" is neither a directory nor a git revision of the repository here (the current branch is master; branches and tags: master)` + "\n"
	if code != 2 || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
}

// TestOneOutputConvention: -o/--output takes a format in every command
// that has it, and files go to --out-file (or --out-dir).
func TestOneOutputConvention(t *testing.T) {
	root := NewRootCommand(IOStreams{Out: io.Discard, ErrOut: io.Discard})
	for _, cmd := range root.Commands() {
		if f := cmd.Flags().Lookup("output"); f != nil && (f.Shorthand != "o" || !strings.HasPrefix(f.Usage, "Output format: ") && !strings.Contains(f.Usage, "in this format")) {
			t.Errorf("render %s --output: shorthand %q, usage %q; want -o and a format", cmd.Name(), f.Shorthand, f.Usage)
		}
	}
	dir := project(t)
	t.Run("build -o json prints a v1 List", func(t *testing.T) {
		code, out, stderr := run(t, dir, "build", "dev", "-o", "json")
		var list struct {
			Kind  string           `json:"kind"`
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || list.Kind != "List" || len(list.Items) < 20 {
			t.Errorf("exit %d, %v, kind %q, %d items, stderr %q", code, err, list.Kind, len(list.Items), stderr)
		}
		_, yamlOut, _ := run(t, dir, "build", "dev")
		_, explicit, _ := run(t, dir, "build", "dev", "-o", "yaml")
		if yamlOut != explicit || !strings.HasPrefix(yamlOut, "apiVersion: ") {
			t.Error("build -o yaml is not build's default output")
		}
	})
	t.Run("gen -o yaml prints, -o - still does with a warning", func(t *testing.T) {
		_, want, _ := run(t, dir, "build", "dev")
		if code, out, stderr := run(t, dir, "gen", "-o", "yaml", "--env", "dev"); code != 0 || out != want {
			t.Errorf("gen -o yaml: exit %d, stderr %q", code, stderr)
		}
		code, out, stderr := run(t, dir, "gen", "-o", "-", "--env", "dev")
		if code != 0 || out != want || !strings.HasPrefix(stderr, "warning: -o - is deprecated; use -o yaml\n") {
			t.Errorf("gen -o -: exit %d, stderr %q", code, stderr)
		}
		if code, _, stderr := run(t, dir, "gen", "-o", "out"); code != 1 || withoutNotes(stderr) != "error: --output \"out\": want yaml or json; the tree goes under --out-dir\n" {
			t.Errorf("gen -o out: exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("a format a command lacks is one error", func(t *testing.T) {
		for _, args := range [][]string{{"build", "dev", "-o", "markdown"}, {"version", "-o", "markdown"}, {"import", "dev", "--tfstate", "x", "-o", "markdown"}} {
			if code, _, stderr := run(t, dir, args...); code != 1 || !strings.HasPrefix(withoutNotes(stderr), `error: --output "markdown": want `) {
				t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
			}
		}
	})
}

func TestShellCompletion(t *testing.T) {
	dir := project(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"build", ""}, "dev\nprod\n"},
		{[]string{"apply", "p"}, "prod\n"},
		{[]string{"delete", "dev", ""}, ""},
		{[]string{"gen", "--env", ""}, "dev\nprod\n"},
		{[]string{"gen", "--gitops", ""}, "argocd\nflux\n"},
		{[]string{"graph", "dev", "-o", ""}, "mermaid\ndot\n"},
		{[]string{"diff", "--output", ""}, "text\njson\nmarkdown\n"},
		{[]string{"build", "dev", "-o", ""}, "yaml\njson\n"},
		{[]string{"apply", "dev", "-o", ""}, "text\njson\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, stderr := run(t, dir, append([]string{"__complete"}, tc.args...)...)
			if want := tc.want + ":4\n"; code != 0 || out != want {
				t.Errorf("exit %d, stdout %q, stderr %q; want stdout %q", code, out, stderr, want)
			}
		})
	}
}

// TestDocsShowWhatANewcomerRuns: the schema line of the configuration
// reference is the one render init writes, and getting started commits
// the tree before its CI check compares against the commit.
func TestDocsShowWhatANewcomerRuns(t *testing.T) {
	reference, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	start, err := os.ReadFile("../../docs/getting-started.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if code, _, stderr := run(t, dir, "init", "--name", "shop", "--account-id", "444455556666"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "platform.yaml"))
	first, _, _ := strings.Cut(string(b), "\n")
	if !strings.Contains(string(reference), "```yaml\n"+first+"\n```\n") {
		t.Errorf("docs/configuration.md does not show render init's schema line %q", first)
	}
	commit := strings.Index(string(start), "git add -A && git commit")
	check := strings.Index(string(start), "git diff --exit-code")
	if commit < 0 || check < 0 || commit > check {
		t.Errorf("docs/getting-started.md: git commit at %d, git diff --exit-code at %d; the check must come after a commit", commit, check)
	}
}

// TestReadmeCountsTheFirstBuild keeps README's "compiles about N packages"
// within a sixth of what go list counts, so that the warning that the
// first build takes minutes stays true.
func TestReadmeCountsTheFirstBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`compiles about (\d+) packages`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md does not say how many packages the first build compiles")
	}
	said, _ := strconv.Atoi(string(m[1]))
	out, err := exec.Command("go", "list", "-deps", "github.com/eks-render/render/cmd/render").Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(out), "\n"); said < n*5/6 || said > n*7/6 {
		t.Errorf("README.md says the first build compiles about %d packages; go list -deps counts %d", said, n)
	}
}
