package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// docCommand is one render (or make) command line shown to a reader.
type docCommand struct {
	where string // file:line, or the command whose Example shows it
	make  bool   // make's arguments, not render's
	args  []string
	// inline is true for a command in running text (`render gen --check`):
	// its subcommand and flags must exist, but it may leave out arguments.
	inline bool
}

// TestDocumentedCommandsParse checks every render command the docs show
// (in the sh blocks and the inline code of README.md and docs/*.md, and
// in each command's Example) against the command tree: a known
// subcommand, flags it has, with values where they take one, and as many
// arguments as it accepts. A renamed flag or command fails here, and so
// does a make target the Makefile does not have.
func TestDocumentedCommandsParse(t *testing.T) {
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	var cmds []docCommand
	for _, f := range append([]string{"../../README.md"}, files...) {
		cmds = append(cmds, markdownCommands(t, f)...)
	}
	blocks := len(cmds)
	cmds = append(cmds, exampleCommands(NewRootCommand(IOStreams{Out: io.Discard, ErrOut: io.Discard}))...)
	if blocks < 40 || len(cmds)-blocks < 20 {
		t.Fatalf("found %d commands in the docs and %d in the examples; the extraction is broken", blocks, len(cmds)-blocks)
	}
	for _, c := range cmds {
		if c.make {
			for _, target := range c.args {
				if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(target) + `:`).Match(makefile) {
					t.Errorf("%s: make %s: the Makefile has no target %s", c.where, strings.Join(c.args, " "), target)
				}
			}
		} else if err := checkCommand(c); err != nil {
			t.Errorf("%s: render %s: %v", c.where, strings.Join(c.args, " "), err)
		}
	}
}

// checkCommand parses c with a fresh command tree, as Main would, without
// running it.
func checkCommand(c docCommand) error {
	root := NewRootCommand(IOStreams{Out: io.Discard, ErrOut: io.Discard})
	cmd, rest, err := root.Find(c.args)
	if err != nil {
		return err
	}
	if cmd == root {
		return fmt.Errorf("no subcommand")
	}
	if c.inline {
		return knownFlags(cmd, rest)
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return err
	}
	return cmd.ValidateArgs(cmd.Flags().Args())
}

// knownFlags checks that every flag in args is one of cmd's.
func knownFlags(cmd *cobra.Command, args []string) error {
	for _, a := range args {
		name, _, _ := strings.Cut(a, "=")
		var f *pflag.Flag
		switch {
		case strings.HasPrefix(name, "--"):
			f = cmd.Flags().Lookup(name[2:])
		case strings.HasPrefix(name, "-") && len(name) == 2:
			f = cmd.Flags().ShorthandLookup(name[1:])
		default:
			continue
		}
		if f == nil {
			return fmt.Errorf("unknown flag: %s", name)
		}
	}
	return nil
}

var (
	inlineCode   = regexp.MustCompile("`((?:render|make) [^`]+)`")
	heredocStart = regexp.MustCompile(`<<-?'?"?(\w+)`)
)

