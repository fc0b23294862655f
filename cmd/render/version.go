package main

import (
	"encoding/json"
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// versionInfo is what render version prints, from the binary's build info.
type versionInfo struct {
	Version   string `json:"version"`
	Revision  string `json:"revision,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"goVersion"`
}

// NewVersionCommand builds `render version`.
func NewVersionCommand(streams IOStreams) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print render's version, VCS revision and Go version",
		Long: `version prints the module version (v1.2.3 when installed with go install
...@v1.2.3, (devel) when built from a checkout), the VCS revision the binary
was built from (absent when the build recorded none, as go run and go test
builds do) and the Go version that built it.`,
		Example: `  render version
  render version --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info, ok := debug.ReadBuildInfo()
			if !ok {
				return fmt.Errorf("the binary carries no build info")
			}
			return printVersion(streams, output, buildVersion(info))
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", `Output format: "text" or "json".`)
	return cmd
}

func buildVersion(info *debug.BuildInfo) versionInfo {
	v := versionInfo{Version: info.Main.Version, GoVersion: info.GoVersion}
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

func printVersion(streams IOStreams, output string, v versionInfo) error {
	switch output {
	case "json":
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(streams.Out, "%s\n", b)
		return err
	case "text":
		rev := v.Revision
		if rev == "" {
			rev = "unknown"
		} else if v.Modified {
			rev += " (modified)"
		}
		_, err := fmt.Fprintf(streams.Out, "render %s\nrevision %s\n%s\n", v.Version, rev, v.GoVersion)
		return err
	}
	return fmt.Errorf("--output %q: want text or json", output)
}
