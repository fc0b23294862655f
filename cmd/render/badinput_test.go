package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eks-render/render/internal/gitops"
)

// badInput is one input render gen must refuse: exit status 1, exactly one
// error on stderr (after any "not rendered yet" notes), nothing on stdout,
// and not one byte, mode or link changed anywhere under the project.
type badInput struct {
	name string
	// config rewrites the example platform.yaml (nil: left as it is).
	config func(tb testing.TB, example string) string
	// setup runs after the configuration is written, before the snapshot.
	setup func(t *testing.T, dir string)
	// args is the whole command line; nil means "gen".
	args []string
	// want is the whole error, without the "error: " prefix main adds.
	want string
	// skip, when set, gives a reason the case cannot run here.
	skip func() string
}

// replace returns a config edit that replaces old, which must occur
// exactly once in the example, with new.
func replace(old, new string) func(testing.TB, string) string {
	return func(tb testing.TB, s string) string {
		tb.Helper()
		if n := strings.Count(s, old); n != 1 {
			tb.Fatalf("test table: %q occurs %d times in the example, want once", old, n)
		}
		return strings.Replace(s, old, new, 1)
	}
}

// content returns a config edit that replaces the whole file.
func content(s string) func(testing.TB, string) string {
	return func(testing.TB, string) string { return s }
}

var showBadInput = flag.Bool("show-bad-input", false, "print the error each bad input gives")

func TestGenRefusesBadInput(t *testing.T) {
	cases := append(append(configCases(), flagCases()...), treeCases()...)
	seen := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if seen[tc.name] {
				t.Fatal("test table: two cases share this name")
			}
			seen[tc.name] = true
			if tc.skip != nil {
				if reason := tc.skip(); reason != "" {
					t.Skip(reason)
				}
			}
			dir := project(t)
			if code, _, errOut := run(t, dir, "gen"); code != 0 {
				t.Fatalf("setup: gen = %d: %s", code, errOut)
			}
			if tc.config != nil {
				example, err := os.ReadFile(filepath.Join(dir, "platform.yaml"))
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(dir, "platform.yaml"), tc.config(t, string(example)))
			}
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			args := tc.args
			if args == nil {
				args = []string{"gen"}
			}
			before := tree(t, dir)
			code, out, errOut := run(t, dir, args...)
			if *showBadInput {
				t.Logf("%s\n%s", tc.name, errOut)
			}
			if code != 1 {
				t.Errorf("exit status %d; want 1", code)
			}
			if out != "" {
				t.Errorf("stdout %q; want nothing", out)
			}
			if diff := cmp.Diff("error: "+tc.want+"\n", withoutNotes(errOut)); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
				t.Errorf("the project changed (-before +after):\n%s", diff)
			}
		})
	}
}

// withoutNotes drops the "not rendered yet" lines gen prints before it
// writes.
func withoutNotes(stderr string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(stderr, "\n") {
		placeholder := strings.HasPrefix(line, "warning: ") && strings.Contains(line, placeholderWarning)
		if !strings.HasPrefix(line, "not rendered yet: ") && !placeholder {
			b.WriteString(line)
		}
	}
	return b.String()
}

// placeholderWarning is said of the example platform.yaml's admin, render
// init's placeholder (TestInitMarksThePlaceholderAdmin).
const placeholderWarning = "is render init's placeholder in the documentation's example account"

// tree describes everything under dir: each path with its mode and, for a
// file, its contents, for a symbolic link, its target.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		desc := info.Mode().String()
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			desc += " -> " + target
		case info.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			desc += fmt.Sprintf(" %d bytes\n%s", len(b), b)
		}
		entries[filepath.ToSlash(rel)] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(target, link string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
}

