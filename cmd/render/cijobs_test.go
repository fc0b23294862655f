package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// TestCIJobsRunAgainstTheCLI extracts every render and kubectl command from
// the CI jobs render init --ci writes (GitHub workflows, .gitlab-ci.yml)
// and runs it in a scratch repository made by render init: render in
// process, with the management cluster the test apiserver where acksim
// plays the ACK controllers (for render outputs), kubectl the real binary.
// Each render command must first parse (a known command, known flags, the
// arguments it takes); each must then exit 0, or 0 or 1 where the script
// goes on after a failure. So the files cannot drift from the CLI.
func TestCIJobsRunAgainstTheCLI(t *testing.T) {
	apitest.Skip(t)
	for _, tc := range []struct {
		provider string
		jobs     func(t *testing.T, dir string) []job
		want     []string
	}{
		{"github", githubJobs, []string{
			"render gen --check", "kubectl kustomize overlays/dev/", "kubectl kustomize overlays/prod/workload/",
			"render diff --from BASE --to HEAD -o markdown (handled)",
			"render outputs dev --check (handled)", "render outputs prod (handled)", "render gen",
			"render diff --from origin/main --to HEAD -o markdown (handled)"}},
		{"gitlab", gitlabJobs, []string{
			"render gen --check", "kubectl kustomize overlays/dev/workload/",
			"render diff --from BASE --to HEAD -o markdown (handled)",
			"render outputs prod --check (handled)", "render outputs dev (handled)", "render gen"}},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			name := "ci" + tc.provider
			dir, base, head := scratchRepository(t, name, tc.provider)
			t.Setenv("KUBECONFIG", applied(t, dir, name))
			x := &extractor{dir: dir}
			for _, j := range tc.jobs(t, dir) {
				vars := map[string]string{
					// What the scripts assign from commands the test does not run.
					"base": base, "envs": "dev prod",
				}
				commits := strings.NewReplacer("HEAD_SHA_VALUE", head, "BASE_SHA_VALUE", base)
				for k, v := range j.vars {
					vars[k] = commits.Replace(v)
				}
				x.script(j.where, commits.Replace(j.script), vars)
			}
			for _, err := range x.errs {
				t.Error(err)
			}
			var seen []string
			for _, c := range x.found {
				s := strings.ReplaceAll(strings.ReplaceAll(c.String(), base, "BASE"), head, "HEAD")
				if c.Handled {
					s += " (handled)"
				}
				seen = append(seen, s)
				runJobCommand(t, dir, c)
			}
			for _, w := range tc.want {
				if !slices.Contains(seen, w) {
					t.Errorf("the jobs have no %q; they run:\n  %s", w, strings.Join(seen, "\n  "))
				}
			}
		})
	}
}

