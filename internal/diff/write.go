package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// Format is a report format.
type Format string

const (
	// TextFormat is for terminals.
	TextFormat Format = "text"
	// JSONFormat is the Report as JSON, for tools.
	JSONFormat Format = "json"
	// MarkdownFormat is for a pull-request comment.
	MarkdownFormat Format = "markdown"
)

// Formats are the valid formats, the default first.
var Formats = []Format{TextFormat, JSONFormat, MarkdownFormat}

// String returns the format's flag value.
func (f Format) String() string { return string(f) }

// Write writes the report in format f.
func (r *Report) Write(w io.Writer, f Format) error {
	switch f {
	case TextFormat:
		return r.writeText(w)
	case JSONFormat:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case MarkdownFormat:
		return r.writeMarkdown(w)
	}
	return fmt.Errorf("unknown output format %q", f)
}

// Warnings returns the warnings of all objects of the environment, in order.
func (e Environment) Warnings() []Warning {
	var out []Warning
	for _, o := range e.Objects {
		out = append(out, o.Warnings...)
	}
	return out
}

// kindCounts is one row of an environment's summary.
type kindCounts struct {
	kind                    string
	added, changed, removed int
}

// byKind counts the objects per kind, sorted by kind.
func (e Environment) byKind() []kindCounts {
	var out []kindCounts
	for _, o := range e.Objects {
		i := slices.IndexFunc(out, func(c kindCounts) bool { return c.kind == o.Kind })
		if i < 0 {
			i = len(out)
			out = append(out, kindCounts{kind: o.Kind})
		}
		switch o.Action {
		case AddedAction:
			out[i].added++
		case ChangedAction:
			out[i].changed++
		case RemovedAction:
			out[i].removed++
		}
	}
	slices.SortFunc(out, func(a, b kindCounts) int { return strings.Compare(a.kind, b.kind) })
	return out
}

func (e Environment) headline() string {
	return fmt.Sprintf("%d added, %d changed, %d removed", e.Added, e.Changed, e.Removed)
}

func (e Environment) sizeChange() string {
	if c := e.From.changes(e.To); len(c) > 0 {
		return strings.Join(c, ", ")
	}
	return "none"
}

