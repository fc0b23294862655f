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

// workflowRun runs a workflow's run: steps from "Install render" on (the
// steps before it are actions: the checkout is a clone of origin), with
// render and a logging gh first on PATH.
type workflowRun struct {
	t                    *testing.T
	path, origin, render string
	exprs                map[string]string
}

func (w *workflowRun) run(before func(step string)) (out, gh string, err error) {
	t := w.t
	var wf struct {
		Env  map[string]string
		Jobs map[string]struct {
			Steps []struct {
				Name, Run, Uses string
				Env             map[string]string
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
	ghScript := "#!/bin/sh\necho \"$*\" >> " + ghLog + "\ncase \"$*\" in \"pr list\"*) cat " + filepath.Join(filepath.Dir(w.origin), "pr") + " 2>/dev/null;; \"pr create\"*) echo 7 > " + filepath.Join(filepath.Dir(w.origin), "pr") + ";; esac\nexit 0\n"
	if err := os.WriteFile(filepath.Join(bin, "gh"), []byte(ghScript), 0o755); err != nil {
		t.Fatal(err)
	}
	exprs := map[string]string{"github.token": "test-token", "github.event.repository.default_branch": "main",
		"vars.RENDER_MANAGEMENT_CLUSTER": "", "vars.RENDER_AWS_REGION": "", "vars.RENDER_AWS_ROLE_ARN": ""}
	for k, v := range w.exprs {
		exprs[k] = v
	}
	githubEnv := filepath.Join(tmp, "github_env")
	base := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "RUNNER_TEMP="+tmp,
		"GITHUB_ENV="+githubEnv, "GITHUB_STEP_SUMMARY="+filepath.Join(tmp, "summary"), "KUBECONFIG=", "HOME="+tmp)
	for k, v := range wf.Env {
		base = append(base, k+"="+v)
	}
	var log bytes.Buffer
	started := false
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			started = started || s.Name == "Install render"
			if !started || s.Run == "" || s.Name == "Install render" {
				continue
			}
			if before != nil {
				before(s.Name)
			}
			env := append([]string{}, base...)
			for k, v := range s.Env {
				v, err := substitute(v, exprs)
				if err != nil {
					t.Fatal(err)
				}
				env = append(env, k+"="+v)
			}
			if b, err := os.ReadFile(githubEnv); err == nil {
				env = append(env, strings.Split(strings.TrimSpace(string(b)), "\n")...)
			}
			script, err := substitute(s.Run, exprs)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
			cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = clone, env, &log, &log
			fmt.Fprintf(&log, "## %s\n", s.Name)
			if err := cmd.Run(); err != nil {
				ghb, _ := os.ReadFile(ghLog)
				return log.String(), string(ghb), fmt.Errorf("step %q: %w", s.Name, err)
			}
		}
	}
	ghb, _ := os.ReadFile(ghLog)
	return log.String(), string(ghb), nil
}