// configCases are bad platform.yaml files. Each changes the example in one
// place, so each shows one mistake.
func configCases() []badInput {
	return []badInput{
		{name: "a YAML syntax error", config: replace("  region: us-west-2\n", "  region: us-west-2: x\n"),
			want: `platform.yaml:10:1: YAML syntax error: mapping values are not allowed in this context`},
		{name: "an unknown key", config: replace("    vpcCIDR: 10.0.0.0/16\n", "    vpcCidr: 10.0.0.0/16\n"),
			want: `platform.yaml:16:5: spec.network.vpcCidr: unknown field; allowed fields are vpcCIDR, azCount, availabilityZones, subnets, natMode, flowLogs, existing`},
		{name: "a duplicate key", config: replace("  region: us-west-2\n", "  region: us-west-2\n  region: us-east-1\n"),
			want: `platform.yaml:11:3: spec.region: duplicate key (first at line 10)`},
		{name: "a number where a string belongs", config: replace(`version: "1.35"`, `version: 1.30`),
			want: `platform.yaml:18:14: spec.cluster.version: want a string, got float "1.30" (quote it: "1.30")`},
		{name: "a string where a number belongs", config: replace("azCount: 2", "azCount: two"),
			want: `platform.yaml:25:16: environments.dev.network.azCount: want an integer, got str "two"`},
		{name: "a null value", config: replace("  region: us-west-2\n", "  region:\n"),
			want: `platform.yaml:10:10: spec.region: has no value; give one or remove the key`},
		{name: "an empty file", config: content(""),
			want: `platform.yaml: empty file; want a document with apiVersion: platform.eks-render.dev/v1alpha1 and kind: Platform`},
		{name: "only comments", config: content("# nothing here\n"),
			want: `platform.yaml: empty file; want a document with apiVersion: platform.eks-render.dev/v1alpha1 and kind: Platform`},
		{name: "a second YAML document", config: func(_ testing.TB, s string) string { return s + "---\nkind: Platform\n" },
			want: `platform.yaml:62:1: a second YAML document; the configuration is exactly one document (remove the '---' separator)`},
		{name: "a list instead of a mapping", config: content("- apiVersion: platform.eks-render.dev/v1alpha1\n"),
			want: `platform.yaml:1:1: the document must be a mapping with apiVersion: platform.eks-render.dev/v1alpha1 and kind: Platform`},
		{name: "more than 1 MiB", config: func(_ testing.TB, s string) string {
			return s + "#" + strings.Repeat("x", 1<<20) + "\n"
		}, want: `read configuration: platform.yaml: file is 1050259 bytes; a configuration file may be at most 1048576 bytes`},
		{name: "binary input", config: content("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00"),
			want: `platform.yaml: not a UTF-8 text file`},
		{name: "invalid UTF-8", config: replace("name: demo", "name: d\xffmo"),
			want: `platform.yaml: not a UTF-8 text file`},
		{name: "a control character", config: replace("name: demo", "name: de\x1bmo"),
			want: `platform.yaml:9:11: control character U+001B is not allowed in YAML; remove it`},
		{name: "a tab in the indentation", config: replace("  region: us-west-2\n", "\tregion: us-west-2\n"),
			want: `platform.yaml:9:1: YAML syntax error: found a tab character that violates indentation`},
		{name: "the wrong kind", config: replace("kind: Platform", "kind: Cluster"),
			want: `platform.yaml:5:7: kind: is "Cluster"; want Platform`},
		{name: "a bad CIDR", config: replace("vpcCIDR: 10.1.0.0/16", "vpcCIDR: 10.1.0.300/16"),
			want: `platform.yaml:39:16: environments.prod.network.vpcCIDR: "10.1.0.300/16" is not an IPv4 CIDR; want e.g. 10.0.0.0/16`},
		{name: "a CIDR with host bits", config: replace("vpcCIDR: 10.1.0.0/16", "vpcCIDR: 10.1.2.0/16"),
			want: `platform.yaml:39:16: environments.prod.network.vpcCIDR: 10.1.2.0/16 has host bits set; did you mean 10.1.0.0/16?`},
		{name: "a VPC larger than AWS allows", config: replace("vpcCIDR: 10.1.0.0/16", "vpcCIDR: 10.0.0.0/8"),
			want: `platform.yaml:39:16: environments.prod.network.vpcCIDR: 10.0.0.0/8 has prefix length /8; AWS allows /16 to /28`},
		{name: "overlapping subnets", config: replace("      azCount: 2\n",
			"      azCount: 2\n      subnets:\n        - {public: 10.0.0.0/24, private: 10.0.16.0/20}\n        - {public: 10.0.1.0/24, private: 10.0.0.0/20}\n"),
			want: "platform.yaml:28:42: environments.dev.network.subnets[1].private: 10.0.0.0/20 overlaps network.subnets[0].public (10.0.0.0/24)\nplatform.yaml:28:42: environments.dev.network.subnets[1].private: 10.0.0.0/20 overlaps network.subnets[1].public (10.0.1.0/24)"},
		{name: "a subnet outside the VPC", config: replace("      azCount: 2\n",
			"      azCount: 2\n      subnets:\n        - {public: 10.0.0.0/24, private: 10.0.16.0/20}\n        - {public: 10.9.1.0/24, private: 10.0.32.0/20}\n"),
			want: `platform.yaml:28:20: environments.dev.network.subnets[1].public: 10.9.1.0/24 is outside the VPC 10.0.0.0/16`},
		{name: "too few availability zones", config: replace("azCount: 2", "azCount: 1"),
			want: `platform.yaml:25:16: environments.dev.network.azCount: 1 is out of range; want 2 to 6`},
		{name: "a zone of another region", config: replace("      azCount: 2\n", "      availabilityZones: [us-west-2a, eu-west-1b]\n"),
			want: `platform.yaml:25:39: environments.dev.network.availabilityZones[1]: "eu-west-1b" is not a zone of region us-west-2; want us-west-2a, us-west-2b, ...`},
		{name: "an unknown region", config: replace("region: us-west-2", "region: moon-1"),
			want: `platform.yaml:10:11: spec.region: "moon-1" is not an AWS region name; want e.g. us-west-2 or eu-central-1`},
		{name: "a region AWS does not have", config: replace("region: us-west-2", "region: us-west-9"),
			want: `platform.yaml:10:11: spec.region: "us-west-9" is not an AWS region; did you mean us-west-1 or us-west-2?`},
		{name: "a name AWS rejects", config: replace("name: demo", "name: Demo_Platform"),
			want: `platform.yaml:9:9: spec.name: "Demo_Platform" is not a valid platform name: want lowercase letters, digits and '-', starting with a letter and not ending with '-'`},
		{name: "a name too long for IAM role names", config: replace("name: demo", "name: "+strings.Repeat("a", 36)),
			want: `platform.yaml:9:9: spec.name: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" makes the cluster name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-prod", which is 41 characters; "<name>-<environment>" may be at most 40 (it names IAM roles, whose names AWS limits to 64)`},
		{name: "an account ID that is a number", config: replace(`accountID: "111122223333"`, `accountID: 111122223333`),
			want: `platform.yaml:11:14: spec.accountID: want a string, got int "111122223333" (quote it: "111122223333")`},
		{name: "a tag AWS reserves", config: replace("    team: platform\n", "    aws:team: platform\n"),
			want: `platform.yaml:13:15: spec.tags["aws:team"]: tag key is reserved: render sets Name and kubernetes.io/* itself, and aws: and services.k8s.aws/ belong to AWS and ACK`},
		{name: "a Kubernetes version EKS no longer offers", config: replace(`version: "1.35"`, `version: "1.31"`),
			want: `platform.yaml:18:14: spec.cluster.version: "1.31" left EKS extended support on 2026-11-26, so EKS no longer offers it (existing clusters are upgraded by AWS); EKS offers 1.32, 1.33, 1.34, 1.35 on 2026-11-29`},
		{name: "a Kubernetes version EKS has not released", config: replace(`version: "1.35"`, `version: "1.36"`),
			want: `platform.yaml:18:14: spec.cluster.version: "1.36" is not a version the EKS calendar lists as released (render knows 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35); EKS offers 1.32, 1.33, 1.34, 1.35 on 2026-11-29`},
		{name: "an invalid log retention", config: replace("logRetentionDays: 14", "logRetentionDays: 15"),
			want: `platform.yaml:30:25: environments.dev.cluster.logRetentionDays: 15 is not allowed; want one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`},
		{name: "an invalid flow log retention", config: replace("retentionDays: 365", "retentionDays: 0"),
			want: `platform.yaml:43:24: environments.prod.network.flowLogs.retentionDays: 0 is not allowed; want one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`},
		{name: "an unknown NAT mode", config: replace("natMode: single", "natMode: shared"),
			want: `platform.yaml:26:16: environments.dev.network.natMode: "shared" is not allowed; want one of perAZ, single, none`},
		{name: "an admin that is not an ARN", config: replace("- arn:aws:iam::111122223333:role/PlatformAdmin", "- PlatformAdmin"),
			want: `platform.yaml:20:9: spec.cluster.admins[0]: "PlatformAdmin" is not an IAM role or user ARN; want arn:aws:iam::<account>:role/<name> or :user/<name>`},
		{name: "an endpoint nobody can reach", config: replace("        publicAccessCIDRs: [203.0.113.0/24]\n", "        publicAccess: false\n        privateAccess: false\n"),
			want: `platform.yaml:46:7: environments.prod.cluster.endpoint: publicAccess and privateAccess are both false; the API server would be unreachable`},
		{name: "node group min above max", config: replace("minSize: 2", "minSize: 5"),
			want: `platform.yaml:51:20: environments.prod.nodeGroup.desiredSize: sizes are min 5, desired 2, max 4; want 0 <= minSize <= desiredSize <= maxSize`},
		{name: "node group desired above max", config: replace("desiredSize: 2", "desiredSize: 9"),
			want: `platform.yaml:51:20: environments.prod.nodeGroup.desiredSize: sizes are min 2, desired 9, max 4; want 0 <= minSize <= desiredSize <= maxSize`},
		{name: "a negative node group size", config: replace("minSize: 2", "minSize: -1"),
			want: `platform.yaml:51:20: environments.prod.nodeGroup.desiredSize: sizes are min -1, desired 2, max 4; want 0 <= minSize <= desiredSize <= maxSize`},
		{name: "a node group disk too small", config: replace("      maxSize: 4\n", "      maxSize: 4\n      diskSize: 8\n"),
			want: `platform.yaml:53:17: environments.prod.nodeGroup.diskSize: 8 is out of range; want 20 to 16384`},
		{name: "more than 5 Fargate selectors", config: replace("    app:\n      replicas: 1\n",
			"    app:\n      replicas: 1\n    fargateProfiles:\n      - name: many\n        selectors: [{namespace: a}, {namespace: b}, {namespace: c}, {namespace: d}, {namespace: e}, {namespace: f}]\n"),
			want: `platform.yaml:37:9: environments.dev.fargateProfiles[0].selectors: has 6 selectors; a Fargate profile takes 1 to 5`},
		{name: "two Fargate profiles with one name", config: replace("    app:\n      replicas: 1\n",
			"    app:\n      replicas: 1\n    fargateProfiles:\n      - {name: apps, selectors: [{namespace: a}]}\n      - {name: apps, selectors: [{namespace: b}]}\n"),
			want: `platform.yaml:37:16: environments.dev.fargateProfiles[1].name: "apps" repeats fargateProfiles[0].name`},
		{name: "an image without a tag", config: replace("      autoscaling:\n", "      image: nginx\n      autoscaling:\n"),
			want: `platform.yaml:57:14: environments.prod.app.image: "nginx" must name its tag or digest explicitly, e.g. registry/repo:1.2.3 or registry/repo@sha256:<64 hex>`},
		{name: "zero replicas", config: replace("replicas: 1", "replicas: 0"),
			want: `platform.yaml:34:17: environments.dev.app.replicas: 0 is out of range; want 1 to 100`},
		{name: "an autoscaler whose minimum is above its maximum", config: replace("maxReplicas: 10", "maxReplicas: 2"),
			want: `platform.yaml:60:22: environments.prod.app.autoscaling.maxReplicas: is 2, below minReplicas 3; want minReplicas <= maxReplicas`},
		{name: "an environment name that is not a DNS label", config: replace("  dev:\n", "  Dev_1:\n"),
			want: `platform.yaml:22:3: environments.Dev_1: environment name must be a DNS label of at most 20 characters: lowercase letters, digits and '-', starting with a letter`},
		{name: "an environment name too long", config: replace("  dev:\n", "  development-environment-one:\n"),
			want: `platform.yaml:22:3: environments.development-environment-one: environment name must be a DNS label of at most 20 characters: lowercase letters, digits and '-', starting with a letter`},
		{name: "an environment defined twice", config: func(_ testing.TB, s string) string { return s + "  dev: {}\n" },
			want: `platform.yaml:62:3: environments.dev: duplicate key (first at line 22)`},
		{name: "no environments", config: replace("environments:\n", "other:\n"),
			want: `platform.yaml:21:1: other: unknown field; allowed fields are apiVersion, kind, spec, environments`},
	}
}

