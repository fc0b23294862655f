package ci

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The keywords GitLab documents for .gitlab-ci.yml, from the CI/CD YAML
// syntax reference, https://docs.gitlab.com/ee/ci/yaml/ ("Keywords":
// global keywords, job keywords, and the sections of rules, artifacts,
// default and id_tokens). A key not listed is an error, as GitLab's CI
// Lint reports it ("jobs:x config contains unknown keys").
var (
	gitlabGlobal = []string{"default", "include", "stages", "variables", "workflow"}
	gitlabJob    = []string{"after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage",
		"dast_configuration", "dependencies", "environment", "except", "extends", "hooks", "identity", "id_tokens",
		"image", "inherit", "interruptible", "manual_confirmation", "needs", "only", "pages", "parallel", "release",
		"resource_group", "retry", "rules", "run", "script", "secrets", "services", "stage", "tags", "timeout",
		"trigger", "variables", "when"}
	gitlabDefault   = []string{"after_script", "artifacts", "before_script", "cache", "hooks", "id_tokens", "image", "interruptible", "retry", "services", "tags", "timeout"}
	gitlabRule      = []string{"if", "changes", "exists", "when", "allow_failure", "needs", "variables", "interruptible"}
	gitlabArtifacts = []string{"paths", "exclude", "expire_in", "expose_as", "name", "public", "access", "reports", "untracked", "when"}
	gitlabIDToken   = []string{"aud"}
)

// checkGitLab checks a .gitlab-ci.yml against the documented keywords and
// the shapes render's jobs use: every job has a script and a stage listed
// in stages, rules are conditions, variables are strings.
func checkGitLab(b []byte) error {
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return err
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	stages, _ := doc["stages"].([]any)
	keys := slices.Sorted(maps.Keys(doc))
	for _, k := range keys {
		v := doc[k]
		switch {
		case slices.Contains(gitlabGlobal, k):
			if k == "default" {
				checkKeys(fail, "default", v, gitlabDefault)
			}
			if k == "variables" {
				checkVariables(fail, k, v)
			}
		case strings.HasPrefix(k, "."):
			// A hidden job, a template for extends.
		default:
			checkJob(fail, k, v, stages)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

func checkJob(fail func(string, ...any), name string, v any, stages []any) {
	job, ok := v.(map[string]any)
	if !ok {
		fail("%s: a job is a mapping, got %T", name, v)
		return
	}
	checkKeys(fail, name, job, gitlabJob)
	if s, ok := job["script"]; !ok || !stringOrStrings(s) {
		fail("%s: script: want a string or a list of strings", name)
	}
	if !slices.Contains(stages, job["stage"]) {
		fail("%s: stage %v is not in stages %v", name, job["stage"], stages)
	}
	rules, _ := job["rules"].([]any)
	if _, has := job["rules"]; has && len(rules) == 0 {
		fail("%s: rules: want a list of rules", name)
	}
	for i, r := range rules {
		checkKeys(fail, fmt.Sprintf("%s.rules[%d]", name, i), r, gitlabRule)
	}
	if a, ok := job["artifacts"]; ok {
		checkKeys(fail, name+".artifacts", a, gitlabArtifacts)
	}
	if t, ok := job["id_tokens"].(map[string]any); ok {
		for _, k := range slices.Sorted(maps.Keys(t)) {
			checkKeys(fail, name+".id_tokens."+k, t[k], gitlabIDToken)
		}
	}
	if rg, ok := job["resource_group"]; ok {
		if _, isString := rg.(string); !isString {
			fail("%s: resource_group: want a string", name)
		}
	}
	if vars, ok := job["variables"]; ok {
		checkVariables(fail, name+".variables", vars)
	}
}

func checkKeys(fail func(string, ...any), where string, v any, allowed []string) {
	m, ok := v.(map[string]any)
	if !ok {
		fail("%s: want a mapping, got %T", where, v)
		return
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(allowed, k) {
			fail("%s: unknown key %q; GitLab documents %s", where, k, strings.Join(allowed, ", "))
		}
	}
}

func checkVariables(fail func(string, ...any), where string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		fail("%s: want a mapping", where)
		return
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if _, ok := m[k].(string); !ok {
			fail("%s.%s: want a string (quote numbers), got %T", where, k, m[k])
		}
	}
}

func stringOrStrings(v any) bool {
	if _, ok := v.(string); ok {
		return true
	}
	list, ok := v.([]any)
	for _, e := range list {
		if _, isString := e.(string); !isString {
			return false
		}
	}
	return ok && len(list) > 0
}

func TestGitLabJobsUseDocumentedKeywords(t *testing.T) {
	files, err := Files(GitLab, "v1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	b := files[".gitlab-ci.yml"]
	if err := checkGitLab(b); err != nil {
		t.Fatalf(".gitlab-ci.yml:\n%v", err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, job := range []string{"render-check", "render-diff", "render-outputs"} {
		if _, ok := doc[job]; !ok {
			t.Errorf("no job %s", job)
		}
	}
}

func TestCheckGitLabRejects(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"an unknown job key", "stages: [check]\nj:\n  stage: check\n  scripts: [x]\n", `j: unknown key "scripts"`},
		{"a job without script", "stages: [check]\nj:\n  stage: check\n", "j: script: want a string or a list of strings"},
		{"a stage not listed", "stages: [check]\nj:\n  stage: test\n  script: x\n", "j: stage test is not in stages"},
		{"an unknown rule key", "stages: [check]\nj:\n  stage: check\n  script: x\n  rules:\n    - iff: $X\n", `j.rules[0]: unknown key "iff"`},
		{"an unknown default key", "stages: [check]\ndefault:\n  stage: check\n", `default: unknown key "stage"`},
		{"a number variable", "stages: [check]\nvariables:\n  DEPTH: 0\n", "variables.DEPTH: want a string"},
		{"an unknown id_tokens key", "stages: [check]\nj:\n  stage: check\n  script: x\n  id_tokens:\n    T:\n      audience: x\n", `j.id_tokens.T: unknown key "audience"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkGitLab([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("checkGitLab = %v, want %q", err, tc.want)
			}
		})
	}
}
