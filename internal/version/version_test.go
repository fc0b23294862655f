package version

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	for _, tc := range []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"a release", debug.BuildInfo{GoVersion: "go1.26.10", Main: debug.Module{Version: "v1.2.3"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}}},
			"render v1.2.3\nrevision abc123\ngo1.26.10\n"},
		{"a modified checkout", debug.BuildInfo{GoVersion: "go1.26.10",
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "true"}}},
			"render (devel)\nrevision abc123 (modified)\ngo1.26.10\n"},
		{"no revision recorded", debug.BuildInfo{GoVersion: "go1.26.10", Main: debug.Module{Version: "(devel)"}},
			"render (devel)\nrevision unknown\ngo1.26.10\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FromBuildInfo(&tc.info).String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
