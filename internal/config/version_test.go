package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/eks-render/render/internal/eksversion"
)

func parseOn(t *testing.T, in, day string) (*Config, error) {
	t.Helper()
	d, err := eksversion.ParseDay(day)
	if err != nil {
		t.Fatal(err)
	}
	return Parse("platform.yaml", []byte(in), d)
}

// TestVersionPolicyFollowsTheCalendar: the default, the versions accepted
// and the warnings come from the EKS calendar on the day render runs.
func TestVersionPolicyFollowsTheCalendar(t *testing.T) {
	withVersion := func(v, extra string) string {
		return strings.Replace(base, "  cluster:\n", "  cluster:\n    version: \""+v+"\"\n"+extra, 1)
	}
	// The default is the newest version in standard support that day.
	for day, want := range map[string]string{"2026-11-29": "1.35", "2026-01-27": "1.34"} {
		cfg, err := parseOn(t, base, day)
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.Environments[0].Cluster; got.Version != want || got.SupportType != SupportStandard {
			t.Errorf("%s: default version %q, support %q; want %s, STANDARD", day, got.Version, got.SupportType, want)
		}
		if len(cfg.Warnings) != 0 {
			t.Errorf("%s: warnings %v", day, cfg.Warnings)
		}
	}
	// 90 days before the end of standard support, a warning says what
	// happens then, by support type.
	cfg, err := parseOn(t, withVersion("1.34", ""), "2026-11-29")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], `spec.cluster.version: "1.34" leaves EKS standard support on 2026-12-02 (UTC), in 3 days; AWS then upgrades the cluster to 1.35 by itself`) {
		t.Errorf("warnings %v", cfg.Warnings)
	}
	cfg, err = parseOn(t, withVersion("1.34", "    supportType: EXTENDED\n"), "2026-11-29")
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Environments[0].Cluster.SupportType; got != SupportExtended || len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "extended support is billed per cluster hour from the start of that day") {
		t.Errorf("EXTENDED: %s, warnings %v", got, cfg.Warnings)
	}
	if cfg, err = parseOn(t, withVersion("1.34", ""), "2026-09-02"); err != nil || len(cfg.Warnings) != 0 {
		t.Errorf("91 days before: %v, warnings %v", err, cfg.Warnings)
	}
	if cfg, err = parseOn(t, withVersion("1.33", ""), "2026-11-29"); err != nil || len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "is in EKS extended support since 2026-07-29 (UTC): extended support is billed") {
		t.Errorf("in extended support: %v, warnings %v", err, cfg.Warnings)
	}
	// The end-of-standard-support day is billed as extended support from
	// its first hour (EKS User Guide, kubernetes-versions).
	if cfg, err = parseOn(t, withVersion("1.34", ""), "2026-12-02"); err != nil || len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], `"1.34" is in EKS extended support since 2026-12-02`) {
		t.Errorf("on the end-of-standard-support day: %v, warnings %v", err, cfg.Warnings)
	}
	// Versions EKS does not offer that day are errors.
	for v, want := range map[string]string{
		"1.31": `platform.yaml:8:14: spec.cluster.version: "1.31" left EKS extended support on 2026-11-26`,
		"1.36": `platform.yaml:8:14: spec.cluster.version: "1.36" is not a version the EKS calendar lists`,
	} {
		_, err := parseOn(t, withVersion(v, ""), "2026-11-29")
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %s", v, err, want)
		}
	}
	if _, err := parseOn(t, withVersion("1.35", "    supportType: PAID\n"), "2026-11-29"); err == nil || !strings.Contains(err.Error(), `spec.cluster.supportType: "PAID" is not allowed; want one of STANDARD, EXTENDED`) {
		t.Errorf("supportType: %v", err)
	}
}

// TestSchemaVersionsAreWhatRenderAccepts: the versions the JSON Schema and
// the configuration reference allow (Enums) are exactly those render
// accepts on the day the calendar was last checked.
func TestSchemaVersionsAreWhatRenderAccepts(t *testing.T) {
	allowed := map[string]bool{}
	for _, v := range Enums()["cluster.version"] {
		allowed[v.(string)] = true
	}
	for _, v := range append(slices.Clone(KubernetesVersions()), "1.36") {
		in := strings.Replace(base, "  cluster:\n", "  cluster:\n    version: \""+v+"\"\n", 1)
		_, err := Parse("platform.yaml", []byte(in), eksversion.ReferenceDay)
		if accepted := err == nil; accepted != allowed[v] {
			t.Errorf("%s: render accepts it on %s: %v (%v); the schema allows it: %v", v, eksversion.ReferenceDay, accepted, err, allowed[v])
		}
	}
}
