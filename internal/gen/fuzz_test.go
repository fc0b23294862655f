package gen

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/schema/schematest"
)

// fuzzMaxEnvironments bounds the environments of one fuzz input: each is
// built twice with kustomize, and a run must stay well under the fuzzer's
// patience. Many environments are BenchmarkRender100Environments' subject.
const fuzzMaxEnvironments = 4

// allLate gives every environment every late value, so that the second
// phase (FlowLog, OIDC provider, IRSA role, the load balancer controller)
// is rendered too.
func allLate(cfg *config.Config) map[string]LateValues {
	late := map[string]LateValues{}
	for _, env := range cfg.Environments {
		late[env.Name] = LateValues{
			AccountID:       "111122223333",
			VPCID:           "vpc-0123456789abcdef0",
			OIDCIssuer:      "https://oidc.eks." + env.Region + ".amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
			ClusterEndpoint: "https://EXAMPLE.gr7." + env.Region + ".eks.amazonaws.com",
			ClusterCA:       "Q0E=",
		}
	}
	return late
}

// FuzzRender runs the whole of render gen in memory: whatever Parse accepts
// must render without error, render the same tree twice, lay it out only
// under base/ and overlays/, and build with kustomize, for every
// environment, management and workload, into exactly the rendered objects,
// each valid against its CRD schema or Kubernetes type, with every
// reference resolving. late chooses between the first phase only and both
// phases. The seed corpus is testdata/fuzz/FuzzRender.
func FuzzRender(f *testing.F) {
	files, err := filepath.Glob("testdata/configs/*.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no test configurations: %v", err)
	}
	for _, file := range append(files, "../../platform.yaml") {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
		f.Add(data, true)
	}
	schemas := loadSchemas(f)
	f.Fuzz(func(t *testing.T, data []byte, late bool) {
		cfg, err := config.Parse("platform.yaml", data, eksversion.ReferenceDay)
		if err != nil {
			return // FuzzParse's ground
		}
		if len(cfg.Environments) > fuzzMaxEnvironments {
			t.Skipf("%d environments; at most %d per input", len(cfg.Environments), fuzzMaxEnvironments)
		}
		checkRendering(t, schemas, cfg, late)
	})
}

// renderTwice generates the tree twice, fails unless both are the same
// and every path is a clean one under the owned directories, and returns it.
func renderTwice(t *testing.T, cfg *config.Config, late map[string]LateValues) Tree {
	t.Helper()
	first, err := Generate(cfg, late)
	if err != nil {
		t.Fatalf("Parse accepted the configuration but Generate failed: %v", err)
	}
	second, err := Generate(cfg, late)
	if err != nil {
		t.Fatalf("second Generate failed: %v", err)
	}
	if !reflect.DeepEqual(first, second) { // cmp.Diff only to explain: it is slow
		t.Fatalf("two renderings differ (-first +second):\n%s", cmp.Diff(first, second))
	}
	for p, b := range first.Files {
		if path.Clean(p) != p || strings.HasPrefix(p, "/") || !inOwned(p, OwnedDirs) {
			t.Errorf("path %q is not a clean path under %s", p, strings.Join(OwnedDirs, ", "))
		}
		if !strings.HasPrefix(string(b), Header("platform.yaml")) {
			t.Errorf("%s does not start with the header", p)
		}
	}
	return first.Files
}

// checkBuild builds one overlay and checks it against the rendering, the
// schemas and the reference rules.
func checkBuild(t *testing.T, schemas *schematest.Set, tree Tree, env config.Environment, late LateValues, workload bool) {
	t.Helper()
	got := buildEnv(t, tree, env.Name, workload)
	objs, err := objectsForTest(env, late, workload)
	if err != nil {
		t.Fatal(err)
	}
	if want := decodeAll(t, encodeAll(t, objs)); !reflect.DeepEqual(want, got) {
		t.Fatalf("%s (workload %t): the built overlay differs from the rendering (-want +got):\n%s", env.Name, workload, cmp.Diff(want, got))
	}
	for _, m := range got {
		if err := validateObject(schemas, m); err != nil {
			t.Errorf("%s (workload %t): %s: %v", env.Name, workload, key(m), err)
		}
	}
	for _, problem := range checkRefs(got) {
		t.Errorf("%s (workload %t): %s", env.Name, workload, problem)
	}
}

// settings are the typed arguments of FuzzRenderSettings. Choices among
// allowed values are indexes (taken modulo the list), so that most inputs
// are valid and the fuzzer explores rendering, not the parser; the strings
// are free, so that it also explores names, regions, CIDRs and tags.
type settings struct {
	name, region, vpcCIDR, envName, tagKey, tagValue, image string
	zones, nat, version, logTypes, retention                uint8
	nodeGroup, spot                                         bool
	minSize, desiredSize, maxSize, ami                      uint8
	envs, selectors, labels, replicas                       uint8
}

