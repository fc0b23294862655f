package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/eks-render/render/internal/eksversion"
)

// base is the smallest valid file. Each reject case changes it in one place,
// so that the case shows exactly one mistake.
const base = `apiVersion: platform.eks-render.dev/v1alpha1
kind: Platform
spec:
  name: demo
  region: us-west-2
  accountID: "111122223333"
  cluster:
    admins:
      - arn:aws:iam::111122223333:role/Admin
environments:
  dev: {}
`

type rejectCase struct {
	name string
	in   string
	// line and path locate the first error.
	line int
	path string
	// want is the whole error text.
	want string
}

// edit builds inputs from base; a step that does not apply fails the test.
type edit struct{ tb testing.TB }

// with returns base with old, which must occur exactly once, replaced by new.
func (e edit) with(old, new string) string { return e.on(base, old, new) }

// on is with applied to s instead of base.
func (e edit) on(s, old, new string) string {
	e.tb.Helper()
	if n := strings.Count(s, old); n != 1 {
		e.tb.Fatalf("test table: %q occurs %d times in %q, want once", old, n, s)
	}
	return strings.Replace(s, old, new, 1)
}

// dev adds lines (indented four spaces) to the dev environment, from line 12.
func (e edit) dev(lines string) string { return e.with("  dev: {}\n", "  dev:\n"+lines) }

// spec adds lines (indented two spaces) to spec, from line 7.
func (e edit) spec(lines string) string { return e.with("  cluster:\n", lines+"  cluster:\n") }

func rejectCases(tb testing.TB) []rejectCase {
	var cases []rejectCase
	for _, group := range []func(edit) []rejectCase{
		documentCases, decodeCases, identityCases, managementCases, networkCases, existingCases, clusterCases, workloadCases, tlsCases, reportingCases,
	} {
		cases = append(cases, group(edit{tb})...)
	}
	return cases
}

func TestParseRejects(t *testing.T) {
	seen := map[string]string{}
	for _, tc := range rejectCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			if other, dup := seen[tc.in]; dup {
				t.Fatalf("same input as case %q", other)
			}
			seen[tc.in] = tc.name
			cfg, err := Parse("platform.yaml", []byte(tc.in), eksversion.ReferenceDay)
			if err == nil {
				t.Fatalf("Parse succeeded with %d environments; want error:\n%s", len(cfg.Environments), tc.want)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error text mismatch (-want +got):\n%s", diff)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("errors.Is(err, ErrInvalid) = false for %v", err)
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("errors.As found no *FieldError in %T", err)
			}
			if fe.Line != tc.line || fe.Path != tc.path {
				t.Errorf("first FieldError at line %d, path %q; want line %d, path %q", fe.Line, fe.Path, tc.line, tc.path)
			}
		})
	}
}

// documentCases are files that are not one YAML mapping of the right kind.
func documentCases(e edit) []rejectCase {
	return []rejectCase{
		{
			name: "YAML syntax error",
			in:   e.with("  region: us-west-2\n", "  region: us-west-2: x\n"),
			line: 5, path: "",
			want: `platform.yaml:5:1: YAML syntax error: mapping values are not allowed in this context`,
		},
		{
			name: "tab indentation",
			in:   e.with("  region:", "\tregion:"),
			line: 4, path: "",
			want: `platform.yaml:4:1: YAML syntax error: found a tab character that violates indentation`,
		},
		{
			name: "unclosed flow list",
			in:   e.with("  dev: {}\n", "  dev: {app: [}\n"),
			line: 11, path: "",
			want: `platform.yaml:11:1: YAML syntax error: did not find expected node content`,
		},
		{
			name: "alias without anchor",
			in:   e.with("  dev: {}\n", "  dev: *shared\n"),
			line: 11, path: "",
			want: `platform.yaml:11:1: YAML syntax error: alias *shared refers to no anchor &shared defined before it`,
		},
		{
			name: "empty file",
			in:   "",
			line: 0, path: "",
			want: `platform.yaml: empty file; want a document with apiVersion: platform.eks-render.dev/v1alpha1 and kind: Platform`,
		},
		{
			name: "only comments",
			in:   "# platform.yaml\n\n# nothing yet\n",
			line: 0, path: "",
			want: `platform.yaml: empty file; want a document with apiVersion: platform.eks-render.dev/v1alpha1 and kind: Platform`,
		},
		{
			name: "second YAML document",
			in:   base + "---\nkind: Platform\n",
			line: 12, path: "",
			want: `platform.yaml:12:1: a second YAML document; the configuration is exactly one document (remove the '---' separator)`,
		},
		{
			name: "NUL byte",
			in:   e.with("demo", "de\x00mo"),
			line: 0, path: "",
			want: `platform.yaml: not a UTF-8 text file`,
		},
		{
			name: "invalid UTF-8",
			in:   e.with("demo", "dem\xff"),
			line: 0, path: "",
			want: `platform.yaml: not a UTF-8 text file`,
		},
		{
			name: "control character",
			in:   e.with("demo", "de\x1bmo"),
			line: 4, path: "",
			want: `platform.yaml:4:11: control character U+001B is not allowed in YAML; remove it`,
		},
		{
			name: "file over MaxFileSize",
			in:   base + "#" + strings.Repeat(" padding", MaxFileSize/8) + "\n",
			line: 0, path: "",
			want: `platform.yaml: file is 1048797 bytes; a configuration file may be at most 1048576 bytes`,
		},
		{
			name: "top level is a list",
			in:   "- apiVersion: platform.eks-render.dev/v1alpha1\n- kind: Platform\n",
			line: 1, path: "",
			want: `platform.yaml:1:1: the document must be a mapping with apiVersion: platform.eks-render.dev/v1alpha1 and kind: Platform`,
		},
		{
			name: "top level is a string",
			in:   "platform.eks-render.dev/v1alpha1\n",
			line: 1, path: "",
			want: `platform.yaml:1:1: the document must be a mapping with apiVersion: platform.eks-render.dev/v1alpha1 and kind: Platform`,
		},
		{
			name: "missing apiVersion",
			in:   e.with("apiVersion: platform.eks-render.dev/v1alpha1\n", ""),
			line: 1, path: "apiVersion",
			want: `platform.yaml:1:1: apiVersion: is missing; want apiVersion: platform.eks-render.dev/v1alpha1`,
		},
		{
			name: "wrong apiVersion",
			in:   e.with("/v1alpha1", "/v1"),
			line: 1, path: "apiVersion",
			want: `platform.yaml:1:13: apiVersion: is "platform.eks-render.dev/v1"; want platform.eks-render.dev/v1alpha1`,
		},
		{
			name: "wrong kind",
			in:   e.with("kind: Platform", "kind: platform"),
			line: 2, path: "kind",
			want: `platform.yaml:2:7: kind: is "platform"; want Platform`,
		},
		{
			name: "no environments",
			in:   e.with("  dev: {}\n", "  {}\n"),
			line: 10, path: "environments",
			want: `platform.yaml:10:1: environments: at least one environment is required, e.g. environments: {dev: {}}`,
		},
		{
			name: "environments missing",
			in:   e.with("environments:\n  dev: {}\n", ""),
			line: 1, path: "environments",
			want: `platform.yaml:1:1: environments: at least one environment is required, e.g. environments: {dev: {}}`,
		},
	}
}

