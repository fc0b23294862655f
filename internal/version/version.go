// Package version reads what render version prints from the binary's
// build info: the module version, the VCS revision and the Go version. It
// imports nothing of render's.
package version

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// Info is what render version prints.
type Info struct {
	// Version is the module version, v1.2.3 when installed with go install
	// ...@v1.2.3, (devel) when built from a checkout.
	Version string `json:"version"`
	// Revision is the VCS revision; empty when the build recorded none
	// (go run, go test). Modified says the tree had uncommitted changes.
	Revision  string `json:"revision,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"goVersion"`
}

// Read returns the running binary's Info.
func Read() (Info, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{}, errors.New("the binary carries no build info")
	}
	return FromBuildInfo(info), nil
}

// FromBuildInfo returns the Info that info records.
func FromBuildInfo(info *debug.BuildInfo) Info {
	v := Info{Version: info.Main.Version, GoVersion: info.GoVersion}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String is the text form: "render v1.2.3", the revision ("unknown" when
// none was recorded) and the Go version, one a line.
func (v Info) String() string {
	rev := v.Revision
	if rev == "" {
		rev = "unknown"
	} else if v.Modified {
		rev += " (modified)"
	}
	return fmt.Sprintf("render %s\nrevision %s\n%s\n", v.Version, rev, v.GoVersion)
}
