package orchestrate

import (
	"os"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/config"
	"github.com/eks-render/render/internal/eksversion"
	"github.com/eks-render/render/internal/schema"
)

// TestFargateLayoutChangeIsRefused checks what a live Fargate-only
// environment laid out the way render did before issue 30 (CoreDNS and the
// load balancer controller in a kube-system profile of their own, the game
// in game-2048) meets: the game's profile, which now also selects them,
// cannot change its selectors in place, so render diff shows it replaced
// and render apply refuses without --allow-replace, naming it; replacing
// a profile evicts its pods, never by surprise. The old kube-system
// profile is only deleted by --prune; fargateSystemSelectors: ownProfile
// keeps the old layout, nothing replaced.
func TestFargateLayoutChangeIsRefused(t *testing.T) {
	s, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	env := devEnv(t)
	late := config.LateValues{AccountID: "111122223333", VPCID: "vpc-1", OIDCIssuer: "https://oidc.example/id/X",
		ClusterEndpoint: "https://example", ClusterCA: "Y2E="}
	desired, err := rendering(env, late, "test")
	if err != nil {
		t.Fatal(err)
	}
	old := env
	old.FargateProfiles = nil
	for _, p := range env.FargateProfiles {
		if p.Name == "game-2048" {
			old.FargateProfiles = append(old.FargateProfiles,
				config.FargateProfile{Name: p.Name, Selectors: p.Selectors[:1]},
				config.FargateProfile{Name: config.SystemProfile, Selectors: p.Selectors[1:]})
			continue
		}
		old.FargateProfiles = append(old.FargateProfiles, p)
	}
	live, err := rendering(old, late, "test")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Replacements(live.Objects, desired.Objects, s, false)
	if err == nil {
		t.Fatal("the layout change was not refused")
	}
	for _, want := range []string{"FargateProfile/demo-dev/game-2048 spec.selectors", "--allow-replace"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "FargateProfile/demo-dev/kube-system") {
		t.Errorf("the refusal names the kube-system profile, which apply leaves alone without --prune:\n%v", err)
	}
	names, err := Replacements(live.Objects, desired.Objects, s, true)
	if err != nil || strings.Join(names, " ") != "FargateProfile/demo-dev/game-2048" {
		t.Errorf("with --allow-replace: replaces %v (%v), want the game's profile only", names, err)
	}

	// fargateSystemSelectors: ownProfile keeps the layout as it is.
	data, err := os.ReadFile("../../platform.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in := strings.Replace(string(data), "  dev:\n", "  dev:\n    fargateSystemSelectors: ownProfile\n", 1)
	cfg, err := config.Parse("platform.yaml", []byte(in), eksversion.ReferenceDay)
	if err != nil {
		t.Fatal(err)
	}
	own, err := cfg.Environment("dev")
	if err != nil {
		t.Fatal(err)
	}
	kept, err := rendering(*own, late, "test")
	if err != nil {
		t.Fatal(err)
	}
	if names, err := Replacements(live.Objects, kept.Objects, s, false); err != nil || len(names) != 0 {
		t.Errorf("with fargateSystemSelectors: ownProfile: replaces %v (%v), want nothing", names, err)
	}
}
