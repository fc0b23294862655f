package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/orchestrate"
)

// Every command follows one output convention: -o/--output takes a format
// (text, json, markdown, yaml, ... as the command supports), and a file to
// write is --out-file (--out-dir for render gen's tree). bindOutput and
// checkOutput keep the flag, its help, its completion and its error the
// same everywhere.

// envFormats are the formats of an environment's objects (render build,
// render gen -o).
func envFormats() []string { return []string{orchestrate.YAML.String(), orchestrate.JSON.String()} }

// bindOutput binds -o/--output to *format with default def, one of the
// formats the command supports, and completes them.
func bindOutput(cmd *cobra.Command, format *string, def string, formats ...string) {
	cmd.Flags().StringVarP(format, "output", "o", def, fmt.Sprintf("Output format: %s.", orList(formats)))
	completeFlag(cmd, "output", formats...)
}

// checkOutput fails unless format is one of formats.
func checkOutput(format string, formats ...string) error {
	for _, f := range formats {
		if f == format {
			return nil
		}
	}
	return fmt.Errorf("--output %q: want %s", format, orList(formats))
}

// completeFlag completes flag name with the fixed values.
func completeFlag(cmd *cobra.Command, name string, values ...string) {
	if err := cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)); err != nil {
		panic(err) // a flag bound above by this program; impossible
	}
}

// names are the formats as --output spells them.
func names[F fmt.Stringer](formats []F) []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.String()
	}
	return out
}

// orList is "a", "a or b", "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}