// decodeCases are mistakes the strict decoder finds: unknown fields,
// duplicate keys, wrong types.
func decodeCases(e edit) []rejectCase {
	return []rejectCase{
		{
			name: "unknown top-level field",
			in:   e.with("kind: Platform\n", "kind: Platform\nmetadata: {name: demo}\n"),
			line: 3, path: "metadata",
			want: `platform.yaml:3:1: metadata: unknown field; allowed fields are apiVersion, kind, spec, environments`,
		},
		{
			name: "unknown field in spec",
			in:   e.with("  region:", "  regoin:"),
			line: 5, path: "spec.regoin",
			want: `platform.yaml:5:3: spec.regoin: unknown field; allowed fields are name, region, accountID, management, tags, deletionPolicy, network, cluster, nodeGroup, fargateProfiles, fargateSystemSelectors, app, logging`,
		},
		{
			name: "unknown field in nested struct",
			in:   e.spec("  network:\n    vpcCidr: 10.0.0.0/16\n"),
			line: 8, path: "spec.network.vpcCidr",
			want: `platform.yaml:8:5: spec.network.vpcCidr: unknown field; allowed fields are vpcCIDR, azCount, availabilityZones, subnets, natMode, flowLogs, existing`,
		},
		{
			name: "unknown field in environment",
			in:   e.dev("    clutser: {version: \"1.33\"}\n"),
			line: 12, path: "environments.dev.clutser",
			want: `platform.yaml:12:5: environments.dev.clutser: unknown field; allowed fields are name, region, accountID, management, tags, deletionPolicy, network, cluster, nodeGroup, fargateProfiles, fargateSystemSelectors, app, logging`,
		},
		{
			name: "duplicate key in spec",
			in:   e.with("  region: us-west-2\n", "  region: us-west-2\n  region: us-east-1\n"),
			line: 6, path: "spec.region",
			want: `platform.yaml:6:3: spec.region: duplicate key (first at line 5)`,
		},
		{
			name: "duplicate environment",
			in:   e.with("  dev: {}\n", "  dev: {}\n  dev: {app: {replicas: 1}}\n"),
			line: 12, path: "environments.dev",
			want: `platform.yaml:12:3: environments.dev: duplicate key (first at line 11)`,
		},
		{
			name: "string where integer",
			in:   e.dev("    app: {replicas: two}\n"),
			line: 12, path: "environments.dev.app.replicas",
			want: `platform.yaml:12:21: environments.dev.app.replicas: want an integer, got str "two"`,
		},
		{
			name: "unquoted account ID",
			in:   e.with(`"111122223333"`, "111122223333"),
			line: 6, path: "spec.accountID",
			want: `platform.yaml:6:14: spec.accountID: want a string, got int "111122223333" (quote it: "111122223333")`,
		},
		{
			name: "version as float",
			in:   e.with("  cluster:\n", "  cluster:\n    version: 1.30\n"),
			line: 8, path: "spec.cluster.version",
			want: `platform.yaml:8:14: spec.cluster.version: want a string, got float "1.30" (quote it: "1.30")`,
		},
		{
			name: "yes for a boolean",
			in:   e.dev("    nodeGroup:\n      enabled: yes\n"),
			line: 13, path: "environments.dev.nodeGroup.enabled",
			want: `platform.yaml:13:16: environments.dev.nodeGroup.enabled: want true or false, got str "yes"`,
		},
		{
			name: "list where mapping",
			in:   e.dev("    network: [10.0.0.0/16]\n"),
			line: 12, path: "environments.dev.network",
			want: `platform.yaml:12:14: environments.dev.network: want a mapping with fields vpcCIDR, azCount, availabilityZones, subnets, natMode, flowLogs, existing, got a list`,
		},
		{
			name: "mapping where list",
			in:   e.with("    admins:\n      - arn:aws:iam::111122223333:role/Admin\n", "    admins:\n      admin: arn:aws:iam::111122223333:role/Admin\n"),
			line: 9, path: "spec.cluster.admins",
			want: `platform.yaml:9:7: spec.cluster.admins: want a list, got a mapping`,
		},
		{
			name: "scalar where mapping of strings",
			in:   e.spec("  tags: team=platform\n"),
			line: 7, path: "spec.tags",
			want: `platform.yaml:7:9: spec.tags: want a mapping, got str "team=platform"`,
		},
		{
			name: "null value",
			in:   e.with("  region: us-west-2\n", "  region:\n"),
			line: 5, path: "spec.region",
			want: `platform.yaml:5:10: spec.region: has no value; give one or remove the key`,
		},
		{
			name: "tilde null in list",
			in:   e.with("      - arn:aws:iam::111122223333:role/Admin\n", "      - ~\n"),
			line: 9, path: "spec.cluster.admins[0]",
			want: `platform.yaml:9:9: spec.cluster.admins[0]: has no value; give one or remove the key`,
		},
		{
			name: "environment without a body",
			in:   e.with("  dev: {}\n", "  dev:\n"),
			line: 11, path: "environments.dev",
			want: `platform.yaml:11:7: environments.dev: has no value; write {} for an empty mapping, or remove the key`,
		},
		{
			name: "YAML merge key",
			in:   e.dev("    <<: {region: us-east-1}\n"),
			line: 12, path: "environments.dev",
			want: `platform.yaml:12:5: environments.dev: keys must be plain strings (YAML merge keys '<<' are not supported)`,
		},
		{
			name: "integer key",
			in:   e.spec("  tags:\n    2024: budget\n"),
			line: 8, path: "spec.tags.2024",
			want: `platform.yaml:8:5: spec.tags.2024: key must be a string; quote it`,
		},
		{
			name: "custom tag",
			in:   e.with("  region: us-west-2\n", "  region: !custom us-west-2\n"),
			line: 5, path: "spec.region",
			want: `platform.yaml:5:11: spec.region: want a string, got !custom "us-west-2" (remove the tag !custom)`,
		},
		{
			name: "recursive alias",
			in:   e.with("  dev: {}\n", "  dev: &x\n    app: *x\n"),
			line: 12, path: "environments.dev.app.app",
			want: `platform.yaml:12:5: environments.dev.app.app: unknown field; allowed fields are replicas, image, cpu, memory, autoscaling, tls`,
		},
		{
			name: "alias bomb",
			in:   aliasBomb(1000),
			line: 13, path: "environments.e0.fargateProfiles[33].selectors[262]",
			want: `platform.yaml:13:1636: environments.e0.fargateProfiles[33].selectors[262]: too many YAML nodes (aliases included); at most 100000`,
		},
		{
			name: "spec inherited by many environments",
			in:   inheritedBomb(e, 5000, 20),
			line: 3, path: "spec",
			want: `platform.yaml:3:1: spec: has 5009 YAML nodes and is merged into each of the 20 environments, 100204 nodes to check in all; at most 100000 (aliases included)`,
		},
	}
}

// inheritedBomb is a spec list that every one of many environments inherits.
func inheritedBomb(e edit, items, envs int) string {
	types := strings.TrimSuffix(strings.Repeat("t3.medium, ", items), ", ")
	var b strings.Builder
	for i := range envs {
		fmt.Fprintf(&b, "  e%d: {}\n", i)
	}
	return e.on(e.spec("  nodeGroup: {instanceTypes: ["+types+"]}\n"), "  dev: {}\n", b.String())
}

// aliasBomb nests k aliases at each of three list levels (environments,
// fargateProfiles, selectors): k³ selectors from a file of a few kilobytes.
func aliasBomb(k int) string {
	refs := func(alias string) string {
		return strings.TrimSuffix(strings.Repeat(alias+", ", k), ", ")
	}
	var b strings.Builder
	b.WriteString(base)
	fmt.Fprintf(&b, "  e0: &env\n    fargateProfiles: [&fp {name: p, selectors: [&sel {namespace: n}, %s]}, %s]\n",
		refs("*sel"), refs("*fp"))
	for i := 1; i <= k; i++ {
		fmt.Fprintf(&b, "  e%d: *env\n", i)
	}
	return b.String()
}

// identityCases are mistakes in environment names, name, region, account
// and tags.
func identityCases(e edit) []rejectCase {
	tooManyTags := "  tags:\n"
	for i := range MaxUserTags + 1 {
		tooManyTags += fmt.Sprintf("    t%02d: v\n", i)
	}
	return []rejectCase{
		{
			name: "environment name not a DNS label",
			in:   e.with("  dev: {}\n", "  Dev: {}\n"),
			line: 11, path: "environments.Dev",
			want: `platform.yaml:11:3: environments.Dev: environment name must be a DNS label of at most 20 characters: lowercase letters, digits and '-', starting with a letter`,
		},
		{
			name: "environment name too long",
			in:   e.with("  dev: {}\n", "  development-sandbox-1: {}\n"),
			line: 11, path: "environments.development-sandbox-1",
			want: `platform.yaml:11:3: environments.development-sandbox-1: environment name must be a DNS label of at most 20 characters: lowercase letters, digits and '-', starting with a letter`,
		},
		{
			name: "environment name with a bracket",
			in:   e.with("  dev: {}\n", "  \"dev]\": {}\n"),
			line: 11, path: `environments["dev]"]`,
			want: `platform.yaml:11:3: environments["dev]"]: environment name must be a DNS label of at most 20 characters: lowercase letters, digits and '-', starting with a letter`,
		},
		{
			name: "missing name",
			in:   e.with("  name: demo\n", ""),
			line: 3, path: "spec.name",
			want: `platform.yaml:3:1: spec.name: is required: the platform name, e.g. name: demo`,
		},
		{
			name: "name breaks the naming rule",
			in:   e.with("name: demo", "name: demo_app"),
			line: 4, path: "spec.name",
			want: `platform.yaml:4:9: spec.name: "demo_app" is not a valid platform name: want lowercase letters, digits and '-', starting with a letter and not ending with '-'`,
		},
		{
			name: "name too long with environment suffix",
			in:   e.with("name: demo", "name: "+strings.Repeat("d", MaxClusterName-3)),
			line: 4, path: "spec.name",
			want: `platform.yaml:4:9: spec.name: "ddddddddddddddddddddddddddddddddddddd" makes the cluster name "ddddddddddddddddddddddddddddddddddddd-dev", which is 41 characters; "<name>-<environment>" may be at most 40 (it names IAM roles, whose names AWS limits to 64)`,
		},
		{
			name: "bad region",
			in:   e.with("region: us-west-2", "region: oregon"),
			line: 5, path: "spec.region",
			want: `platform.yaml:5:11: spec.region: "oregon" is not an AWS region name; want e.g. us-west-2 or eu-central-1`,
		},
		{
			name: "a region shaped like one that AWS does not have",
			in:   e.with("region: us-west-2", "region: us-west-9"),
			line: 5, path: "spec.region",
			want: `platform.yaml:5:11: spec.region: "us-west-9" is not an AWS region; did you mean us-west-1 or us-west-2?`,
		},
		{
			name: "a misspelt region",
			in:   e.with("region: us-west-2", "region: eu-centrl-1"),
			line: 5, path: "spec.region",
			want: `platform.yaml:5:11: spec.region: "eu-centrl-1" is not an AWS region; did you mean eu-central-1?`,
		},
		{
			name: "account ID of 11 digits",
			in:   e.with(`"111122223333"`, `"11112222333"`),
			line: 6, path: "spec.accountID",
			want: `platform.yaml:6:14: spec.accountID: "11112222333" is not an AWS account ID; want 12 digits, quoted`,
		},
		{
			name: "reserved tag Name",
			in:   e.spec("  tags: {Name: demo}\n"),
			line: 7, path: "spec.tags.Name",
			want: `platform.yaml:7:16: spec.tags.Name: tag key is reserved: render sets Name and kubernetes.io/* itself, and aws: and services.k8s.aws/ belong to AWS and ACK`,
		},
		{
			name: "reserved tag kubernetes.io",
			in:   e.spec("  tags:\n    kubernetes.io/cluster/demo: owned\n"),
			line: 8, path: "spec.tags[\"kubernetes.io/cluster/demo\"]",
			want: `platform.yaml:8:33: spec.tags["kubernetes.io/cluster/demo"]: tag key is reserved: render sets Name and kubernetes.io/* itself, and aws: and services.k8s.aws/ belong to AWS and ACK`,
		},
		{
			name: "reserved tag aws:",
			in:   e.dev("    tags: {\"aws:createdBy\": me}\n"),
			line: 12, path: "environments.dev.tags[\"aws:createdBy\"]",
			want: `platform.yaml:12:29: environments.dev.tags["aws:createdBy"]: tag key is reserved: render sets Name and kubernetes.io/* itself, and aws: and services.k8s.aws/ belong to AWS and ACK`,
		},
		{
			name: "tag key with bad characters",
			in:   e.spec("  tags: {\"team*\": platform}\n"),
			line: 7, path: "spec.tags[\"team*\"]",
			want: `platform.yaml:7:19: spec.tags["team*"]: tag key must be 1 to 128 letters, digits, spaces or _.:/=+-@`,
		},
		{
			name: "too many tags",
			in:   e.spec(tooManyTags),
			line: 7, path: "spec.tags",
			want: `platform.yaml:7:3: spec.tags: has 41 tags; at most 40 (AWS allows 50 per resource and render adds its own)`,
		},
		{
			name: "bad deletionPolicy",
			in:   e.dev("    deletionPolicy: Retain\n"),
			line: 12, path: "environments.dev.deletionPolicy",
			want: `platform.yaml:12:21: environments.dev.deletionPolicy: "Retain" is not allowed; want one of delete, retain`,
		},
		{
			name: "bad fargateSystemSelectors",
			in:   e.dev("    fargateSystemSelectors: kube-system\n"),
			line: 12, path: "environments.dev.fargateSystemSelectors",
			want: `platform.yaml:12:29: environments.dev.fargateSystemSelectors: "kube-system" is not allowed; want one of withGameProfile, ownProfile`,
		},
	}
}

