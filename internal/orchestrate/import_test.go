package orchestrate

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/tfstate"
)

// importProject copies the example platform.yaml into a new directory and
// loads it, with environment dev.
func importProject(t *testing.T) (*config.Config, config.Environment) {
	t.Helper()
	data, err := os.ReadFile("../../platform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "platform.yaml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(file, eksversion.ReferenceDay, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	env, err := cfg.Environment("dev")
	if err != nil {
		t.Fatal(err)
	}
	return cfg, *env
}

// movedZone writes the dev state fixture with the second public subnet in
// another zone: a create-only field that differs.
func movedZone(t *testing.T) string {
	t.Helper()
	var st map[string]any
	b, err := os.ReadFile("../tfstate/testdata/dev.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	for _, r := range st["resources"].([]any) {
		if m := r.(map[string]any); m["type"] == "aws_subnet" && m["name"] == "public" {
			m["instances"].([]any)[1].(map[string]any)["attributes"].(map[string]any)["availability_zone"] = "us-west-2c"
		}
	}
	b, _ = json.Marshal(st)
	path := filepath.Join(t.TempDir(), "moved.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImport(t *testing.T) {
	t.Run("writes the imports file the configuration reads", func(t *testing.T) {
		cfg, env := importProject(t)
		var progress strings.Builder
		var reported *tfstate.Report
		err := Import(t.Context(), cfg, env, config.LateValues{}, ImportOptions{State: "../tfstate/testdata/dev.tfstate", Progress: &progress,
			Report: func(r *tfstate.Report) error { reported = r; return nil }})
		if err != nil {
			t.Fatal(err)
		}
		path := ImportsPath(cfg, "dev")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		adopt, err := config.ParseImports(path, "dev", data)
		if err != nil || len(adopt) != 20 || reported == nil || len(reported.Adopted) != 20 {
			t.Errorf("imports file: %d entries (%v), report %v; want 20 of each", len(adopt), err, reported)
		}
		if !strings.HasPrefix(string(data), "# Written by render import dev:") || !strings.Contains(progress.String(), "(20 objects adopt existing resources)") {
			t.Errorf("header or progress missing:\n%s\n%s", data, progress.String())
		}
	})
	t.Run("reports conflicts, then refuses and writes nothing", func(t *testing.T) {
		cfg, env := importProject(t)
		reported := false
		err := Import(t.Context(), cfg, env, config.LateValues{}, ImportOptions{State: movedZone(t), Progress: io.Discard,
			Report: func(r *tfstate.Report) error { reported = len(r.Conflicts) > 0; return nil }})
		if !errors.Is(err, tfstate.ErrConflicts) || !reported {
			t.Errorf("got %v (conflicts reported: %v), want ErrConflicts after the report", err, reported)
		}
		if _, err := os.Stat(ImportsPath(cfg, "dev")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("imports file written despite the conflict: %v", err)
		}
	})
	t.Run("a missing state names the file", func(t *testing.T) {
		cfg, env := importProject(t)
		err := Import(t.Context(), cfg, env, config.LateValues{}, ImportOptions{State: "nowhere.json"})
		if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "nowhere.json") {
			t.Errorf("got %v", err)
		}
	})
}
