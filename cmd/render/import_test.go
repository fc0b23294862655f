package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/tfstate"
)

// tfFixture is the absolute path of a Terraform state fixture.
func tfFixture(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "internal", "tfstate", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportWritesImportsAndGenAdopts(t *testing.T) {
	dir := project(t)
	code, out, errOut := run(t, dir, "import", "dev", "--tfstate", tfFixture(t, "dev.tfstate"), "-o", "json")
	if code != 0 {
		t.Fatalf("import = %d:\n%s", code, errOut)
	}
	var rep tfstate.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--output json: %v\n%s", err, out)
	}
	if len(rep.Adopted) != 20 || len(rep.StateRm) == 0 {
		t.Errorf("report: %d adopted, %d state rm", len(rep.Adopted), len(rep.StateRm))
	}
	data, err := os.ReadFile(filepath.Join(dir, "imports", "dev.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	adopt, err := config.ParseImports("imports/dev.yaml", "dev", data)
	if err != nil || len(adopt) != 20 {
		t.Fatalf("imports/dev.yaml: %d entries, %v", len(adopt), err)
	}
	if code, _, errOut := run(t, dir, "gen"); code != 0 {
		t.Fatalf("gen = %d:\n%s", code, errOut)
	}
	code, built, errOut := run(t, dir, "build", "dev")
	if code != 0 {
		t.Fatalf("build = %d:\n%s", code, errOut)
	}
	// Second-phase objects (FlowLog, OIDC provider) wait for outputs/dev.yaml.
	if n := strings.Count(built, ack.AdoptionPolicyAnnotation+": "+ack.AdoptOrCreate); n != 18 {
		t.Errorf("built dev has %d adopting objects, want the 18 first-phase ones", n)
	}
	if !strings.Contains(built, `services.k8s.aws/adoption-fields: '{"vpcID":"vpc-`) {
		t.Error("the VPC does not adopt")
	}
	if code, built, _ := run(t, dir, "build", "prod"); code != 0 || strings.Contains(built, ack.AdoptionPolicyAnnotation) {
		t.Error("prod adopts though only dev was imported")
	}
}

// editedState writes dev.tfstate into dir with the attribute attr of
// instance i of the resources of type typ and name set to v.
func editedState(t *testing.T, dir, typ, name string, i int, attr, v string) string {
	t.Helper()
	var st map[string]any
	b, err := os.ReadFile(tfFixture(t, "dev.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	for _, r := range st["resources"].([]any) {
		if m := r.(map[string]any); m["type"] == typ && m["name"] == name {
			m["instances"].([]any)[i].(map[string]any)["attributes"].(map[string]any)[attr] = v
		}
	}
	b, _ = json.Marshal(st)
	state := filepath.Join(dir, typ+"-"+attr+".json")
	if err := os.WriteFile(state, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return state
}

func TestImportConflictWritesNothing(t *testing.T) {
	dir := project(t)
	noImports := func() {
		t.Helper()
		if _, err := os.Stat(filepath.Join(dir, "imports")); !os.IsNotExist(err) {
			t.Errorf("imports written despite the conflict: %v", err)
		}
	}
	t.Run("an overlapping subnet, even with --allow-conflicts", func(t *testing.T) {
		state := editedState(t, dir, "aws_subnet", "private", 0, "cidr_block", "10.0.0.0/20")
		for _, args := range [][]string{{}, {"--allow-conflicts"}} {
			code, _, errOut := run(t, dir, append([]string{"import", "dev", "--tfstate", state}, args...)...)
			if code != 1 || !strings.Contains(errOut, "10.0.0.0/20") || !strings.Contains(errOut, "10.0.0.0/19") {
				t.Errorf("import %v = %d, want 1 naming both CIDRs:\n%s", args, code, errOut)
			}
			noImports()
		}
	})
	t.Run("a create-only field adopts as it is only with --allow-conflicts", func(t *testing.T) {
		state := editedState(t, dir, "aws_subnet", "public", 1, "availability_zone", "us-west-2c")
		code, _, errOut := run(t, dir, "import", "dev", "--tfstate", state)
		if code != 1 || !strings.Contains(errOut, "Terraform has us-west-2c, render renders us-west-2b") {
			t.Errorf("import = %d, want 1 naming both zones:\n%s", code, errOut)
		}
		noImports()
		if code, _, errOut := run(t, dir, "import", "dev", "--tfstate", state, "--allow-conflicts"); code != 0 {
			t.Fatalf("--allow-conflicts = %d:\n%s", code, errOut)
		}
		data, _ := os.ReadFile(filepath.Join(dir, "imports", "dev.yaml"))
		if !strings.Contains(string(data), "object: Subnet/public-b") {
			t.Errorf("imports/dev.yaml with --allow-conflicts does not adopt the subnet:\n%s", data)
		}
	})
}

func TestImportRefusesAnotherStateVersion(t *testing.T) {
	dir := project(t)
	code, _, errOut := run(t, dir, "import", "dev", "--tfstate", tfFixture(t, "v3.tfstate"))
	if code != 1 || !strings.Contains(errOut, "v3.tfstate: version: is 3") {
		t.Errorf("import = %d:\n%s", code, errOut)
	}
}

func TestBadImportsFile(t *testing.T) {
	dir := project(t)
	if code, _, errOut := run(t, dir, "gen"); code != 0 {
		t.Fatalf("gen = %d:\n%s", code, errOut)
	}
	before := snapshot(t, filepath.Join(dir, "overlays"))
	if err := os.MkdirAll(filepath.Join(dir, "imports"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"an unknown field", "apiVersion: platform.eks-render.dev/v1alpha1\nkind: Imports\nenvironment: dev\nadopt:\n  - object: VPC/vpc\n    terraform: aws_vpc.main\n    fields: {vpcID: vpc-1}\n    policy: adopt\n",
			"imports/dev.yaml:8:5: adopt[0].policy"},
		{"an object dev does not render", "apiVersion: platform.eks-render.dev/v1alpha1\nkind: Imports\nenvironment: dev\nadopt:\n  - object: Nodegroup/system\n    terraform: aws_eks_node_group.main\n    fields: {clusterName: demo-dev, name: system}\n",
			"imports/dev.yaml:5: adopt Nodegroup/system: environment dev renders no such object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(dir, "imports", "dev.yaml"), []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := run(t, dir, "gen")
			if code != 1 || !strings.Contains(errOut, tc.want) {
				t.Errorf("gen = %d, want 1 naming %q:\n%s", code, tc.want, errOut)
			}
			after := snapshot(t, filepath.Join(dir, "overlays"))
			if len(after) != len(before) {
				t.Errorf("gen changed the tree on bad input")
			}
			for k, v := range before {
				if after[k] != v {
					t.Errorf("gen changed %s on bad input", k)
				}
			}
		})
	}
}

// TestDiffShowsAdoption: render diff reads imports/ on both sides, from a
// directory and from a git revision, so a review shows which objects adopt.
func TestDiffShowsAdoption(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := project(t)
	git := func(args ...string) {
		t.Helper()
		c := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		c.Dir, c.Env = dir, append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("add", "platform.yaml")
	git("commit", "-q", "-m", "before")
	if code, _, errOut := run(t, dir, "import", "dev", "--tfstate", tfFixture(t, "dev.tfstate")); code != 0 {
		t.Fatalf("import = %d:\n%s", code, errOut)
	}
	code, out, errOut := run(t, dir, "diff", "--from", "main", "--to", ".")
	if code != 1 || !strings.Contains(out, "+    services.k8s.aws/adoption-policy: adopt-or-create") {
		t.Errorf("diff main . = %d, want the adoption annotations added:\n%s\n%s", code, head(out), errOut)
	}
	git("add", "imports")
	git("commit", "-q", "-m", "adopt")
	if code, out, errOut := run(t, dir, "diff", "--from", "HEAD", "--to", "."); code != 0 {
		t.Errorf("diff HEAD . after committing imports/ = %d:\n%s\n%s", code, head(out), errOut)
	}
}