// networkCases are mistakes in the VPC, zones and subnets.
func networkCases(e edit) []rejectCase {
	return []rejectCase{
		{
			name: "vpcCIDR not a CIDR",
			in:   e.spec("  network: {vpcCIDR: 10.0.0.0}\n"),
			line: 7, path: "spec.network.vpcCIDR",
			want: `platform.yaml:7:22: spec.network.vpcCIDR: "10.0.0.0" is not an IPv4 CIDR; want e.g. 10.0.0.0/16`,
		},
		{
			name: "vpcCIDR IPv6",
			in:   e.spec("  network: {vpcCIDR: \"fd00::/56\"}\n"),
			line: 7, path: "spec.network.vpcCIDR",
			want: `platform.yaml:7:22: spec.network.vpcCIDR: "fd00::/56" is not an IPv4 CIDR; want e.g. 10.0.0.0/16`,
		},
		{
			name: "vpcCIDR /8",
			in:   e.spec("  network: {vpcCIDR: 10.0.0.0/8}\n"),
			line: 7, path: "spec.network.vpcCIDR",
			want: `platform.yaml:7:22: spec.network.vpcCIDR: 10.0.0.0/8 has prefix length /8; AWS allows /16 to /28`,
		},
		{
			name: "vpcCIDR host bits set",
			in:   e.spec("  network: {vpcCIDR: 10.0.1.0/16}\n"),
			line: 7, path: "spec.network.vpcCIDR",
			want: `platform.yaml:7:22: spec.network.vpcCIDR: 10.0.1.0/16 has host bits set; did you mean 10.0.0.0/16?`,
		},
		{
			name: "vpcCIDR too small to derive subnets",
			in:   e.spec("  network: {vpcCIDR: 10.0.0.0/24}\n"),
			line: 7, path: "spec.network.vpcCIDR",
			want: `platform.yaml:7:22: spec.network.vpcCIDR: 10.0.0.0/24 is too small to derive subnets from; use /22 or larger, or give network.subnets`,
		},
		{
			name: "azCount 1",
			in:   e.dev("    network: {azCount: 1}\n"),
			line: 12, path: "environments.dev.network.azCount",
			want: `platform.yaml:12:24: environments.dev.network.azCount: 1 is out of range; want 2 to 6`,
		},
		{
			name: "azCount 7",
			in:   e.dev("    network: {azCount: 7}\n"),
			line: 12, path: "environments.dev.network.azCount",
			want: `platform.yaml:12:24: environments.dev.network.azCount: 7 is out of range; want 2 to 6`,
		},
		{
			name: "zones of another region",
			in:   e.dev("    network:\n      availabilityZones: [us-east-1a, us-east-1b]\n"),
			line: 13, path: "environments.dev.network.availabilityZones[0]",
			want: `platform.yaml:13:27: environments.dev.network.availabilityZones[0]: "us-east-1a" is not a zone of region us-west-2; want us-west-2a, us-west-2b, ...
platform.yaml:13:39: environments.dev.network.availabilityZones[1]: "us-east-1b" is not a zone of region us-west-2; want us-west-2a, us-west-2b, ...`,
		},
		{
			name: "zone listed twice",
			in:   e.dev("    network:\n      availabilityZones: [us-west-2a, us-west-2b, us-west-2a]\n"),
			line: 13, path: "environments.dev.network.availabilityZones[2]",
			want: `platform.yaml:13:51: environments.dev.network.availabilityZones[2]: zone us-west-2a is listed twice`,
		},
		{
			name: "zone listed twice with subnets",
			in:   e.dev("    network:\n      availabilityZones: [us-west-2a, us-west-2a]\n      subnets:\n        - {public: 10.0.0.0/24, private: 10.0.16.0/20}\n        - {public: 10.0.1.0/24, private: 10.0.32.0/20}\n"),
			line: 13, path: "environments.dev.network.availabilityZones[1]",
			want: `platform.yaml:13:39: environments.dev.network.availabilityZones[1]: zone us-west-2a is listed twice`,
		},
		{
			name: "only one zone",
			in:   e.dev("    network:\n      availabilityZones: [us-west-2a]\n"),
			line: 13, path: "environments.dev.network.availabilityZones",
			want: `platform.yaml:13:7: environments.dev.network.availabilityZones: names 1 zones; EKS needs at least 2, and render uses at most 6`,
		},
		{
			name: "azCount disagrees with zones",
			in:   e.dev("    network:\n      azCount: 3\n      availabilityZones: [us-west-2a, us-west-2b]\n"),
			line: 13, path: "environments.dev.network.azCount",
			want: `platform.yaml:13:16: environments.dev.network.azCount: is 3 but network.availabilityZones names 2 zones; give one or the other`,
		},
		{
			name: "subnets wrong count",
			in:   e.dev("    network:\n      subnets:\n        - {public: 10.0.0.0/24, private: 10.0.16.0/20}\n        - {public: 10.0.1.0/24, private: 10.0.32.0/20}\n"),
			line: 13, path: "environments.dev.network.subnets",
			want: `platform.yaml:13:7: environments.dev.network.subnets: has 2 entries but the environment has 3 availability zones; give one {public, private} pair per zone, in zone order`,
		},
		{
			name: "subnets overlap",
			in:   e.dev("    network:\n      azCount: 2\n      subnets:\n        - {public: 10.0.0.0/24, private: 10.0.16.0/20}\n        - {public: 10.0.1.0/24, private: 10.0.0.0/20}\n"),
			line: 16, path: "environments.dev.network.subnets[1].private",
			want: `platform.yaml:16:42: environments.dev.network.subnets[1].private: 10.0.0.0/20 overlaps network.subnets[0].public (10.0.0.0/24)
platform.yaml:16:42: environments.dev.network.subnets[1].private: 10.0.0.0/20 overlaps network.subnets[1].public (10.0.1.0/24)`,
		},
		{
			name: "subnet outside the VPC",
			in:   e.dev("    network:\n      azCount: 2\n      subnets:\n        - {public: 10.0.0.0/24, private: 10.0.16.0/20}\n        - {public: 10.1.1.0/24, private: 10.0.32.0/20}\n"),
			line: 16, path: "environments.dev.network.subnets[1].public",
			want: `platform.yaml:16:20: environments.dev.network.subnets[1].public: 10.1.1.0/24 is outside the VPC 10.0.0.0/16`,
		},
		{
			name: "subnet not a CIDR",
			in:   e.dev("    network:\n      azCount: 2\n      subnets:\n        - {public: 10.0.0.0/24, private: 10.0.16.0/20}\n        - {public: 10.0.1.0, private: 10.0.32.0/20}\n"),
			line: 16, path: "environments.dev.network.subnets[1].public",
			want: `platform.yaml:16:20: environments.dev.network.subnets[1].public: "10.0.1.0" is not an IPv4 CIDR; want e.g. 10.0.0.0/16`,
		},
		{
			name: "subnet missing private",
			in:   e.dev("    network:\n      azCount: 2\n      subnets:\n        - {public: 10.0.0.0/24, private: 10.0.16.0/20}\n        - {public: 10.0.1.0/24}\n"),
			line: 16, path: "environments.dev.network.subnets[1].private",
			want: `platform.yaml:16:11: environments.dev.network.subnets[1].private: is missing; want an IPv4 CIDR, e.g. 10.0.0.0/16`,
		},
		{
			name: "bad natMode",
			in:   e.dev("    network: {natMode: perAz}\n"),
			line: 12, path: "environments.dev.network.natMode",
			want: `platform.yaml:12:24: environments.dev.network.natMode: "perAz" is not allowed; want one of perAZ, single, none`,
		},
		{
			name: "flowLogs retentionDays 10",
			in:   e.dev("    network:\n      flowLogs: {retentionDays: 10}\n"),
			line: 13, path: "environments.dev.network.flowLogs.retentionDays",
			want: `platform.yaml:13:33: environments.dev.network.flowLogs.retentionDays: 10 is not allowed; want one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
		},
		{
			name: "flowLogs trafficType lowercase",
			in:   e.dev("    network:\n      flowLogs: {trafficType: all}\n"),
			line: 13, path: "environments.dev.network.flowLogs.trafficType",
			want: `platform.yaml:13:31: environments.dev.network.flowLogs.trafficType: "all" is not allowed; want one of ALL, ACCEPT, REJECT`,
		},
	}
}

// clusterCases are mistakes in the EKS control plane.
func clusterCases(e edit) []rejectCase {
	return []rejectCase{
		{
			name: "unsupported Kubernetes version",
			in:   e.with("  cluster:\n", "  cluster:\n    version: \"1.29\"\n"),
			line: 8, path: "spec.cluster.version",
			want: `platform.yaml:8:14: spec.cluster.version: "1.29" left EKS extended support on 2026-03-23, so EKS no longer offers it (existing clusters are upgraded by AWS); EKS offers 1.32, 1.33, 1.34, 1.35 on 2026-11-29`,
		},
		{
			name: "unknown log type",
			in:   e.with("  cluster:\n", "  cluster:\n    logTypes: [api, apiserver]\n"),
			line: 8, path: "spec.cluster.logTypes[1]",
			want: `platform.yaml:8:21: spec.cluster.logTypes[1]: "apiserver" is not allowed; want one of api, audit, authenticator, controllerManager, scheduler`,
		},
		{
			name: "duplicate log type",
			in:   e.with("  cluster:\n", "  cluster:\n    logTypes: [api, audit, api]\n"),
			line: 8, path: "spec.cluster.logTypes[2]",
			want: `platform.yaml:8:28: spec.cluster.logTypes[2]: "api" repeats cluster.logTypes[0]`,
		},
		{
			name: "logRetentionDays 10",
			in:   e.dev("    cluster: {logRetentionDays: 10}\n"),
			line: 12, path: "environments.dev.cluster.logRetentionDays",
			want: `platform.yaml:12:33: environments.dev.cluster.logRetentionDays: 10 is not allowed; want one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
		},
		{
			name: "Fargate log retention 10",
			in:   e.dev("    logging: {fargate: {retentionDays: 10}}\n"),
			line: 12, path: "environments.dev.logging.fargate.retentionDays",
			want: `platform.yaml:12:40: environments.dev.logging.fargate.retentionDays: 10 is not allowed; want one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
		},
		{
			name: "both endpoint accesses false",
			in:   e.dev("    cluster:\n      endpoint:\n        publicAccess: false\n        privateAccess: false\n"),
			line: 13, path: "environments.dev.cluster.endpoint",
			want: `platform.yaml:13:7: environments.dev.cluster.endpoint: publicAccess and privateAccess are both false; the API server would be unreachable`,
		},
		{
			name: "publicAccessCIDRs without publicAccess",
			in:   e.dev("    cluster:\n      endpoint:\n        publicAccess: false\n        publicAccessCIDRs: [203.0.113.0/24]\n"),
			line: 15, path: "environments.dev.cluster.endpoint.publicAccessCIDRs",
			want: `platform.yaml:15:9: environments.dev.cluster.endpoint.publicAccessCIDRs: is only allowed with publicAccess: true`,
		},
		{
			name: "publicAccessCIDRs host bits",
			in:   e.dev("    cluster:\n      endpoint:\n        publicAccessCIDRs: [203.0.113.1/24]\n"),
			line: 14, path: "environments.dev.cluster.endpoint.publicAccessCIDRs[0]",
			want: `platform.yaml:14:29: environments.dev.cluster.endpoint.publicAccessCIDRs[0]: "203.0.113.1/24" is not an IPv4 CIDR without host bits; want e.g. 203.0.113.0/24`,
		},
		{
			name: "empty admins",
			in:   e.dev("    cluster: {admins: []}\n"),
			line: 12, path: "environments.dev.cluster.admins",
			want: `platform.yaml:12:15: environments.dev.cluster.admins: is empty, so nobody could use the cluster: list at least one IAM role or user ARN, e.g. arn:aws:iam::111122223333:role/PlatformAdmin`,
		},
		{
			name: "admin ARN of a group",
			in:   e.with("role/Admin", "group/Admins"),
			line: 9, path: "spec.cluster.admins[0]",
			want: `platform.yaml:9:9: spec.cluster.admins[0]: "arn:aws:iam::111122223333:group/Admins" is not an IAM role or user ARN; want arn:aws:iam::<account>:role/<name> or :user/<name>`,
		},
		{
			name: "admin ARN in the wrong partition",
			in:   e.with("region: us-west-2", "region: cn-north-1"),
			line: 9, path: "spec.cluster.admins[0]",
			want: `platform.yaml:9:9: spec.cluster.admins[0]: "arn:aws:iam::111122223333:role/Admin" is in partition aws but the region is in aws-cn`,
		},
		{
			name: "duplicate admin",
			in:   e.with("      - arn:aws:iam::111122223333:role/Admin\n", "      - arn:aws:iam::111122223333:role/Admin\n      - arn:aws:iam::111122223333:role/Admin\n"),
			line: 10, path: "spec.cluster.admins[1]",
			want: `platform.yaml:10:9: spec.cluster.admins[1]: "arn:aws:iam::111122223333:role/Admin" repeats cluster.admins[0]`,
		},
	}
}

// tlsCases are mistakes in app.tls.
func tlsCases(e edit) []rejectCase {
	const cert = "arn:aws:acm:us-west-2:111122223333:certificate/12345678-90ab-cdef-1234-567890abcdef"
	return []rejectCase{
		{
			name: "certificate in another region",
			in:   e.dev("    app:\n      tls: {certificateARN: \"arn:aws:acm:us-east-1:111122223333:certificate/12345678-90ab-cdef-1234-567890abcdef\"}\n"),
			line: 13, path: "environments.dev.app.tls.certificateARN",
			want: `platform.yaml:13:29: environments.dev.app.tls.certificateARN: "arn:aws:acm:us-east-1:111122223333:certificate/12345678-90ab-cdef-1234-567890abcdef" is a certificate in us-east-1; ` +
				`the environment's load balancer is in us-west-2 and can use only a certificate of its own region (ACM certificates are regional): request or import one in us-west-2`,
		},
		{
			name: "certificate of another account",
			in:   e.dev("    app:\n      tls: {certificateARN: \"arn:aws:acm:us-west-2:444455556666:certificate/12345678-90ab-cdef-1234-567890abcdef\"}\n"),
			line: 13, path: "environments.dev.app.tls.certificateARN",
			want: `platform.yaml:13:29: environments.dev.app.tls.certificateARN: "arn:aws:acm:us-west-2:444455556666:certificate/12345678-90ab-cdef-1234-567890abcdef" belongs to account 444455556666; ` +
				`the environment's load balancer is in account 111122223333 and cannot use another account's certificate: request or import one there`,
		},
		{
			name: "certificate ARN malformed",
			in:   e.dev("    app:\n      tls: {certificateARN: \"arn:aws:acm:us-west-2:111122223333:certificate/mine\"}\n"),
			line: 13, path: "environments.dev.app.tls.certificateARN",
			want: `platform.yaml:13:29: environments.dev.app.tls.certificateARN: "arn:aws:acm:us-west-2:111122223333:certificate/mine" is not an ACM certificate ARN; want arn:aws:acm:us-west-2:<12-digit account>:certificate/<uuid>`,
		},
		{
			name: "certificate ARN missing",
			in:   e.dev("    app:\n      tls: {sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06}\n"),
			line: 13, path: "environments.dev.app.tls",
			want: `platform.yaml:13:7: environments.dev.app.tls: has no certificateARN; want the ARN of an issued ACM certificate in us-west-2`,
		},
		{
			name: "custom ssl policy",
			in:   e.dev("    app:\n      tls: {certificateARN: \"" + cert + "\", sslPolicy: mine}\n"),
			line: 13, path: "environments.dev.app.tls.sslPolicy",
			want: `platform.yaml:13:127: environments.dev.app.tls.sslPolicy: "mine" is not a predefined ELB security policy; want e.g. ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 (Application Load Balancers take no custom policies)`,
		},
		{
			name: "domain form",
			in:   e.dev("    app:\n      tls: {domain: game.example.com, hostedZoneID: Z0123456789ABCDEFGHIJ}\n"),
			line: 13, path: "environments.dev.app.tls.domain",
			want: `platform.yaml:13:21: environments.dev.app.tls.domain: is not supported yet: render cannot create the certificate and DNS records (ACK's ACM and Route 53 CRDs are not part of it); request or import a certificate in ACM and set app.tls.certificateARN
platform.yaml:13:53: environments.dev.app.tls.hostedZoneID: is not supported yet: render cannot create the certificate and DNS records (ACK's ACM and Route 53 CRDs are not part of it); request or import a certificate in ACM and set app.tls.certificateARN`,
		},
	}
}

