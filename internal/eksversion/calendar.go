// Package eksversion holds the Amazon EKS version facts render checks a
// platform against: the Kubernetes version calendar (release, end of
// standard support, end of extended support) and the managed add-on
// versions for each Kubernetes minor. Both are data with their sources:
// releases.md is the project's calendar, one source per row, parsed here;
// calendar.md, derived from ../shared/eks-versions.md by `make
// eks-versions`, is the input it was checked against (a test keeps them in
// step); addons.md lists the add-on versions per minor with their source,
// and describe.go reads saved describe-addon-versions output to refresh it
// (make addon-versions).
//
// Nothing here reads the clock: the day is always an argument, which only
// cmd/render takes from the clock, so that rendering stays deterministic
// and tests pin the date.
package eksversion

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed releases.md
var releasesMD string

//go:embed calendar.md
var calendarMD string

// Release is one Kubernetes minor version's life on EKS. Each date is the
// UTC day a phase starts: EndStandard is the first day of (billed)
// extended support, EndExtended the first day EKS no longer offers the
// version (releases.md quotes the User Guide).
type Release struct {
	Version     string
	Released    Day
	EndStandard Day
	EndExtended Day
	// Source is where the row's dates were read (releases.md's last column).
	Source string
}

// Day is a calendar day in UTC.
type Day struct{ t time.Time }

// DayOf returns the UTC calendar day of t.
func DayOf(t time.Time) Day {
	y, m, d := t.UTC().Date()
	return Day{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDay parses "2006-01-02".
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Day{}, fmt.Errorf("%q is not a date: want YYYY-MM-DD", s)
	}
	return Day{t}, nil
}

func (d Day) String() string      { return d.t.Format(time.DateOnly) }
func (d Day) IsZero() bool        { return d.t.IsZero() }
func (d Day) After(o Day) bool    { return d.t.After(o.t) }
func (d Day) Before(o Day) bool   { return d.t.Before(o.t) }
func (d Day) AddDays(n int) Day   { return Day{d.t.AddDate(0, 0, n)} }
func (d Day) DaysUntil(o Day) int { return int(o.t.Sub(d.t).Hours() / 24) }

// Support is where a release stands on a given day.
type Support string

const (
	NotReleased Support = "not released"
	Standard    Support = "standard support"
	Extended    Support = "extended support"
	Ended       Support = "end of support"
)

// SupportOn says where r stands on day. AWS bills extended support "from
// the beginning of the day that the version reaches end of standard
// support", and "on the end of extended support date, you can no longer
// create new Amazon EKS clusters with the unsupported version" (EKS User
// Guide, kubernetes-versions.adoc, github:awsdocs/amazon-eks-user-guide
// @013856044148): each end day belongs to the next phase.
func (r Release) SupportOn(day Day) Support {
	switch {
	case day.Before(r.Released):
		return NotReleased
	case day.Before(r.EndStandard):
		return Standard
	case day.Before(r.EndExtended):
		return Extended
	}
	return Ended
}

var minorRE = regexp.MustCompile(`^1\.(\d+)$`)

// calendar is parsed once, on first use (not at init, which every render
// command pays); a malformed releases.md is a build defect that the
// package's tests catch, so it panics.
var calendar = sync.OnceValue(func() []Release { return mustParse(releasesMD) })

func mustParse(md string) []Release {
	rs, err := parseCalendar(md)
	if err == nil {
		for _, r := range rs {
			if r.Source == "" {
				err = fmt.Errorf("%s: no source", r.Version)
			}
		}
	}
	if err != nil {
		panic(fmt.Sprintf("eksversion: releases.md: %v", err))
	}
	return rs
}

func parseCalendar(md string) ([]Release, error) {
	// Compiled here, not at package init: the calendar is parsed once, and
	// only by the commands that need it.
	rowRE := regexp.MustCompile(`^\|\s*(\d+\.\d+)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|(?:([^|]*)\|)?\s*$`)
	var out []Release
	for i, line := range strings.Split(md, "\n") {
		m := rowRE.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		r := Release{Version: m[1], Source: strings.TrimSpace(m[5])}
		for j, dst := range []*Day{&r.Released, &r.EndStandard, &r.EndExtended} {
			d, err := ParseDay(m[2+j])
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", i+1, err)
			}
			*dst = d
		}
		if _, err := minorOf(r.Version); err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		if !r.Released.Before(r.EndStandard) || !r.EndStandard.Before(r.EndExtended) {
			return nil, fmt.Errorf("line %d: %s: dates are not in order", i+1, r.Version)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no version rows")
	}
	slices.SortFunc(out, func(a, b Release) int { return Compare(b.Version, a.Version) })
	return out, nil
}