// yaml renders the settings as a configuration file.
func (s settings) yaml(tb testing.TB) []byte {
	var logTypes []string
	for i, lt := range config.LogTypes {
		if s.logTypes&(1<<i) != 0 {
			logTypes = append(logTypes, lt)
		}
	}
	var selectors []any
	for i := range 1 + int(s.selectors)%6 {
		labels := map[string]any{}
		for j := range int(s.labels) % 6 {
			labels[fmt.Sprintf("l%d", j)] = fmt.Sprint(i)
		}
		selectors = append(selectors, map[string]any{"namespace": fmt.Sprintf("ns-%d", i), "labels": labels})
	}
	spec := map[string]any{
		"name": s.name, "region": s.region,
		"tags": map[string]any{s.tagKey: s.tagValue},
		"network": map[string]any{
			"vpcCIDR": s.vpcCIDR, "azCount": int(s.zones) % 7, "natMode": config.NATModes[int(s.nat)%len(config.NATModes)],
			"flowLogs": map[string]any{"retentionDays": config.RetentionDays[int(s.retention)%len(config.RetentionDays)]},
		},
		"cluster": map[string]any{
			"version":  config.KubernetesVersions()[int(s.version)%len(config.KubernetesVersions())],
			"logTypes": append([]string{}, logTypes...), "admins": []string{"arn:" + config.Partition(s.region) + ":iam::111122223333:role/Admin"},
		},
		"nodeGroup": map[string]any{
			"enabled": s.nodeGroup, "minSize": int(s.minSize) % 8, "desiredSize": int(s.desiredSize) % 8, "maxSize": int(s.maxSize) % 8,
			"amiType": config.AMITypes[int(s.ami)%len(config.AMITypes)], "capacityType": map[bool]string{false: "ON_DEMAND", true: "SPOT"}[s.spot],
		},
		"fargateProfiles": []any{map[string]any{"name": "apps", "selectors": selectors}},
		"app":             map[string]any{"replicas": int(s.replicas) % 101, "image": s.image},
	}
	envs := map[string]any{s.envName: map[string]any{}}
	for _, name := range []string{"prod", "qa", "stage"}[:int(s.envs)%4] {
		envs[name] = map[string]any{"network": map[string]any{"azCount": 2 + len(envs)%3}}
	}
	b, err := yaml.Marshal(map[string]any{"apiVersion": config.APIVersion, "kind": config.Kind, "spec": spec, "environments": envs})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// FuzzRenderSettings is FuzzRender over configurations built from typed
// settings: nearly every input parses, so the fuzzer's time goes to
// rendering and building.
func FuzzRenderSettings(f *testing.F) {
	f.Add("demo", "us-west-2", "10.0.0.0/16", "dev", "team", "platform", "public.ecr.aws/l6m2t8p7/docker-2048:latest",
		uint8(3), uint8(0), uint8(3), uint8(31), uint8(7), true, false, uint8(1), uint8(2), uint8(3), uint8(0), uint8(1), uint8(1), uint8(0), uint8(2), false)
	f.Add("solo", "cn-north-1", "172.20.0.0/20", "test", "owner", "", "nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000",
		uint8(2), uint8(2), uint8(2), uint8(3), uint8(0), false, true, uint8(0), uint8(0), uint8(1), uint8(3), uint8(0), uint8(4), uint8(5), uint8(1), true)
	f.Add("gov", "us-gov-west-1", "192.168.0.0/18", "prod-eu", "k.example.com/x", "y z", "r.example.com:5000/a/b:1.2.3",
		uint8(6), uint8(1), uint8(5), uint8(0), uint8(21), true, true, uint8(0), uint8(0), uint8(7), uint8(5), uint8(3), uint8(2), uint8(3), uint8(100), true)
	schemas := loadSchemas(f)
	f.Fuzz(func(t *testing.T, name, region, vpcCIDR, envName, tagKey, tagValue, image string,
		zones, nat, version, logTypes, retention uint8, nodeGroup, spot bool,
		minSize, desiredSize, maxSize, ami, envs, selectors, labels, replicas uint8, late bool) {
		s := settings{name, region, vpcCIDR, envName, tagKey, tagValue, image,
			zones, nat, version, logTypes, retention, nodeGroup, spot,
			minSize, desiredSize, maxSize, ami, envs, selectors, labels, replicas}
		cfg, err := config.Parse("platform.yaml", s.yaml(t), eksversion.ReferenceDay)
		if err != nil {
			return // FuzzParse's ground
		}
		checkRendering(t, schemas, cfg, late)
	})
}

// checkRendering renders cfg twice (with every late value when late) and
// checks what each environment's overlay and workload build to.
func checkRendering(t *testing.T, schemas *schematest.Set, cfg *config.Config, late bool) {
	t.Helper()
	values := map[string]LateValues{}
	if late {
		values = allLate(cfg)
	}
	tree := renderTwice(t, cfg, values)
	for _, env := range cfg.Environments {
		for _, workload := range []bool{false, true} {
			checkBuild(t, schemas, tree, env, values[env.Name], workload)
		}
	}
}