// workloadCases are mistakes in the node group, Fargate profiles and app.
func workloadCases(e edit) []rejectCase {
	sixSelectors := "    fargateProfiles:\n      - name: many\n        selectors:\n"
	for i := range MaxFargateSelectors + 1 {
		sixSelectors += fmt.Sprintf("          - namespace: ns%d\n", i)
	}
	return []rejectCase{
		{
			name: "nodeGroup min above desired",
			in:   e.dev("    nodeGroup: {minSize: 3, desiredSize: 2}\n"),
			line: 12, path: "environments.dev.nodeGroup.desiredSize",
			want: `platform.yaml:12:42: environments.dev.nodeGroup.desiredSize: sizes are min 3, desired 2, max 3; want 0 <= minSize <= desiredSize <= maxSize`,
		},
		{
			name: "nodeGroup desired above max",
			in:   e.dev("    nodeGroup: {desiredSize: 5, maxSize: 4}\n"),
			line: 12, path: "environments.dev.nodeGroup.desiredSize",
			want: `platform.yaml:12:30: environments.dev.nodeGroup.desiredSize: sizes are min 1, desired 5, max 4; want 0 <= minSize <= desiredSize <= maxSize`,
		},
		{
			name: "nodeGroup maxSize 0",
			in:   e.dev("    nodeGroup: {minSize: 0, desiredSize: 0, maxSize: 0}\n"),
			line: 12, path: "environments.dev.nodeGroup.maxSize",
			want: `platform.yaml:12:54: environments.dev.nodeGroup.maxSize: is 0; want at least 1 (set nodeGroup.enabled: false for a Fargate-only cluster)`,
		},
		{
			name: "bad instance type",
			in:   e.dev("    nodeGroup: {instanceTypes: [large]}\n"),
			line: 12, path: "environments.dev.nodeGroup.instanceTypes[0]",
			want: `platform.yaml:12:33: environments.dev.nodeGroup.instanceTypes[0]: "large" is not an EC2 instance type; want e.g. t3.medium`,
		},
		{
			name: "no instance types",
			in:   e.dev("    nodeGroup: {instanceTypes: []}\n"),
			line: 12, path: "environments.dev.nodeGroup.instanceTypes",
			want: `platform.yaml:12:17: environments.dev.nodeGroup.instanceTypes: is empty; list at least one instance type such as t3.medium`,
		},
		{
			name: "bad amiType",
			in:   e.dev("    nodeGroup: {amiType: AL2_x86_64}\n"),
			line: 12, path: "environments.dev.nodeGroup.amiType",
			want: `platform.yaml:12:26: environments.dev.nodeGroup.amiType: "AL2_x86_64" is not allowed; want one of AL2023_x86_64_STANDARD, AL2023_ARM_64_STANDARD, BOTTLEROCKET_x86_64, BOTTLEROCKET_ARM_64`,
		},
		{
			name: "bad capacityType",
			in:   e.dev("    nodeGroup: {capacityType: spot}\n"),
			line: 12, path: "environments.dev.nodeGroup.capacityType",
			want: `platform.yaml:12:31: environments.dev.nodeGroup.capacityType: "spot" is not allowed; want one of ON_DEMAND, SPOT`,
		},
		{
			name: "diskSize too small",
			in:   e.dev("    nodeGroup: {diskSize: 10}\n"),
			line: 12, path: "environments.dev.nodeGroup.diskSize",
			want: `platform.yaml:12:27: environments.dev.nodeGroup.diskSize: 10 is out of range; want 20 to 16384`,
		},
		{
			name: "diskSize too large",
			in:   e.dev("    nodeGroup: {diskSize: 20000}\n"),
			line: 12, path: "environments.dev.nodeGroup.diskSize",
			want: `platform.yaml:12:27: environments.dev.nodeGroup.diskSize: 20000 is out of range; want 20 to 16384`,
		},
		{
			name: "Fargate profile name invalid",
			in:   e.dev("    fargateProfiles:\n      - name: Game_2048\n        selectors: [{namespace: game}]\n"),
			line: 13, path: "environments.dev.fargateProfiles[0].name",
			want: `platform.yaml:13:15: environments.dev.fargateProfiles[0].name: "Game_2048": want lowercase letters, digits and '-', at most 63 characters`,
		},
		{
			name: "Fargate profile without name",
			in:   e.dev("    fargateProfiles:\n      - selectors: [{namespace: apps}]\n"),
			line: 13, path: "environments.dev.fargateProfiles[0].name",
			want: `platform.yaml:13:9: environments.dev.fargateProfiles[0].name: is missing; want lowercase letters, digits and '-', at most 63 characters`,
		},
		{
			name: "Fargate profile name duplicated",
			in:   e.dev("    fargateProfiles:\n      - {name: apps, selectors: [{namespace: a}]}\n      - {name: apps, selectors: [{namespace: b}]}\n"),
			line: 14, path: "environments.dev.fargateProfiles[1].name",
			want: `platform.yaml:14:16: environments.dev.fargateProfiles[1].name: "apps" repeats fargateProfiles[0].name`,
		},
		{
			name: "Fargate profile kube-system in Fargate-only mode",
			in:   e.dev("    nodeGroup: {enabled: false}\n    fargateProfiles:\n      - {name: kube-system, selectors: [{namespace: kube-system}]}\n"),
			line: 14, path: "environments.dev.fargateProfiles[0].name",
			want: `platform.yaml:14:16: environments.dev.fargateProfiles[0].name: "kube-system" is reserved for the kube-system profile of a Fargate-only cluster (CoreDNS and the load balancer controller)`,
		},
		{
			name: "Fargate profile metrics-server in Fargate-only mode",
			in:   e.dev("    nodeGroup: {enabled: false}\n    fargateProfiles:\n      - {name: metrics-server, selectors: [{namespace: kube-system}]}\n"),
			line: 14, path: "environments.dev.fargateProfiles[0].name",
			want: `platform.yaml:14:16: environments.dev.fargateProfiles[0].name: "metrics-server" is reserved for the metrics-server profile of a Fargate-only cluster`,
		},
		{
			name: "more than 5 selectors",
			in:   e.dev(sixSelectors),
			line: 14, path: "environments.dev.fargateProfiles[0].selectors",
			want: `platform.yaml:14:9: environments.dev.fargateProfiles[0].selectors: has 6 selectors; a Fargate profile takes 1 to 5`,
		},
		{
			name: "zero selectors",
			in:   e.dev("    fargateProfiles:\n      - {name: apps, selectors: []}\n"),
			line: 13, path: "environments.dev.fargateProfiles[0].selectors",
			want: `platform.yaml:13:22: environments.dev.fargateProfiles[0].selectors: has 0 selectors; a Fargate profile takes 1 to 5`,
		},
		{
			name: "selectors missing",
			in:   e.dev("    fargateProfiles:\n      - name: apps\n"),
			line: 13, path: "environments.dev.fargateProfiles[0].selectors",
			want: `platform.yaml:13:9: environments.dev.fargateProfiles[0].selectors: has 0 selectors; a Fargate profile takes 1 to 5`,
		},
		{
			name: "bad selector namespace",
			in:   e.dev("    fargateProfiles:\n      - {name: apps, selectors: [{namespace: Apps}]}\n"),
			line: 13, path: "environments.dev.fargateProfiles[0].selectors[0].namespace",
			want: `platform.yaml:13:46: environments.dev.fargateProfiles[0].selectors[0].namespace: "Apps" is not a namespace name: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
		},
		{
			name: "selector without namespace",
			in:   e.dev("    fargateProfiles:\n      - {name: apps, selectors: [{labels: {app: web}}]}\n"),
			line: 13, path: "environments.dev.fargateProfiles[0].selectors[0].namespace",
			want: `platform.yaml:13:34: environments.dev.fargateProfiles[0].selectors[0].namespace: is missing; want the namespace whose pods run on Fargate`,
		},
		{
			name: "bad label key",
			in:   e.dev("    fargateProfiles:\n      - name: apps\n        selectors:\n          - namespace: apps\n            labels: {\"app name\": game}\n"),
			line: 16, path: "environments.dev.fargateProfiles[0].selectors[0].labels[\"app name\"]",
			want: `platform.yaml:16:34: environments.dev.fargateProfiles[0].selectors[0].labels["app name"]: not a valid Kubernetes label: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
		},
		{
			name: "more than 5 labels",
			in:   e.dev("    fargateProfiles:\n      - name: apps\n        selectors:\n          - namespace: apps\n            labels: {a: '1', b: '2', c: '3', d: '4', e: '5', f: '6'}\n"),
			line: 16, path: "environments.dev.fargateProfiles[0].selectors[0].labels",
			want: `platform.yaml:16:13: environments.dev.fargateProfiles[0].selectors[0].labels: has 6 labels; a Fargate selector takes at most 5`,
		},
		{
			name: "replicas 0",
			in:   e.dev("    app: {replicas: 0}\n"),
			line: 12, path: "environments.dev.app.replicas",
			want: `platform.yaml:12:21: environments.dev.app.replicas: 0 is out of range; want 1 to 100`,
		},
		{
			name: "autoscaling min 0",
			in:   e.dev("    app:\n      autoscaling: {enabled: true, minReplicas: 0}\n"),
			line: 13, path: "environments.dev.app.autoscaling.minReplicas",
			want: `platform.yaml:13:49: environments.dev.app.autoscaling.minReplicas: 0 is out of range; want 1 to 100`,
		},
		{
			name: "autoscaling max above 100",
			in:   e.dev("    app:\n      autoscaling: {enabled: true, maxReplicas: 101}\n"),
			line: 13, path: "environments.dev.app.autoscaling.maxReplicas",
			want: `platform.yaml:13:49: environments.dev.app.autoscaling.maxReplicas: 101 is out of range; want 1 to 100`,
		},
		{
			name: "autoscaling min above max",
			in:   e.dev("    app:\n      autoscaling:\n        enabled: true\n        minReplicas: 5\n        maxReplicas: 3\n"),
			line: 16, path: "environments.dev.app.autoscaling.maxReplicas",
			want: `platform.yaml:16:22: environments.dev.app.autoscaling.maxReplicas: is 3, below minReplicas 5; want minReplicas <= maxReplicas`,
		},
		{
			name: "autoscaling min above the default max",
			in:   e.dev("    app:\n      autoscaling: {enabled: true, minReplicas: 20}\n"),
			line: 13, path: "environments.dev.app.autoscaling.maxReplicas",
			want: `platform.yaml:13:7: environments.dev.app.autoscaling.maxReplicas: is 10, below minReplicas 20; want minReplicas <= maxReplicas (built-in default)`,
		},
		{
			name: "autoscaling CPU target 0",
			in:   e.dev("    app:\n      autoscaling: {enabled: true, targetCPUUtilization: 0}\n"),
			line: 13, path: "environments.dev.app.autoscaling.targetCPUUtilization",
			want: `platform.yaml:13:58: environments.dev.app.autoscaling.targetCPUUtilization: 0 is out of range; want 1 to 100`,
		},
		{
			name: "autoscaling CPU target above 100",
			in:   e.spec("  app:\n    autoscaling: {targetCPUUtilization: 150}\n") + "  prod:\n    app: {autoscaling: {enabled: true}}\n",
			line: 8, path: "spec.app.autoscaling.targetCPUUtilization",
			want: `platform.yaml:8:41: spec.app.autoscaling.targetCPUUtilization: 150 is out of range; want 1 to 100`,
		},
		{
			name: "autoscaling enabled not a bool",
			in:   e.dev("    app:\n      autoscaling: {enabled: on}\n"),
			line: 13, path: "environments.dev.app.autoscaling.enabled",
			want: `platform.yaml:13:30: environments.dev.app.autoscaling.enabled: want true or false, got str "on"`,
		},
		{
			name: "autoscaling unknown field",
			in:   e.dev("    app:\n      autoscaling: {enabled: true, targetMemoryUtilization: 80}\n"),
			line: 13, path: "environments.dev.app.autoscaling.targetMemoryUtilization",
			want: `platform.yaml:13:36: environments.dev.app.autoscaling.targetMemoryUtilization: unknown field; allowed fields are enabled, minReplicas, maxReplicas, targetCPUUtilization`,
		},
		{
			name: "image without tag",
			in:   e.dev("    app: {image: nginx}\n"),
			line: 12, path: "environments.dev.app.image",
			want: `platform.yaml:12:18: environments.dev.app.image: "nginx" must name its tag or digest explicitly, e.g. registry/repo:1.2.3 or registry/repo@sha256:<64 hex>`,
		},
		{
			name: "image tagged latest",
			in:   e.dev("    app: {image: nginx:latest}\n"),
			line: 12, path: "environments.dev.app.image",
			want: `platform.yaml:12:18: environments.dev.app.image: "nginx:latest" names the moving tag latest; pin a version tag or a digest (registry/repo@sha256:<64 hex>)`,
		},
		{
			name: "bad cpu",
			in:   e.dev("    app: {cpu: 250mc}\n"),
			line: 12, path: "environments.dev.app.cpu",
			want: `platform.yaml:12:16: environments.dev.app.cpu: "250mc" is not a CPU such as 250m or 1`,
		},
		{
			name: "bad memory",
			in:   e.dev("    app: {memory: 512MB}\n"),
			line: 12, path: "environments.dev.app.memory",
			want: `platform.yaml:12:19: environments.dev.app.memory: "512MB" is not a memory such as 512Mi or 2Gi`,
		},
	}
}