// flagCases are bad command lines and arguments.
func flagCases() []badInput {
	return []badInput{
		{name: "an unknown flag", args: []string{"gen", "--bogus"}, want: `unknown flag: --bogus`},
		{name: "an unknown subcommand", args: []string{"generate"}, want: `unknown command "generate" for "render"`},
		{name: "an argument gen does not take", args: []string{"gen", "dev"}, want: `unknown command "dev" for "render gen"`},
		{name: "a flag without its value", args: []string{"gen", "--out-dir"}, want: `flag needs an argument: --out-dir`},
		{name: "an unknown environment", args: []string{"gen", "-o", "yaml", "--env", "qa"}, want: `platform.yaml: no environment "qa"; the file defines dev, prod`},
		{name: "an environment name that is no name", args: []string{"gen", "-o", "yaml", "--env", "../dev"}, want: `platform.yaml: no environment "../dev"; the file defines dev, prod`},
		{name: "--env without -o", args: []string{"gen", "--env", "dev"}, want: `--env and --workload go with -o`},
		{name: "-o a file", args: []string{"gen", "-o", "out.yaml"}, want: `--output "out.yaml": want yaml or json; the tree goes under --out-dir`},
		{name: "--check with -o", args: []string{"gen", "--check", "-o", "yaml", "--env", "dev"}, want: `--check and -o cannot be combined`},
		{name: "a missing configuration file", args: []string{"gen", "-f", "nope.yaml"}, want: `read configuration: open nope.yaml: no such file or directory; start a platform with render init --name NAME --account-id ID (render init --help), or name the file with --config`},
		{name: "an empty --config", args: []string{"gen", "-f", ""}, want: `--config is empty; want the configuration file, e.g. platform.yaml`},
		{name: "a configuration file that is a directory", args: []string{"gen", "-f", "base"}, want: `read configuration: base is a directory, not a configuration file`},
		{name: "a configuration file that never ends", args: []string{"gen", "-f", "/dev/zero"}, want: `read configuration: /dev/zero: file is more than 1048576 bytes; a configuration file may be at most 1048576 bytes`},
		{name: "an empty --out-dir", args: []string{"gen", "--out-dir", ""}, want: `the output directory is empty; want a path, e.g. "."`},
		{name: "--out-dir is a file", args: []string{"gen", "--out-dir", "platform.yaml"}, want: `output directory platform.yaml is not a directory`},
		{name: "--out-dir under a file", args: []string{"gen", "--out-dir", "platform.yaml/out"}, want: `output directory platform.yaml/out cannot be created: platform.yaml is not a directory`},
		{name: "--out-dir in a directory nobody may write", setup: func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "ro"), 0o555); err != nil {
				t.Fatal(err)
			}
		}, args: []string{"gen", "--out-dir", "ro/out"}, want: `create output directory: mkdir ro/out: permission denied`, skip: func() string {
			if os.Geteuid() == 0 {
				return "running as root, which may write anywhere; --out-dir under a file covers a parent that cannot be created"
			}
			return ""
		}},
		{name: "--out-dir deep under a file", args: []string{"gen", "--out-dir", "platform.yaml/a/b"}, want: `output directory platform.yaml/a/b cannot be created: platform.yaml is not a directory`},
	}
}

