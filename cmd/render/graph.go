package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/eks-render/render/internal/graph"
	"github.com/eks-render/render/internal/orchestrate"
)

type graphFlags struct {
	configFlags
	format string
}

// NewGraphCommand builds `render graph ENV`.
func NewGraphCommand(streams IOStreams) *cobra.Command {
	f := &graphFlags{}
	cmd := &cobra.Command{
		Use:   "graph ENV",
		Short: "Print the order render applies an environment's objects in",
		Long: `graph prints the dependency graph of ENV's management objects by level: render
apply starts each object once what it depends on is ready, render delete walks
the levels backwards, and the Argo CD sync waves are the levels. Objects waiting
for a late value are listed on stderr.`,
		Example: `  render graph dev                  # Mermaid, for a Markdown page
  render graph prod -o dot | dot -Tsvg > prod.svg`,
		Args:              f.envArg,
		ValidArgsFunction: f.completeEnv,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("format") {
				fmt.Fprintln(streams.ErrOut, "warning: --format is deprecated; use -o/--output")
			}
			return f.run(streams, args[0])
		},
	}
	f.bind(cmd, streams)
	bindOutput(cmd, &f.format, graph.Mermaid.String(), graphFormats()...)
	// --format was graph's own name for -o; kept, hidden, with a warning.
	cmd.Flags().StringVar(&f.format, "format", graph.Mermaid.String(), "Deprecated: use -o/--output.")
	completeFlag(cmd, "format", graphFormats()...)
	if err := cmd.Flags().MarkHidden("format"); err != nil {
		panic(err) // the flag is bound above; impossible
	}
	return cmd
}

// graphFormats are graph.Formats as --output spells them.
func graphFormats() []string { return names(graph.Formats) }

func (f *graphFlags) run(streams IOStreams, name string) error {
	format, err := graph.ParseFormat(f.format)
	if err != nil {
		return err
	}
	cfg, err := f.Load()
	if err != nil {
		return err
	}
	objs, err := orchestrate.GraphObjects(cfg, name, streams.ErrOut)
	if err != nil {
		return err
	}
	return graph.New(objs).Write(streams.Out, format)
}