// reportingCases check how errors are reported rather than what they are.
func reportingCases(e edit) []rejectCase {
	return []rejectCase{
		{
			name: "spec error reported once",
			in:   e.on(e.spec("  network: {natMode: perAz}\n"), "  dev: {}\n", "  dev: {}\n  prod: {}\n  staging: {}\n"),
			line: 7, path: "spec.network.natMode",
			want: `platform.yaml:7:22: spec.network.natMode: "perAz" is not allowed; want one of perAZ, single, none`,
		},
		{
			name: "built-in default in the error",
			in:   e.dev("    nodeGroup: {maxSize: 1}\n"),
			line: 12, path: "environments.dev.nodeGroup.desiredSize",
			want: `platform.yaml:12:5: environments.dev.nodeGroup.desiredSize: sizes are min 1, desired 2, max 1; want 0 <= minSize <= desiredSize <= maxSize (built-in default)`,
		},
		{
			name: "built-in default under spec reported once",
			in:   e.on(e.spec("  nodeGroup: {maxSize: 1}\n"), "  dev: {}\n", "  dev: {}\n  prod: {}\n"),
			line: 7, path: "spec.nodeGroup.desiredSize",
			want: `platform.yaml:7:3: spec.nodeGroup.desiredSize: sizes are min 1, desired 2, max 1; want 0 <= minSize <= desiredSize <= maxSize (built-in default)`,
		},
		{
			name: "several problems sorted by line",
			in:   e.on(e.dev("    deletionPolicy: keep\n    app: {replicas: 0}\n"), "region: us-west-2", "region: oregon"),
			line: 5, path: "spec.region",
			want: `platform.yaml:5:11: spec.region: "oregon" is not an AWS region name; want e.g. us-west-2 or eu-central-1
platform.yaml:12:21: environments.dev.deletionPolicy: "keep" is not allowed; want one of delete, retain
platform.yaml:13:21: environments.dev.app.replicas: 0 is out of range; want 1 to 100`,
		},
	}
}