// markdownCommands are the render commands of file: each line of its sh
// blocks (continuation lines joined, heredoc bodies skipped) and each
// inline code span outside them.
func markdownCommands(t *testing.T, file string) []docCommand {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	name := strings.TrimPrefix(file, "../../")
	var out []docCommand
	var fence, heredoc, joined string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```") && fence == "":
			fence = strings.TrimPrefix(trimmed, "```")
			if fence == "" {
				fence = "text"
			}
			continue
		case strings.HasPrefix(trimmed, "```"):
			fence = ""
			continue
		case fence == "":
			for _, m := range inlineCode.FindAllStringSubmatch(line, -1) {
				out = append(out, shellCommands(fmt.Sprintf("%s:%d", name, n), m[1], true)...)
			}
			continue
		case fence != "sh" && fence != "shell" && fence != "bash":
			continue
		case heredoc != "":
			if trimmed == heredoc {
				heredoc = ""
			}
			continue
		}
		if m := heredocStart.FindStringSubmatch(line); m != nil {
			heredoc = m[1]
		}
		joined += strings.TrimPrefix(trimmed, "$ ")
		if strings.HasSuffix(joined, `\`) {
			joined = strings.TrimSuffix(joined, `\`) + " "
			continue
		}
		out = append(out, shellCommands(fmt.Sprintf("%s:%d", name, n), joined, false)...)
		joined = ""
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// exampleCommands are the render commands of every command's Example.
func exampleCommands(root *cobra.Command) []docCommand {
	var out []docCommand
	for _, c := range root.Commands() {
		for _, line := range strings.Split(c.Example, "\n") {
			out = append(out, shellCommands("render "+c.Name()+" --help", strings.TrimSpace(line), false)...)
		}
		out = append(out, exampleCommands(c)...)
	}
	return out
}

// shellCommands splits one shell line into its simple commands (at |, &&,
// ||, ; and &), as a shell would: quotes removed, a comment dropped, a
// redirection and its target dropped, leading VAR=value assignments
// dropped. It returns those that run render (render, bin/render, go run
// ./cmd/render), with render's arguments.
func shellCommands(where, line string, inline bool) []docCommand {
	var out []docCommand
	var words []string
	var word strings.Builder
	inWord, redirect := false, false
	var quote rune
	endWord := func() {
		if inWord && !redirect {
			words = append(words, word.String())
		} else if inWord {
			redirect = false
		}
		word.Reset()
		inWord = false
	}
	endCommand := func() {
		endWord()
		if args, ok := renderArgs(words); ok {
			out = append(out, docCommand{where: where, args: args, inline: inline})
		}
		if len(words) > 1 && words[0] == "make" {
			targets := slices.DeleteFunc(words[1:], assignment.MatchString)
			out = append(out, docCommand{where: where, make: true, args: targets})
		}
		words = nil
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '\\' && i+1 < len(rs):
			i++
			word.WriteRune(rs[i])
			inWord = true
		case r == '#' && !inWord:
			endCommand()
			return out
		case r == ' ' || r == '\t':
			endWord()
		case r == '|' || r == '&' || r == ';':
			endCommand()
		case r == '>' || r == '<':
			if inWord && strings.Trim(word.String(), "0123456789") == "" {
				word.Reset() // the 2 of 2>
				inWord = false
			}
			endWord()
			redirect = true
			for i+1 < len(rs) && (rs[i+1] == '>' || rs[i+1] == '&') {
				i++
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	endCommand()
	return out
}

var assignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// renderArgs returns render's arguments if words run render.
func renderArgs(words []string) ([]string, bool) {
	for len(words) > 0 && assignment.MatchString(words[0]) {
		words = words[1:]
	}
	switch {
	case len(words) >= 1 && (words[0] == "render" || words[0] == "bin/render" || words[0] == "./bin/render"):
		return words[1:], true
	case len(words) >= 3 && words[0] == "go" && words[1] == "run" && words[2] == "./cmd/render":
		return words[3:], true
	}
	return nil, false
}

func TestShellCommands(t *testing.T) {
	for _, tc := range []struct {
		line string
		want [][]string
	}{
		{"render gen", [][]string{{"gen"}}},
		{"render build dev | kubectl apply --server-side -f -", [][]string{{"build", "dev"}}},
		{"render outputs dev && render gen && git commit -m 'a b'", [][]string{{"outputs", "dev"}, {"gen"}}},
		{"render apply prod --output json > result.json   # a comment", [][]string{{"apply", "prod", "--output", "json"}}},
		{"KUBECONFIG=x render diff dev 2>/dev/null; echo $?", [][]string{{"diff", "dev"}}},
		{`go run ./cmd/render gen --gitops-repo "https://example.com/a b"`, [][]string{{"gen", "--gitops-repo", "https://example.com/a b"}}},
		{"kubectl apply -k overlays/dev", nil},
		{"make test-apply LINT_BIN=x", [][]string{{"test-apply"}}},
		{"# render gen", nil},
	} {
		t.Run(tc.line, func(t *testing.T) {
			var got [][]string
			for _, c := range shellCommands("test", tc.line, false) {
				got = append(got, c.args)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
