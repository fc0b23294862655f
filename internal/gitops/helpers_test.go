package gitops

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/gen"
)

var update = flag.Bool("update", false, "rewrite examples/flux and examples/argocd")

// repoRoot is the repository, where platform.yaml, overlays/ and examples/ are.
const repoRoot = "../.."

// loadConfig parses a configuration file.
func loadConfig(t *testing.T, file string) *config.Config {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(filepath.Base(file), data, eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// testConfigs returns the generator's test configurations and the
// repository's platform.yaml, by file name.
func testConfigs(t *testing.T) map[string]*config.Config {
	t.Helper()
	files, err := filepath.Glob("../gen/testdata/configs/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test configurations: %v", err)
	}
	out := map[string]*config.Config{"platform.yaml": loadConfig(t, filepath.Join(repoRoot, "platform.yaml"))}
	for _, f := range files {
		out[filepath.Base(f)] = loadConfig(t, f)
	}
	return out
}

// allLate gives every environment of cfg every late value, so that the
// second phase is rendered too.
func allLate(cfg *config.Config) map[string]gen.LateValues {
	late := map[string]gen.LateValues{}
	for _, env := range cfg.Environments {
		late[env.Name] = gen.LateValues{
			AccountID:       "111122223333",
			VPCID:           "vpc-0123456789abcdef0",
			OIDCIssuer:      "https://oidc.eks." + env.Region + ".amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
			ClusterEndpoint: "https://EXAMPLE.gr7." + env.Region + ".eks.amazonaws.com",
			ClusterCA:       "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
		}
	}
	return late
}