func TestParseAccepts(t *testing.T) {
	data, err := os.ReadFile("../../platform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse("platform.yaml", data, eksversion.ReferenceDay)
	if err != nil {
		t.Fatalf("Parse(platform.yaml, eksversion.ReferenceDay):\n%v", err)
	}
	admins := []string{"arn:aws:iam::111122223333:role/PlatformAdmin"}
	tags := map[string]string{"team": "platform", "cost-center": "4711"}
	defaultProfiles := []FargateProfile{
		{Name: "default", Selectors: []Selector{{Namespace: "default"}}},
		{Name: "game-2048", Selectors: []Selector{{Namespace: "2048-game"}}},
	}
	mgmt := ManagementEnv{AccountID: "111122223333", Region: "us-west-2", Controllers: []string{
		"arn:aws:iam::111122223333:role/ack-cloudwatchlogs-controller", "arn:aws:iam::111122223333:role/ack-ec2-controller",
		"arn:aws:iam::111122223333:role/ack-eks-controller", "arn:aws:iam::111122223333:role/ack-iam-controller",
	}}
	want := []Environment{{
		Name: "dev", Platform: "demo", ClusterName: "demo-dev",
		Region: "us-west-2", Partition: "aws", AccountID: "111122223333",
		Management: mgmt, Tags: tags, DeletionPolicy: DeletionDelete,
		Network: NetworkEnv{
			VPCCIDR: "10.0.0.0/16",
			Zones: []Zone{
				{Name: "us-west-2a", Suffix: "a", PublicCIDR: "10.0.224.0/22", PrivateCIDR: "10.0.0.0/19"},
				{Name: "us-west-2b", Suffix: "b", PublicCIDR: "10.0.228.0/22", PrivateCIDR: "10.0.32.0/19"},
			},
			NATMode:  NATSingle,
			FlowLogs: FlowLogsEnv{Enabled: true, RetentionDays: 7, TrafficType: "ALL"},
		},
		Cluster: ClusterEnv{
			Version: "1.35", SupportType: "STANDARD",
			LogTypes: []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}, LogRetentionDays: 14,
			PublicAccess: true, PrivateAccess: true, PublicAccessCIDRs: []string{"0.0.0.0/0"},
			DeletionProtection: false, Admins: admins,
		},
		// Fargate-only, so CoreDNS and the load balancer controller get
		// selectors, in the profile of the game's namespace.
		NodeGroup: nil,
		FargateProfiles: []FargateProfile{defaultProfiles[0], {
			Name: "game-2048", Selectors: []Selector{
				{Namespace: "2048-game"},
				{Namespace: "kube-system", Labels: map[string]string{"k8s-app": "kube-dns"}},
				{Namespace: "kube-system", Labels: map[string]string{"app.kubernetes.io/name": "aws-load-balancer-controller"}},
			},
		}, {
			Name: "metrics-server", Selectors: []Selector{
				{Namespace: "kube-system", Labels: map[string]string{"app.kubernetes.io/name": "metrics-server"}},
			},
		}},
		App:         AppEnv{Replicas: 1, Image: DefaultImage, CPU: "250m", Memory: "256Mi"},
		FargateLogs: &FargateLogsEnv{RetentionDays: 14},
	}, {
		Name: "prod", Platform: "demo", ClusterName: "demo-prod",
		Region: "us-west-2", Partition: "aws", AccountID: "111122223333",
		Management: mgmt, Tags: tags, DeletionPolicy: DeletionRetain,
		Network: NetworkEnv{
			VPCCIDR: "10.1.0.0/16",
			Zones: []Zone{
				{Name: "us-west-2a", Suffix: "a", PublicCIDR: "10.1.224.0/22", PrivateCIDR: "10.1.0.0/19"},
				{Name: "us-west-2b", Suffix: "b", PublicCIDR: "10.1.228.0/22", PrivateCIDR: "10.1.32.0/19"},
				{Name: "us-west-2c", Suffix: "c", PublicCIDR: "10.1.232.0/22", PrivateCIDR: "10.1.64.0/19"},
			},
			NATMode:  NATPerAZ,
			FlowLogs: FlowLogsEnv{Enabled: true, RetentionDays: 365, TrafficType: "ALL"},
		},
		Cluster: ClusterEnv{
			Version: "1.35", SupportType: "STANDARD",
			LogTypes: []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}, LogRetentionDays: 365,
			PublicAccess: true, PrivateAccess: true, PublicAccessCIDRs: []string{"203.0.113.0/24"},
			DeletionProtection: true, Admins: admins,
		},
		NodeGroup: &NodeGroupEnv{
			InstanceTypes: []string{"m6i.large"}, MinSize: 2, DesiredSize: 2, MaxSize: 4,
			AMIType: "AL2023_x86_64_STANDARD", CapacityType: "ON_DEMAND", DiskSize: 20,
		},
		FargateProfiles: defaultProfiles,
		App: AppEnv{Replicas: 2, Image: DefaultImage, CPU: "250m", Memory: "256Mi",
			Autoscaling: &AutoscalingEnv{MinReplicas: 3, MaxReplicas: 10, TargetCPUUtilization: 70}},
		FargateLogs: &FargateLogsEnv{RetentionDays: 365},
	}}
	if diff := cmp.Diff(want, cfg.Environments); diff != "" {
		t.Errorf("resolved environments (-want +got):\n%s", diff)
	}
	if cfg.File != "platform.yaml" {
		t.Errorf("File = %q, want platform.yaml", cfg.File)
	}
}

