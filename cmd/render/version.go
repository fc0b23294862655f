package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/version"
)

// NewVersionCommand builds `render version`.
func NewVersionCommand(streams IOStreams) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print render's version, VCS revision and Go version",
		Long: `version prints the module version ((devel) from a checkout), the VCS revision
(when the build recorded one) and the Go version that built the binary.`,
		Example: `  render version
  render version --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkOutput(output, "text", "json"); err != nil {
				return err
			}
			v, err := version.Read()
			switch {
			case err != nil:
				return err
			case output == "text":
				_, err = fmt.Fprint(streams.Out, v)
				return err
			}
			enc := json.NewEncoder(streams.Out)
			enc.SetIndent("", "  ")
			return enc.Encode(v)
		},
	}
	bindOutput(cmd, &output, "text", "text", "json")
	return cmd
}