// treeCases are output trees render must refuse to write into.
func treeCases() []badInput {
	return []badInput{
		{name: "a symbolic link to a file outside", setup: symlink("/etc/hostname", "base/hostname.yaml"), want: `base/hostname.yaml is a symbolic link; render owns base/ and overlays/ and writes only regular files there: remove it`},
		{name: "a symbolic link to a directory outside", setup: symlink("/tmp", "overlays/dev/tmp"), want: `overlays/dev/tmp is a symbolic link; render owns base/ and overlays/ and writes only regular files there: remove it`},
		{name: "a dangling symbolic link", setup: symlink("nowhere.yaml", "overlays/prod/gone.yaml"), want: `overlays/prod/gone.yaml is a symbolic link; render owns base/ and overlays/ and writes only regular files there: remove it`},
		{name: "a symbolic link in place of a generated file", setup: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "base/vpc-vpc.yaml")
			if err := os.Rename(p, filepath.Join(dir, "vpc.yaml")); err != nil {
				t.Fatal(err)
			}
			symlink("../vpc.yaml", "base/vpc-vpc.yaml")(t, dir)
		}, want: `base/vpc-vpc.yaml is a symbolic link; render owns base/ and overlays/ and writes only regular files there: remove it`},
		{name: "overlays/dev a symbolic link", setup: func(t *testing.T, dir string) {
			if err := os.Rename(filepath.Join(dir, "overlays/dev"), filepath.Join(dir, "dev")); err != nil {
				t.Fatal(err)
			}
			symlink("../dev", "overlays/dev")(t, dir)
		}, want: `overlays/dev is a symbolic link; render owns base/ and overlays/ and writes only regular files there: remove it`},
		{name: "base a symbolic link", setup: func(t *testing.T, dir string) {
			if err := os.Rename(filepath.Join(dir, "base"), filepath.Join(dir, "shared")); err != nil {
				t.Fatal(err)
			}
			symlink("shared", "base")(t, dir)
		}, want: `base is a symbolic link; render owns base/ and overlays/ and writes only regular files there: remove it`},
		{name: "a file render did not write in base", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "base/notes.yaml"), "mine: true\n")
		}, want: `base/notes.yaml was not written by render gen (it lacks the "# Generated by render gen" header); render replaces base/ and overlays/ whole, so move the file elsewhere`},
		{name: "a foreign file in a new directory", setup: func(t *testing.T, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, "overlays/qa"), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "overlays/qa/kustomization.yaml"), "resources: []\n")
		}, want: `overlays/qa/kustomization.yaml was not written by render gen (it lacks the "# Generated by render gen" header); render replaces base/ and overlays/ whole, so move the file elsewhere`},
		{name: "a generated file edited to drop its header", setup: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "overlays/prod/kustomization.yaml")
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			_, rest, _ := bytes.Cut(b, []byte("\n"))
			writeFile(t, p, string(rest))
		}, want: `overlays/prod/kustomization.yaml was not written by render gen (it lacks the "# Generated by render gen" header); render replaces base/ and overlays/ whole, so move the file elsewhere`},
		{name: "the GitOps directory's parent a symbolic link", setup: symlink("/tmp", "gitops"),
			args: []string{"gen", "--gitops", "flux", "--gitops-repo", gitops.ExampleRepoURL}, want: `gitops is a symbolic link; render owns base/ and overlays/ and gitops/flux/ and writes only regular files there: remove it`},
		{name: "a named pipe", setup: func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "base/pipe.yaml"))
		}, want: `base/pipe.yaml is not a regular file; remove it`},
		{name: "base a file render did not write", setup: func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "base")); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "base"), "mine\n")
		}, want: `base is not a directory; render owns base/ and overlays/ and keeps its files there: move it elsewhere`},
		{name: "base a file with the header", setup: func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "base")); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "base"), "# Generated by render gen from platform.yaml. DO NOT EDIT.\n")
		}, want: `base is not a directory; render owns base/ and overlays/ and keeps its files there: move it elsewhere`},
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}