// TestParseLongList guards against checks that take quadratic time: a long
// list of distinct values is within the limits and must parse quickly.
func TestParseLongList(t *testing.T) {
	types := make([]string, 50_000)
	for i := range types {
		types[i] = fmt.Sprintf("m%d.large", i)
	}
	in := edit{t}.dev("    nodeGroup: {instanceTypes: [" + strings.Join(types, ", ") + "]}\n")
	cfg, err := Parse("platform.yaml", []byte(in), eksversion.ReferenceDay)
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	if got := len(cfg.Environments[0].NodeGroup.InstanceTypes); got != len(types) {
		t.Errorf("got %d instance types, want %d", got, len(types))
	}
}

type mergeCase struct {
	name string
	in   string
	env  string // default dev
	got  func(Environment) any
	want any
}

// mergeCases are valid files; TestSchemaAcceptsValidFiles checks them too.
func mergeCases(e edit) []mergeCase {
	return []mergeCase{{
		name: "environment list replaces spec list whole",
		in: e.on(e.spec("  fargateProfiles:\n    - {name: a, selectors: [{namespace: a}]}\n    - {name: b, selectors: [{namespace: b}]}\n"),
			"  dev: {}\n", "  dev:\n    fargateProfiles:\n      - {name: c, selectors: [{namespace: c}]}\n"),
		got:  func(env Environment) any { return env.FargateProfiles },
		want: []FargateProfile{{Name: "c", Selectors: []Selector{{Namespace: "c"}}}},
	}, {
		name: "environment admins replace spec admins",
		in:   e.dev("    cluster:\n      admins: [arn:aws:iam::444455556666:user/ops]\n"),
		got:  func(env Environment) any { return env.Cluster.Admins },
		want: []string{"arn:aws:iam::444455556666:user/ops"},
	}, {
		name: "spec list kept when the environment gives none",
		in:   e.on(e.spec("  nodeGroup: {instanceTypes: [m6i.large, m5.large]}\n"), "  dev: {}\n", "  dev: {nodeGroup: {maxSize: 5}}\n"),
		got:  func(env Environment) any { return env.NodeGroup.InstanceTypes },
		want: []string{"m6i.large", "m5.large"},
	}, {
		name: "tags merge key by key",
		in:   e.on(e.spec("  tags: {team: platform, cost-center: \"4711\"}\n"), "  dev: {}\n", "  dev:\n    tags: {team: apps, stage: dev}\n"),
		got:  func(env Environment) any { return env.Tags },
		want: map[string]string{"team": "apps", "cost-center": "4711", "stage": "dev"},
	}, {
		name: "nested sections merge field by field",
		in: e.on(e.spec("  network: {vpcCIDR: 10.2.0.0/16, natMode: single}\n"),
			"  dev: {}\n", "  dev:\n    network: {azCount: 2}\n"),
		got: func(env Environment) any {
			return []any{env.Network.VPCCIDR, env.Network.NATMode, len(env.Network.Zones)}
		},
		want: []any{"10.2.0.0/16", NATSingle, 2},
	}, {
		name: "explicit false overrides spec",
		in: e.on(e.spec("  network:\n    flowLogs: {enabled: true}\n"),
			"  dev: {}\n", "  dev:\n    network:\n      flowLogs: {enabled: false}\n"),
		got:  func(env Environment) any { return env.Network.FlowLogs.Enabled },
		want: false,
	}, {
		name: "explicit 0 overrides spec",
		in: e.on(e.spec("  nodeGroup: {minSize: 2, desiredSize: 2}\n"),
			"  dev: {}\n", "  dev:\n    nodeGroup: {minSize: 0}\n"),
		got: func(env Environment) any {
			return [3]int{env.NodeGroup.MinSize, env.NodeGroup.DesiredSize, env.NodeGroup.MaxSize}
		},
		want: [3]int{0, 2, 3},
	}, {
		name: "autoscaling is off by default",
		in:   base,
		got:  func(env Environment) any { return env.App.Autoscaling },
		want: (*AutoscalingEnv)(nil),
	}, {
		name: "autoscaling settings merge from spec into the environment that enables it",
		in: e.on(e.spec("  app:\n    autoscaling: {maxReplicas: 20}\n"),
			"  dev: {}\n", "  dev:\n    app: {autoscaling: {enabled: true, minReplicas: 3}}\n"),
		got:  func(env Environment) any { return env.App.Autoscaling },
		want: &AutoscalingEnv{MinReplicas: 3, MaxReplicas: 20, TargetCPUUtilization: 70},
	}, {
		name: "explicit false overrides the prod default",
		in:   e.with("  dev: {}\n", "  prod:\n    cluster: {deletionProtection: false}\n"),
		env:  "prod",
		got:  func(env Environment) any { return []any{env.Cluster.DeletionProtection, env.DeletionPolicy} },
		want: []any{false, DeletionRetain},
	}, {
		name: "spec deletionPolicy applies to prod",
		in:   e.on(e.spec("  deletionPolicy: delete\n"), "  dev: {}\n", "  prod: {}\n"),
		env:  "prod",
		got:  func(env Environment) any { return env.DeletionPolicy },
		want: DeletionDelete,
	}, {
		name: "node group disabled in the environment only",
		in:   e.on(e.spec("  nodeGroup: {instanceTypes: [m6i.large]}\n"), "  dev: {}\n", "  dev:\n    nodeGroup: {enabled: false}\n"),
		got: func(env Environment) any {
			return []any{env.NodeGroup == nil, env.FargateProfiles[len(env.FargateProfiles)-2].Name, env.FargateProfiles[len(env.FargateProfiles)-1].Name}
		},
		want: []any{true, "game-2048", MetricsServerProfile},
	}, {
		name: "Fargate-only: the system selectors join the game's profile",
		in:   e.dev("    nodeGroup: {enabled: false}\n    fargateProfiles:\n      - {name: apps, selectors: [{namespace: web}, {namespace: 2048-game}, {namespace: jobs}]}\n"),
		got:  func(env Environment) any { return profileLayout(env) },
		want: "apps: web 2048-game jobs kube-system{k8s-app=kube-dns} kube-system{app.kubernetes.io/name=aws-load-balancer-controller}; metrics-server: kube-system{app.kubernetes.io/name=metrics-server}",
	}, {
		name: "Fargate-only: a game's profile without room for them leaves them their own",
		in:   e.dev("    nodeGroup: {enabled: false}\n    fargateProfiles:\n      - {name: apps, selectors: [{namespace: a}, {namespace: b}, {namespace: c}, {namespace: 2048-game}]}\n"),
		got:  func(env Environment) any { return profileLayout(env) },
		want: "apps: a b c 2048-game; kube-system: kube-system{k8s-app=kube-dns} kube-system{app.kubernetes.io/name=aws-load-balancer-controller}; metrics-server: kube-system{app.kubernetes.io/name=metrics-server}",
	}, {
		name: "Fargate-only: a game's profile selecting some of its pods only leaves them their own",
		in:   e.dev("    nodeGroup: {enabled: false}\n    fargateProfiles:\n      - {name: game, selectors: [{namespace: 2048-game, labels: {tier: web}}]}\n"),
		got:  func(env Environment) any { return profileLayout(env) },
		want: "game: 2048-game{tier=web}; kube-system: kube-system{k8s-app=kube-dns} kube-system{app.kubernetes.io/name=aws-load-balancer-controller}; metrics-server: kube-system{app.kubernetes.io/name=metrics-server}",
	}, {
		name: "Fargate-only with fargateSystemSelectors ownProfile: the layout before issue 30",
		in:   e.dev("    nodeGroup: {enabled: false}\n    fargateSystemSelectors: ownProfile\n"),
		got:  func(env Environment) any { return profileLayout(env) },
		want: "default: default; game-2048: 2048-game; kube-system: kube-system{k8s-app=kube-dns} kube-system{app.kubernetes.io/name=aws-load-balancer-controller}; metrics-server: kube-system{app.kubernetes.io/name=metrics-server}",
	}, {
		name: "node group: no system selectors",
		in:   e.dev("    nodeGroup: {enabled: true}\n"),
		got:  func(env Environment) any { return profileLayout(env) },
		want: "default: default; game-2048: 2048-game",
	}, {
		name: "empty logTypes in the environment turns logging off",
		in:   e.dev("    cluster: {logTypes: []}\n"),
		got:  func(env Environment) any { return len(env.Cluster.LogTypes) },
		want: 0,
	}, {
		name: "Fargate logs keep the control-plane logs' retention by default",
		in:   e.dev("    cluster: {logRetentionDays: 30}\n"),
		got:  func(env Environment) any { return env.FargateLogs },
		want: &FargateLogsEnv{RetentionDays: 30},
	}, {
		name: "Fargate log retention of its own",
		in:   e.dev("    cluster: {logRetentionDays: 30}\n    logging: {fargate: {retentionDays: 7}}\n"),
		got:  func(env Environment) any { return env.FargateLogs },
		want: &FargateLogsEnv{RetentionDays: 7},
	}, {
		name: "Fargate logs turned off",
		in:   e.dev("    logging: {fargate: {enabled: false}}\n"),
		got:  func(env Environment) any { return env.FargateLogs },
		want: (*FargateLogsEnv)(nil),
	}, {
		name: "no Fargate logs without Fargate profiles",
		in:   e.dev("    fargateProfiles: []\n"),
		got:  func(env Environment) any { return env.FargateLogs },
		want: (*FargateLogsEnv)(nil),
	}, {
		name: "empty logTypes in spec is not replaced by the default",
		in:   e.with("  cluster:\n", "  cluster:\n    logTypes: []\n"),
		got:  func(env Environment) any { return len(env.Cluster.LogTypes) },
		want: 0,
	}, {
		name: "environment logTypes replace spec logTypes",
		in:   e.on(e.with("  cluster:\n", "  cluster:\n    logTypes: [api, audit]\n"), "  dev: {}\n", "  dev: {cluster: {logTypes: [audit]}}\n"),
		got:  func(env Environment) any { return env.Cluster.LogTypes },
		want: []string{"audit"},
	}}
}

