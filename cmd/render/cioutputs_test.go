package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
)

// TestGitHubOutputsJob runs the outputs workflow's shell steps, as GitHub
// runs them (bash -eo pipefail, GITHUB_ENV between steps), in a clone of a
// scratch repository's origin: the render binary against the test
// apiserver where acksim has brought the environments up, git for real, gh
// a stand-in that logs its arguments.
func TestGitHubOutputsJob(t *testing.T) {
	apitest.Skip(t)
	bin := renderBinary(t)
	dir, _, _ := scratchRepository(t, "ciflow", "github")
	origin := gitIn(t, dir, "remote", "get-url", "origin")
	kubeconfig := applied(t, dir, "ciflow")
	kc, err := os.ReadFile(kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	w := &workflowRun{t: t, path: filepath.Join(dir, ".github", "workflows", "render-outputs.yml"), origin: origin, render: bin,
		exprs: map[string]string{"secrets.RENDER_MANAGEMENT_KUBECONFIG": string(kc)}}
	branch := func() string { return gitIn(t, origin, "rev-parse", "--verify", "-q", "refs/heads/render/outputs") }

	t.Run("opens a pull request with the values AWS knows", func(t *testing.T) {
		out, gh, err := w.run(nil)
		if err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if b := gitIn(t, origin, "show", "render/outputs:outputs/dev.yaml"); !strings.Contains(b, "vpcID: "+acksim.ID("VPC", "vpc")) {
			t.Errorf("render/outputs has no outputs/dev.yaml with the live VPC:\n%s", b)
		}
		if !strings.Contains(gh, "pr create --head render/outputs --base main") {
			t.Errorf("gh was run with:\n%s\noutput:\n%s", gh, out)
		}
	})
	t.Run("does nothing when nothing changed", func(t *testing.T) {
		before := branch()
		out, gh, err := w.run(nil)
		if err != nil || !strings.Contains(out, "nothing changed: outputs/ and the tree are current") || gh != "" || branch() != before {
			t.Errorf("err %v, gh %q, branch %s -> %s:\n%s", err, gh, before, branch(), out)
		}
	})
	t.Run("never pushes over a concurrent push", func(t *testing.T) {
		// A stale value on the branch gives the job something to commit.
		human(t, origin, func(clone string) {
			edit(t, filepath.Join(clone, "outputs", "dev.yaml"), "vpcID: "+acksim.ID("VPC", "vpc"), "vpcID: vpc-0123456789abcdef0")
		})
		var theirs string
		out, _, err := w.run(func(step string) {
			if strings.HasPrefix(step, "Commit, push") {
				human(t, origin, func(clone string) {
					if err := os.WriteFile(filepath.Join(clone, "NOTES.md"), []byte("mine\n"), 0o644); err != nil {
						t.Fatal(err)
					}
				})
				theirs = branch()
			}
		})
		if err == nil || !strings.Contains(out, "render/outputs changed while this job ran; not pushing over it (never force)") {
			t.Errorf("err %v:\n%s", err, out)
		}
		if branch() != theirs {
			t.Error("the human's push was overwritten")
		}
	})
	t.Run("then builds on it", func(t *testing.T) {
		before := branch()
		out, gh, err := w.run(nil)
		if err != nil || !strings.Contains(gh, "pr edit") {
			t.Fatalf("err %v, gh %q:\n%s", err, gh, out)
		}
		if gitIn(t, origin, "merge-base", "--is-ancestor", before, "render/outputs"); !strings.Contains(gitIn(t, origin, "show", "render/outputs:outputs/dev.yaml"), "vpcID: "+acksim.ID("VPC", "vpc")) {
			t.Error("the stale value was not corrected")
		}
	})
}

// human commits, as someone else, what change does to a clone of
// origin's render/outputs, and pushes it.
func human(t *testing.T, origin string, change func(clone string)) {
	t.Helper()
	clone := t.TempDir()
	gitIn(t, clone, "clone", "-q", "-b", "render/outputs", origin, ".")
	change(clone)
	gitIn(t, clone, "add", "-A")
	gitIn(t, clone, "commit", "-q", "-m", "a human's change")
	gitIn(t, clone, "push", "-q", "origin", "render/outputs")
}

// workflowRun runs the outputs job's shell steps in a fresh clone of
// origin, as the CI service runs them, with render and a logging gh first
// on PATH: for GitHub the workflow's run: steps from "Install render" on
// (the steps before it are actions: the checkout is the clone), each in its
// own bash -eo pipefail, GITHUB_ENV carried between them; for GitLab the
// job's script (its before_script only installs render) in one.
type workflowRun struct {
	t                    *testing.T
	path, origin, render string
	exprs                map[string]string
	gitlab               bool
	// env is more environment for every step.
	env []string
}

// jobStep is one shell script of the job with its environment.
type jobStep struct {
	name, script string
	env          []string
}

func (w *workflowRun) run(before func(step string)) (out, gh string, err error) {
	t := w.t
	tmp := t.TempDir()
	clone := filepath.Join(tmp, "work")
	gitIn(t, tmp, "clone", "-q", w.origin, clone)
	bin := filepath.Join(tmp, "bin")
	ghLog := filepath.Join(tmp, "gh.log")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(w.render, filepath.Join(bin, "render")); err != nil {
		t.Fatal(err)
	}
	// gh pr list finds the pull request once gh pr create has made it.
	pr := filepath.Join(filepath.Dir(w.origin), "pr")
	ghScript := "#!/bin/sh\necho \"$*\" >> " + ghLog + "\ncase \"$*\" in \"pr list\"*) cat " + pr + " 2>/dev/null;; \"pr create\"*) echo 7 > " + pr + ";; esac\nexit 0\n"
	if err := os.WriteFile(filepath.Join(bin, "gh"), []byte(ghScript), 0o755); err != nil {
		t.Fatal(err)
	}
	base := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "KUBECONFIG=", "HOME="+tmp)
	base = append(base, w.env...)
	githubEnv := filepath.Join(tmp, "github_env")
	var steps []jobStep
	if w.gitlab {
		steps = w.gitlabSteps(tmp)
	} else {
		base = append(base, "RUNNER_TEMP="+tmp, "GITHUB_ENV="+githubEnv, "GITHUB_STEP_SUMMARY="+filepath.Join(tmp, "summary"))
		steps = w.githubSteps()
	}
	var log bytes.Buffer
	for _, s := range steps {
		if before != nil {
			before(s.name)
		}
		env := append(append([]string{}, base...), s.env...)
		if b, err := os.ReadFile(githubEnv); err == nil {
			env = append(env, strings.Split(strings.TrimSpace(string(b)), "\n")...)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s.script)
		cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = clone, env, &log, &log
		fmt.Fprintf(&log, "## %s\n", s.name)
		if err := cmd.Run(); err != nil {
			ghb, _ := os.ReadFile(ghLog)
			return log.String(), string(ghb), fmt.Errorf("step %q: %w", s.name, err)
		}
	}
	ghb, _ := os.ReadFile(ghLog)
	return log.String(), string(ghb), nil
}