// Calendar returns every release the calendar lists, newest first.
func Calendar() []Release { return slices.Clone(calendar()) }

// Lookup returns the calendar's row for version.
func Lookup(version string) (Release, bool) {
	for _, r := range calendar() {
		if r.Version == version {
			return r, true
		}
	}
	return Release{}, false
}

// minorOf returns 35 for "1.35".
func minorOf(v string) (int, error) {
	m := minorRE.FindStringSubmatch(v)
	if m == nil {
		return 0, fmt.Errorf("%q is not a Kubernetes minor version such as \"1.35\"", v)
	}
	return strconv.Atoi(m[1])
}

// Compare orders two minor versions ("1.9" < "1.10"); versions that do not
// parse sort first.
func Compare(a, b string) int {
	x, errA := minorOf(a)
	y, errB := minorOf(b)
	switch {
	case errA != nil || errB != nil:
		return strings.Compare(a, b)
	}
	return x - y
}

// Offered returns the versions EKS offers for a cluster on day (released,
// and before its end-of-extended-support day), oldest first, as the
// configuration accepts them.
func Offered(day Day) []string {
	var out []string
	for _, r := range calendar() {
		if s := r.SupportOn(day); s == Standard || s == Extended {
			out = append(out, r.Version)
		}
	}
	slices.Reverse(out)
	return out
}

// Default is the version a cluster gets when the configuration names
// none: the newest version the calendar lists as released that is in
// standard support on day, else (a calendar not updated for over a year)
// the newest offered one.
func Default(day Day) string {
	for _, r := range calendar() {
		if r.SupportOn(day) == Standard {
			return r.Version
		}
	}
	if off := Offered(day); len(off) > 0 {
		return off[len(off)-1]
	}
	return calendar()[0].Version
}

// CheckOffered returns nil if EKS offers version on day, else an error
// that says why and what is offered.
func CheckOffered(version string, day Day) error {
	r, ok := Lookup(version)
	offered := strings.Join(Offered(day), ", ")
	if !ok {
		return fmt.Errorf("%q is not a version the EKS calendar lists as released (render knows %s); EKS offers %s on %s", version, known(), offered, day)
	}
	switch r.SupportOn(day) {
	case NotReleased:
		return fmt.Errorf("%q is released on EKS on %s, after %s; EKS offers %s", version, r.Released, day, offered)
	case Ended:
		return fmt.Errorf("%q left EKS extended support on %s, so EKS no longer offers it (existing clusters are upgraded by AWS); EKS offers %s on %s", version, r.EndExtended, offered, day)
	}
	return nil
}

func known() string {
	var vs []string
	for _, r := range calendar() {
		vs = append(vs, r.Version)
	}
	slices.Reverse(vs)
	return strings.Join(vs, ", ")
}

// CheckStep returns nil if a cluster on from may be set to to: the same
// version or the next minor. EKS upgrades the control plane one minor at a
// time and never downgrades it (UpdateClusterVersion; the calendar's
// rules).
func CheckStep(from, to string) error {
	x, err := minorOf(from)
	if err != nil {
		return err
	}
	y, err := minorOf(to)
	if err != nil {
		return err
	}
	switch {
	case y < x:
		return fmt.Errorf("%s -> %s is a downgrade; EKS cannot downgrade a cluster: keep %s (or create a new cluster)", from, to, from)
	case y > x+1:
		var skipped []string
		for m := x + 1; m < y; m++ {
			skipped = append(skipped, "1."+strconv.Itoa(m))
		}
		return fmt.Errorf("%s -> %s skips %s; EKS upgrades one minor version at a time: set %s first, apply it, then %s", from, to, strings.Join(skipped, ", "), Next(from), to)
	}
	return nil
}

// Next returns the minor version after v ("1.35" for "1.34").
func Next(v string) string {
	x, err := minorOf(v)
	if err != nil {
		return v
	}
	return "1." + strconv.Itoa(x+1)
}

// ReferenceDay is the day the calendar and the add-on table were last
// checked (AddonsReadOn). Tests pin the day to it, so that their outcome
// does not move with the clock.
var ReferenceDay = func() Day {
	d, err := ParseDay(AddonsReadOn)
	if err != nil {
		panic(err)
	}
	return d
}()

// Time is the start of the day, in UTC.
func (d Day) Time() time.Time { return d.t }
