package graph

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Format is a text form of the graph: Mermaid or DOT.
type Format string

// The formats Write knows.
const (
	Mermaid Format = "mermaid"
	DOT     Format = "dot"
)

// Formats are the values ParseFormat accepts.
var Formats = []Format{Mermaid, DOT}

func (f Format) String() string { return string(f) }

// ParseFormat checks an --output value of render graph.
func ParseFormat(s string) (Format, error) {
	if f := Format(s); slices.Contains(Formats, f) {
		return f, nil
	}
	return "", fmt.Errorf("--output %q: want mermaid or dot", s)
}

// Write prints the graph in format f: one group per level, in level order,
// then an edge from each object to each object that waits for it (the
// order render apply applies in; render delete walks it backwards).
func (g *Graph) Write(w io.Writer, f Format) error {
	levels, err := g.Levels()
	if err != nil {
		return err
	}
	id := map[key]string{}
	var b strings.Builder
	open, node, close, edge := mermaidSyntax()
	if f == DOT {
		open, node, close, edge = dotSyntax()
		b.WriteString("digraph render {\n  rankdir=TB;\n  node [shape=box];\n")
	} else {
		b.WriteString("flowchart TD\n")
	}
	for l, objs := range levels {
		b.WriteString(open(l))
		for _, u := range objs {
			id[keyOf(u)] = fmt.Sprintf("n%d", len(id))
			b.WriteString(node(id[keyOf(u)], NameOf(u)))
		}
		b.WriteString(close)
	}
	for _, objs := range levels {
		for _, u := range objs {
			for _, d := range g.sortedDeps(u) {
				b.WriteString(edge(id[keyOf(d)], id[keyOf(u)]))
			}
		}
	}
	if f == DOT {
		b.WriteString("}\n")
	}
	_, err = io.WriteString(w, b.String())
	return err
}

func (g *Graph) sortedDeps(u *unstructured.Unstructured) []*unstructured.Unstructured {
	deps := g.DependsOn(u)
	slices.SortFunc(deps, func(a, b *unstructured.Unstructured) int { return strings.Compare(sortKey(a), sortKey(b)) })
	return deps
}

// mermaidSyntax and dotSyntax return how a level opens, a node reads, a
// level closes and an edge reads.
func mermaidSyntax() (func(int) string, func(string, string) string, string, func(string, string) string) {
	return func(l int) string { return fmt.Sprintf("  subgraph level%d[\"level %d\"]\n", l, l) },
		func(id, label string) string { return fmt.Sprintf("    %s[\"%s\"]\n", id, label) },
		"  end\n",
		func(from, to string) string { return fmt.Sprintf("  %s --> %s\n", from, to) }
}

func dotSyntax() (func(int) string, func(string, string) string, string, func(string, string) string) {
	return func(l int) string {
			return fmt.Sprintf("  subgraph cluster_level%d {\n    label=\"level %d\";\n", l, l)
		},
		func(id, label string) string { return fmt.Sprintf("    %s [label=%q];\n", id, label) },
		"  }\n",
		func(from, to string) string { return fmt.Sprintf("  %s -> %s;\n", from, to) }
}