func (r *Report) writeText(w io.Writer) error {
	var sb strings.Builder
	if !r.Changed {
		for _, e := range r.Environments {
			writeAssumed(&sb, e)
			writeKept(&sb, e)
		}
		sb.WriteString("no changes\n")
		_, err := io.WriteString(w, sb.String())
		return err
	}
	for _, e := range r.Environments {
		fmt.Fprintf(&sb, "environment %s: %s\n", e.Name, e.headline())
		if e.Upgrade != nil {
			fmt.Fprintf(&sb, "  UPGRADE %s: %s\n", e.Name, e.Upgrade)
		}
		if e.AuthenticationMode != nil {
			fmt.Fprintf(&sb, "  %s\n", e.modeLine())
			for _, l := range e.AuthenticationMode.Lines() {
				fmt.Fprintf(&sb, "    %s\n", l)
			}
		}
		writeAssumed(&sb, e)
		writeKept(&sb, e)
		if !e.Backwards.Empty() {
			fmt.Fprintf(&sb, "  BACKWARDS %s: %s\n", e.Name, backwardsHeadline)
			for _, l := range e.Backwards.Lines() {
				fmt.Fprintf(&sb, "    %s\n", l)
			}
		}
		tw := tabwriter.NewWriter(&sb, 0, 4, 2, ' ', 0)
		if len(e.Objects) > 0 {
			fmt.Fprintln(tw, "  KIND\tADDED\tCHANGED\tREMOVED")
		}
		for _, c := range e.byKind() {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\n", c.kind, c.added, c.changed, c.removed)
		}
		tw.Flush()
		for _, o := range e.Objects {
			fmt.Fprintf(&sb, "  %s %s (%s)\n", sign(o.Action), o.Name, o.Target)
		}
		fmt.Fprintf(&sb, "  from:   %s\n  to:     %s\n  change: %s\n", e.From, e.To, e.sizeChange())
		for _, wn := range e.Warnings() {
			fmt.Fprintf(&sb, "  %s %s %s\n", wn.Reason, wn.Object, wn.Path)
		}
		sb.WriteString("\n")
	}
	for _, e := range r.Environments {
		for _, o := range e.Objects {
			sb.WriteString(o.Diff)
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// assumedHeadline heads the ASSUMED section (Assumptions).
const assumedHeadline = "network.existing: what only AWS can check, until ACK reports otherwise"

func writeAssumed(sb *strings.Builder, e Environment) {
	section(sb, fmt.Sprintf("  ASSUMED %s: %s\n", e.Name, assumedHeadline), "    %s\n", e.Assumed, "")
}

// backwardsHeadline heads the BACKWARDS section (Backwards).
const backwardsHeadline = "the live environment has moved past the committed files; applied by a GitOps tool, they would ask AWS to go back"

func sign(a Action) string {
	switch a {
	case AddedAction:
		return "+"
	case RemovedAction:
		return "-"
	}
	return "~"
}

func (r *Report) writeMarkdown(w io.Writer) error {
	var sb strings.Builder
	sb.WriteString("## render diff\n\n")
	if !r.Changed {
		sb.WriteString("No changes.\n")
	}
	for _, e := range r.Environments {
		if len(e.Assumed) > 0 {
			fmt.Fprintf(&sb, "### %s: ASSUMED\n\n%s:\n\n", e.Name, assumedHeadline)
			for _, a := range e.Assumed {
				fmt.Fprintf(&sb, "- %s\n", a)
			}
			sb.WriteString("\n")
		}
		writeKeptMarkdown(&sb, e)
		if !e.Backwards.Empty() {
			fmt.Fprintf(&sb, "### %s: BACKWARDS\n\n%s:\n\n", e.Name, backwardsHeadline)
			for _, l := range e.Backwards.Lines() {
				fmt.Fprintf(&sb, "- %s\n", l)
			}
			sb.WriteString("\n")
		}
		if len(e.Objects) == 0 {
			fmt.Fprintf(&sb, "### %s\n\nNo changes.\n\n", e.Name)
			continue
		}
		fmt.Fprintf(&sb, "### %s: %s\n\n", e.Name, e.headline())
		if e.Upgrade != nil {
			fmt.Fprintf(&sb, "**UPGRADE %s**: %s\n\n", e.Name, e.Upgrade)
		}
		if e.AuthenticationMode != nil {
			fmt.Fprintf(&sb, "**%s**\n\n", e.modeLine())
			for _, l := range e.AuthenticationMode.Lines() {
				fmt.Fprintf(&sb, "- %s\n", l)
			}
			if len(e.AuthenticationMode.Lines()) > 0 {
				sb.WriteString("\n")
			}
		}
		sb.WriteString("| kind | added | changed | removed |\n|---|---:|---:|---:|\n")
		for _, c := range e.byKind() {
			fmt.Fprintf(&sb, "| %s | %d | %d | %d |\n", c.kind, c.added, c.changed, c.removed)
		}
		fmt.Fprintf(&sb, "\n| | size |\n|---|---|\n| from | %s |\n| to | %s |\n| change | %s |\n\n", e.From, e.To, e.sizeChange())
		writeMarkdownObjects(&sb, e)
	}
	_, err := io.WriteString(w, strings.TrimSuffix(sb.String(), "\n")+"\n")
	return err
}

func writeMarkdownObjects(sb *strings.Builder, e Environment) {
	if ws := e.Warnings(); len(ws) > 0 {
		sb.WriteString("**Warnings**\n\n")
		for _, wn := range ws {
			fmt.Fprintf(sb, "- **%s** `%s` `%s`\n", wn.Reason, wn.Object, wn.Path)
		}
		sb.WriteString("\n")
	}
	listed := false
	for _, o := range e.Objects {
		if o.Action != ChangedAction {
			fmt.Fprintf(sb, "- %s `%s` (%s)\n", o.Action, o.Name, o.Target)
			listed = true
		}
	}
	if listed {
		sb.WriteString("\n")
	}
	for _, o := range e.Objects {
		if o.Diff != "" {
			fmt.Fprintf(sb, "<details><summary>%s (%s)</summary>\n\n```diff\n%s```\n\n</details>\n\n", o.Name, o.Target, o.Diff)
		}
	}
}
