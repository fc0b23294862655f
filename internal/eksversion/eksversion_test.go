package eksversion

import (
	"strings"
	"testing"
)

func day(t *testing.T, s string) Day {
	t.Helper()
	d, err := ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCalendarParsesTheDerivedTable(t *testing.T) {
	r, ok := Lookup("1.34")
	if !ok || r.Released.String() != "2025-10-02" || r.Source == "" || r.EndStandard.String() != "2026-12-02" || r.EndExtended.String() != "2027-12-02" {
		t.Fatalf("1.34 = %+v, %v", r, ok)
	}
	if got := Calendar()[0].Version; got != "1.35" {
		t.Errorf("newest = %s, want 1.35", got)
	}
	if _, ok := Lookup("1.36"); ok {
		t.Error("1.36 has no EKS release date in the calendar and must not be listed")
	}
	if _, err := parseCalendar("| 1.35 | 2027-01-28 | 2026-03-27 | 2028-03-27 |\n"); err == nil {
		t.Error("dates out of order were accepted")
	}
	if _, err := parseCalendar("| 1.35 | 2026-13-28 | 2027-03-27 | 2028-03-27 |\n"); err == nil {
		t.Error("a bad date was accepted")
	}
}

func TestSupportAndDefaultFollowTheDay(t *testing.T) {
	for _, tc := range []struct {
		day, offered, def string
	}{
		{"2026-11-29", "1.32,1.33,1.34,1.35", "1.35"},
		// 1.31's end of extended support is 2026-11-26: from that day on
		// EKS creates no 1.31 cluster.
		{"2026-11-25", "1.31,1.32,1.33,1.34,1.35", "1.35"},
		{"2026-11-26", "1.32,1.33,1.34,1.35", "1.35"},
		{"2026-01-27", "1.29,1.30,1.31,1.32,1.33,1.34", "1.34"},
		{"2026-01-28", "1.29,1.30,1.31,1.32,1.33,1.34,1.35", "1.35"},
		// Past 1.35's standard support, with no newer release known.
		{"2027-06-01", "1.33,1.34,1.35", "1.35"},
	} {
		d := day(t, tc.day)
		if got := strings.Join(Offered(d), ","); got != tc.offered {
			t.Errorf("%s: offered %s, want %s", tc.day, got, tc.offered)
		}
		if got := Default(d); got != tc.def {
			t.Errorf("%s: default %s, want %s", tc.day, got, tc.def)
		}
	}
	r, _ := Lookup("1.34")
	// The end-of-standard-support day is billed as extended support, from
	// its first hour (EKS User Guide, kubernetes-versions).
	for s, want := range map[string]Support{
		"2025-10-01": NotReleased, "2025-10-02": Standard, "2026-12-01": Standard,
		"2026-12-02": Extended, "2027-12-01": Extended, "2027-12-02": Ended,
	} {
		if got := r.SupportOn(day(t, s)); got != want {
			t.Errorf("1.34 on %s: %s, want %s", s, got, want)
		}
	}
}

func TestCheckOfferedSaysWhy(t *testing.T) {
	d := day(t, "2026-11-29")
	if err := CheckOffered("1.34", d); err != nil {
		t.Fatal(err)
	}
	for v, want := range map[string]string{
		"1.31": "left EKS extended support on 2026-11-26",
		"1.36": "not a version the EKS calendar lists",
		"1.28": "not a version the EKS calendar lists",
	} {
		err := CheckOffered(v, d)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "1.32, 1.33, 1.34, 1.35") {
			t.Errorf("%s: %v, want %q and the offered list", v, err, want)
		}
	}
	if err := CheckOffered("1.35", day(t, "2026-01-01")); err == nil || !strings.Contains(err.Error(), "released on EKS on 2026-01-28") {
		t.Errorf("before release: %v", err)
	}
}

func TestCheckStepIsOneMinorForward(t *testing.T) {
	for _, ok := range [][2]string{{"1.34", "1.34"}, {"1.34", "1.35"}, {"1.9", "1.10"}} {
		if err := CheckStep(ok[0], ok[1]); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
	if err := CheckStep("1.33", "1.35"); err == nil || !strings.Contains(err.Error(), "set 1.34 first") {
		t.Errorf("skip: %v", err)
	}
	if err := CheckStep("1.35", "1.34"); err == nil || !strings.Contains(err.Error(), "downgrade") {
		t.Errorf("downgrade: %v", err)
	}
}

// TestEveryOfferedVersionHasAddonVersions keeps the add-on table in step
// with the calendar: a version EKS offers on the day the table was read,
// or later, without pinned add-ons would render a cluster whose add-ons
// never follow an upgrade.
func TestEveryOfferedVersionHasAddonVersions(t *testing.T) {
	read := day(t, AddonsReadOn)
	for _, r := range Calendar() {
		if r.EndExtended.Before(read) {
			continue
		}
		for _, name := range Addons {
			v, err := AddonVersion(name, r.Version)
			if err != nil {
				t.Error(err)
				continue
			}
			if !AddonCompatible(name, v, r.Version) {
				t.Errorf("%s %s is not compatible with %s by the table", name, v, r.Version)
			}
		}
	}
	for _, v := range AddonMinors() {
		if AddonSource(v) == "" {
			t.Errorf("the add-on versions for %s have no source", v)
		}
	}
	if AddonCompatible(KubeProxy, "v1.35.3-eksbuild.13", "1.34") {
		t.Error("kube-proxy for 1.35 accepted on 1.34")
	}
}

// TestReleasesFollowTheDerivedCalendar keeps releases.md, the project's
// calendar, in step with calendar.md, derived from ../shared: every
// version the derived calendar lists is here, and a row that does not cite
// AWS's own table has the derived dates.
func TestReleasesFollowTheDerivedCalendar(t *testing.T) {
	derived, err := parseCalendar(calendarMD)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range derived {
		r, ok := Lookup(d.Version)
		switch {
		case !ok:
			t.Errorf("%s is in calendar.md but not in releases.md", d.Version)
		case !strings.Contains(r.Source, "EKS User Guide") && (r.Released != d.Released || r.EndStandard != d.EndStandard || r.EndExtended != d.EndExtended):
			t.Errorf("%s: releases.md %+v, calendar.md %+v, and the row cites no AWS table", d.Version, r, d)
		}
	}
	for _, r := range Calendar() {
		if r.Source == "" {
			t.Errorf("%s has no source", r.Version)
		}
	}
}