// runJobCommand checks that c parses, then runs it in dir.
func runJobCommand(t *testing.T, dir string, c jobCommand) {
	t.Helper()
	var code int
	var errOut string
	switch c.Args[0] {
	case "render":
		// Parsed as the docs' commands are (docs_test.go), in the
		// scratch repository, whose platform.yaml names the environments.
		if err := checkCommand(docCommand{args: c.Args[1:]}); err != nil {
			t.Errorf("%s: %s: %v", c.Where, c, err)
			return
		}
		code, _, errOut = run(t, dir, c.Args[1:]...)
	case "kubectl":
		cmd := exec.Command(filepath.Join(os.Getenv("KUBEBUILDER_ASSETS"), "kubectl"), c.Args[1:]...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		code, errOut = cmd.ProcessState.ExitCode(), stderr.String()
		if err != nil && code == 0 {
			code = -1
		}
	}
	if code != 0 && !(c.Handled && code == 1) {
		t.Errorf("%s: %s exited %d (the script %s):\n%s", c.Where, c, code, map[bool]string{true: "allows 0 or 1", false: "stops on a failure"}[c.Handled], errOut)
	}
}

// applied brings environments dev and prod of the scratch repository dir
// (platform name) up on the test apiserver, acksim playing the ACK
// controllers, without writing outputs/, and returns a kubeconfig of it.
func applied(t *testing.T, dir, name string) string {
	t.Helper()
	kubeconfig, err := env.Kubeconfig(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []string{"dev", "prod"} {
		acksim.New(env.Client, name+"-"+e, acksim.Options{Interval: 50 * time.Millisecond}).Start(t)
		if code, _, errOut := run(t, dir, "apply", e, "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false", "--no-write-outputs"); code != 0 {
			t.Fatalf("render apply %s = %d:\n%s", e, code, errOut)
		}
	}
	return kubeconfig
}

// scratchRepository is a git repository made by render init --ci provider
// (environments dev and prod) and render gen, with an origin it pushed
// main to, and a second commit that changes platform.yaml: it returns its
// directory and the two commits.
func scratchRepository(t *testing.T, name, provider string) (dir, base, head string) {
	t.Helper()
	dir = t.TempDir()
	origin := t.TempDir()
	if code, _, errOut := run(t, dir, "init", "--name", name, "--account-id", "111122223333", "--environments", "dev,prod", "--ci", provider, "--render-version", "v1.2.3"); code != 0 {
		t.Fatalf("render init = %d:\n%s", code, errOut)
	}
	if code, _, errOut := run(t, dir, "gen"); code != 0 {
		t.Fatalf("render gen = %d:\n%s", code, errOut)
	}
	gitIn(t, origin, "init", "-q", "--bare", "-b", "main")
	gitIn(t, dir, "init", "-q", "-b", "main")
	gitIn(t, dir, "remote", "add", "origin", origin)
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "first")
	base = gitIn(t, dir, "rev-parse", "HEAD")
	edit(t, filepath.Join(dir, "platform.yaml"), "environments:", "environments:\n  # reviewed")
	gitIn(t, dir, "commit", "-q", "-am", "second")
	head = gitIn(t, dir, "rev-parse", "HEAD")
	gitIn(t, dir, "push", "-q", "origin", "main")
	return dir, base, head
}

// job is one script of a CI job with the variables it runs with.
type job struct {
	where, script string
	vars          map[string]string
}

// githubExpressions are the test's values of the ${{ }} expressions the
// workflows' run: blocks and env: use; another expression is an error.
var githubExpressions = map[string]string{
	"github.event.pull_request.base.sha":     "BASE_SHA_VALUE",
	"github.event.pull_request.head.sha":     "HEAD_SHA_VALUE",
	"github.event.pull_request.number":       "1",
	"github.event.repository.default_branch": "main",
	"github.token":                           "test-token",
	"secrets.RENDER_MANAGEMENT_KUBECONFIG":   "",
	"vars.RENDER_MANAGEMENT_CLUSTER":         "",
	"vars.RENDER_AWS_REGION":                 "",
}

// githubJobs reads the run: blocks of the workflows in dir, in file and
// step order, each with the env its workflow, job and step set.
func githubJobs(t *testing.T, dir string) []job {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, ".github", "workflows", "*.yml"))
	if err != nil || len(paths) != 3 {
		t.Fatalf("workflows: %v, %v", paths, err)
	}
	var out []job
	for _, p := range paths {
		var wf struct {
			Env  map[string]string
			Jobs map[string]struct {
				Env   map[string]string
				Steps []struct {
					Name, Run string
					Env       map[string]string
				}
			}
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(b, &wf); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, name := range slices.Sorted(maps.Keys(wf.Jobs)) {
			j := wf.Jobs[name]
			for i, s := range j.Steps {
				if s.Run == "" {
					continue
				}
				vars := map[string]string{"GITHUB_REPOSITORY": "you/platform", "RUNNER_TEMP": t.TempDir()}
				for _, env := range []map[string]string{wf.Env, j.Env, s.Env} {
					for k, v := range env {
						vars[k] = mustSubstitute(t, v)
					}
				}
				out = append(out, job{where: fmt.Sprintf("%s: %s: step %d", filepath.Base(p), name, i+1), script: mustSubstitute(t, s.Run), vars: vars})
			}
		}
	}
	return out
}

func mustSubstitute(t *testing.T, s string) string {
	t.Helper()
	out, err := substitute(s, githubExpressions)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// gitlabJobs reads the scripts of .gitlab-ci.yml in dir (the default
// before_script, then the job's script), each with the global and the
// job's variables and GitLab's predefined ones the jobs use.
func gitlabJobs(t *testing.T, dir string) []job {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ".gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	type gitlabJob struct {
		Script       []string
		BeforeScript []string `yaml:"before_script"`
		Variables    map[string]string
	}
	var global struct {
		Variables map[string]string
		Default   gitlabJob
	}
	if err := yaml.Unmarshal(b, &global); err != nil {
		t.Fatal(err)
	}
	var out []job
	for _, name := range slices.Sorted(maps.Keys(doc)) {
		if name == "stages" || name == "variables" || name == "default" {
			continue
		}
		var j gitlabJob
		n := doc[name]
		if err := n.Decode(&j); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		vars := map[string]string{
			"CI_COMMIT_SHA": "HEAD_SHA_VALUE", "CI_MERGE_REQUEST_DIFF_BASE_SHA": "BASE_SHA_VALUE", "CI_DEFAULT_BRANCH": "main",
			"CI_API_V4_URL": "https://gitlab.example.com/api/v4", "CI_PROJECT_ID": "1", "CI_MERGE_REQUEST_IID": "1",
			"CI_SERVER_HOST": "gitlab.example.com", "CI_PROJECT_PATH": "you/platform", "CI_BUILDS_DIR": t.TempDir(),
			"RENDER_GITLAB_TOKEN": "test-token",
		}
		for _, v := range []map[string]string{global.Variables, j.Variables} {
			for k, val := range v {
				vars[k] = val
			}
		}
		script := strings.Join(append(append([]string{}, global.Default.BeforeScript...), j.Script...), "\n")
		out = append(out, job{where: ".gitlab-ci.yml: " + name, script: script, vars: vars})
	}
	return out
}