// TestParseMerge checks how an environment's section is laid over spec:
// lists replace whole, maps merge key by key, and an explicit false, 0 or
// empty list in the environment wins over spec and over the defaults.
func TestParseMerge(t *testing.T) {
	for _, tc := range mergeCases(edit{t}) {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("platform.yaml", []byte(tc.in), eksversion.ReferenceDay)
			if err != nil {
				t.Fatalf("Parse:\n%v", err)
			}
			name := tc.env
			if name == "" {
				name = "dev"
			}
			env, err := cfg.Environment(name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, tc.got(*env)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParse checks that no input makes Parse panic, and that every error
// wraps ErrInvalid, is the same on a second run and names the file on each
// line.
func FuzzParse(f *testing.F) {
	for _, tc := range rejectCases(f) {
		if len(tc.in) <= 16<<10 { // the bombs take 0.2s a run and starve the fuzzer
			f.Add([]byte(tc.in))
		}
	}
	data, err := os.ReadFile("../../platform.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(base))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("platform.yaml", data, eksversion.ReferenceDay)
		if err == nil {
			if len(cfg.Environments) == 0 {
				t.Fatal("Parse succeeded with no environments")
			}
			return
		}
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("error does not wrap ErrInvalid: %v", err)
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.HasPrefix(line, "platform.yaml") {
				t.Fatalf("error line does not start with the file name: %q\nin:\n%v", line, err)
			}
		}
		if _, again := Parse("platform.yaml", data, eksversion.ReferenceDay); again == nil || again.Error() != err.Error() {
			t.Fatalf("second Parse gave a different result:\n%v\nthen:\n%v", err, again)
		}
	})
}

func TestParseWarns(t *testing.T) {
	data := []byte(strings.Replace(string(readPlatform(t)), "natMode: single", "natMode: none", 1))
	cfg, err := Parse("platform.yaml", data, eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	// The example platform.yaml keeps render init's placeholder admin.
	const placeholder = `platform.yaml:20:9: spec.cluster.admins[0]: "arn:aws:iam::111122223333:role/PlatformAdmin" is render init's placeholder in the documentation's example account; list an IAM role or user of yours, or nobody can use the cluster`
	want := []string{placeholder, `platform.yaml:26:16: environments.dev.network.natMode: none: the private subnets have no route to the internet, so Fargate pods and nodes cannot pull public images or reach AWS APIs without VPC endpoints (ECR, S3, STS, CloudWatch Logs), which render does not create`}
	if diff := cmp.Diff(want, cfg.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	data = []byte(strings.Replace(string(readPlatform(t)), "      replicas: 1\n", "      replicas: 1\n      autoscaling: {enabled: true}\n", 1))
	if cfg, err = Parse("platform.yaml", data, eksversion.ReferenceDay); err != nil {
		t.Fatal(err)
	}
	want = []string{placeholder, `platform.yaml:34:17: environments.dev.app.replicas: is ignored while app.autoscaling is enabled: the autoscaler sets the count, from minReplicas 2 to maxReplicas 10`}
	if diff := cmp.Diff(want, cfg.Warnings); diff != "" {
		t.Errorf("warnings with app.replicas and autoscaling (-want +got):\n%s", diff)
	}
}

func readPlatform(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../../platform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestParseTLS checks app.tls: the default security policy, and a spec
// value an environment overrides field by field.
func TestParseTLS(t *testing.T) {
	const cert = "arn:aws:acm:us-west-2:111122223333:certificate/12345678-90ab-cdef-1234-567890abcdef"
	in := edit{t}.with("  dev: {}\n", "  dev: {}\n  prod:\n    app:\n      tls: {sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06}\n")
	in = edit{t}.on(in, "  cluster:\n", "  app:\n    tls: {certificateARN: \""+cert+"\"}\n  cluster:\n")
	cfg, err := Parse("platform.yaml", []byte(in), eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*TLSEnv{
		"dev":  {CertificateARN: cert, SSLPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"},
		"prod": {CertificateARN: cert, SSLPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"},
	}
	for _, env := range cfg.Environments {
		if diff := cmp.Diff(want[env.Name], env.App.TLS); diff != "" {
			t.Errorf("%s: app.tls (-want +got):\n%s", env.Name, diff)
		}
	}
}

// profileLayout prints an environment's Fargate profiles and their
// selectors: "name: ns ns{k=v}; name: ...".
func profileLayout(env Environment) string {
	var profiles []string
	for _, p := range env.FargateProfiles {
		var sels []string
		for _, s := range p.Selectors {
			var labels []string
			for _, k := range sortedKeys(s.Labels) {
				labels = append(labels, k+"="+s.Labels[k])
			}
			if len(labels) > 0 {
				sels = append(sels, s.Namespace+"{"+strings.Join(labels, ",")+"}")
			} else {
				sels = append(sels, s.Namespace)
			}
		}
		profiles = append(profiles, p.Name+": "+strings.Join(sels, " "))
	}
	return strings.Join(profiles, "; ")
}