func (w *workflowRun) githubSteps() []jobStep {
	t := w.t
	var wf struct {
		Env  map[string]string
		Jobs map[string]struct {
			Steps []struct {
				Name, Run string
				Env       map[string]string
			}
		}
	}
	b, err := os.ReadFile(w.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatal(err)
	}
	exprs := map[string]string{"github.token": "test-token", "github.event.repository.default_branch": "main",
		"vars.RENDER_MANAGEMENT_CLUSTER": "", "vars.RENDER_AWS_REGION": "", "vars.RENDER_AWS_ROLE_ARN": ""}
	for k, v := range w.exprs {
		exprs[k] = v
	}
	subst := func(s string) string {
		out, err := substitute(s, exprs)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	var global []string
	for k, v := range wf.Env {
		global = append(global, k+"="+v)
	}
	var steps []jobStep
	started := false
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			started = started || s.Name == "Install render"
			if !started || s.Run == "" || s.Name == "Install render" {
				continue
			}
			env := append([]string{}, global...)
			for k, v := range s.Env {
				env = append(env, k+"="+subst(v))
			}
			steps = append(steps, jobStep{name: s.Name, script: subst(s.Run), env: env})
		}
	}
	return steps
}

func (w *workflowRun) gitlabSteps(tmp string) []jobStep {
	t := w.t
	var doc struct {
		Variables map[string]string
		Outputs   struct {
			Variables map[string]string
			Script    []string
		} `yaml:"render-outputs"`
	}
	b, err := os.ReadFile(w.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	env := []string{"CI_DEFAULT_BRANCH=main", "CI_SERVER_HOST=gitlab.example.com", "CI_PROJECT_PATH=you/platform",
		"CI_BUILDS_DIR=" + tmp, "RENDER_GITLAB_TOKEN=test-token"}
	for _, vars := range []map[string]string{doc.Variables, doc.Outputs.Variables} {
		for k, v := range vars {
			env = append(env, k+"="+v)
		}
	}
	return []jobStep{{name: "render-outputs", script: strings.Join(doc.Outputs.Script, "\n"), env: env}}
}

// TestGitLabOutputsJob runs the render-outputs job's script as a GitLab
// runner does (one bash -eo pipefail) in a clone of a scratch repository's
// origin, the kubeconfig a File variable, the push to GitLab's URL sent to
// origin, which logs the push options that open the merge request.
func TestGitLabOutputsJob(t *testing.T) {
	apitest.Skip(t)
	bin := renderBinary(t)
	dir, _, _ := scratchRepository(t, "ciflowgl", "gitlab")
	origin := gitIn(t, dir, "remote", "get-url", "origin")
	kubeconfig := applied(t, dir, "ciflowgl")
	options := filepath.Join(t.TempDir(), "push-options")
	gitIn(t, origin, "config", "receive.advertisePushOptions", "true")
	hook := "#!/bin/sh\ni=0\nwhile [ $i -lt \"${GIT_PUSH_OPTION_COUNT:-0}\" ]; do eval \"echo \\\"\\$GIT_PUSH_OPTION_$i\\\"\" >> " + options + "; i=$((i+1)); done\n"
	if err := os.WriteFile(filepath.Join(origin, "hooks", "post-receive"), []byte(hook), 0o755); err != nil {
		t.Fatal(err)
	}
	w := &workflowRun{t: t, path: filepath.Join(dir, ".gitlab-ci.yml"), origin: origin, render: bin, gitlab: true, env: []string{
		"RENDER_MANAGEMENT_KUBECONFIG=" + kubeconfig,
		"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=url." + origin + ".insteadOf",
		"GIT_CONFIG_VALUE_0=https://render-outputs:test-token@gitlab.example.com/you/platform.git"}}
	branch := func() string { return gitIn(t, origin, "rev-parse", "--verify", "-q", "refs/heads/render/outputs") }

	t.Run("pushes the values AWS knows with the options that open the merge request", func(t *testing.T) {
		out, _, err := w.run(nil)
		if err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if b := gitIn(t, origin, "show", "render/outputs:outputs/prod.yaml"); !strings.Contains(b, "vpcID: "+acksim.ID("VPC", "vpc")) {
			t.Errorf("render/outputs has no outputs/prod.yaml with the live VPC:\n%s", b)
		}
		got, _ := os.ReadFile(options)
		if want := "merge_request.create\nmerge_request.target=main\nmerge_request.title=outputs: the values AWS knows now\nmerge_request.remove_source_branch\n"; string(got) != want {
			t.Errorf("push options:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("does nothing when nothing changed", func(t *testing.T) {
		before := branch()
		out, _, err := w.run(nil)
		if err != nil || !strings.Contains(out, "nothing changed: outputs/ and the tree are current") || branch() != before {
			t.Errorf("err %v, branch %s -> %s:\n%s", err, before, branch(), out)
		}
	})
	t.Run("never pushes over a concurrent push", func(t *testing.T) {
		human(t, origin, func(clone string) {
			edit(t, filepath.Join(clone, "outputs", "dev.yaml"), "vpcID: "+acksim.ID("VPC", "vpc"), "vpcID: vpc-0123456789abcdef0")
		})
		// GitLab runs the job as one script: the push that races it
		// comes from a post-commit hook, between its commit and its push.
		hooks := filepath.Join(t.TempDir(), "hooks")
		if err := os.MkdirAll(hooks, 0o755); err != nil {
			t.Fatal(err)
		}
		race := "#!/bin/sh\nset -e\nunset GIT_CONFIG_COUNT\nd=" + filepath.Join(t.TempDir(), "human") + "\nrm -rf $d\ngit clone -q -b render/outputs " + origin + " $d\necho mine > $d/NOTES.md\ngit -C $d add NOTES.md\ngit -C $d -c user.name=h -c user.email=h@example.com commit -q -m human\ngit -C $d push -q origin render/outputs\n"
		if err := os.WriteFile(filepath.Join(hooks, "post-commit"), []byte(race), 0o755); err != nil {
			t.Fatal(err)
		}
		w.env = append(w.env, "GIT_CONFIG_COUNT=2", "GIT_CONFIG_KEY_1=core.hooksPath", "GIT_CONFIG_VALUE_1="+hooks)
		out, _, err := w.run(nil)
		if err == nil || !strings.Contains(out, "render/outputs changed while this job ran; not pushing over it (never force)") {
			t.Errorf("err %v:\n%s", err, out)
		}
		if msg := gitIn(t, origin, "log", "-1", "--format=%s", "render/outputs"); msg != "human" {
			t.Errorf("render/outputs is at %q, not the human's commit", msg)
		}
	})
}
