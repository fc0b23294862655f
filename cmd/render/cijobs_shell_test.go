package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// jobCommand is one render or kubectl command found in a CI job's
// script, its words expanded.
type jobCommand struct {
	// Where is file: job: step, for messages.
	Where string
	Args  []string
	// Handled says the script goes on when the command fails (it is an
	// if condition, the left of ||, a negated command): it may exit 1.
	Handled bool
}

func (c jobCommand) String() string { return strings.Join(c.Args, " ") }

// extractor walks a script's syntax tree (mvdan.cc/sh, bash) and collects
// every render and kubectl command with its words expanded as the shell
// would: variables from vars (NoUnset: a variable it lacks is an error),
// for loops once per value of their word list (globs read in dir), command
// substitutions searched too. A construct it does not know is an error, so
// that no command is skipped unseen.
type extractor struct {
	dir   string
	where string
	found []jobCommand
	errs  []error
}

// expression is a GitHub Actions ${{ }} expression.
var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// substitute replaces every ${{ }} expression in s with its value in
// exprs; an expression exprs lacks is an error.
func substitute(s string, exprs map[string]string) (string, error) {
	var missing []string
	out := expression.ReplaceAllStringFunc(s, func(m string) string {
		e := expression.FindStringSubmatch(m)[1]
		v, ok := exprs[e]
		if !ok {
			missing = append(missing, e)
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("no test value for the expressions %s", strings.Join(missing, ", "))
	}
	return out, nil
}

// script collects the commands of one script run with vars.
func (x *extractor) script(where, src string, vars map[string]string) {
	x.where = where
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), where)
	if err != nil {
		x.errs = append(x.errs, err)
		return
	}
	x.stmts(f.Stmts, vars, false)
}

func (x *extractor) stmts(list []*syntax.Stmt, vars map[string]string, handled bool) {
	for _, s := range list {
		x.stmt(s, vars, handled)
	}
}

func (x *extractor) stmt(s *syntax.Stmt, vars map[string]string, handled bool) {
	if s == nil {
		return
	}
	handled = handled || s.Negated
	for _, r := range s.Redirs {
		x.substs(r.Word, vars, handled)
	}
	switch c := s.Cmd.(type) {
	case nil:
	case *syntax.CallExpr:
		x.call(c, vars, handled)
	case *syntax.DeclClause:
		// export, local, declare: assignments, as a call's.
		x.call(&syntax.CallExpr{Assigns: c.Args}, vars, handled)
	case *syntax.BinaryCmd:
		// Under set -e a failure left of ||, && or | does not end the script.
		x.stmt(c.X, vars, true)
		x.stmt(c.Y, vars, handled)
	case *syntax.IfClause:
		for ; c != nil; c = c.Else {
			x.stmts(c.Cond, vars, true)
			x.stmts(c.Then, vars, handled)
		}
	case *syntax.ForClause:
		x.forLoop(c, vars, handled)
	case *syntax.WhileClause:
		x.stmts(c.Cond, vars, true)
		x.stmts(c.Do, vars, handled)
	case *syntax.Block:
		x.stmts(c.Stmts, vars, handled)
	case *syntax.Subshell:
		x.stmts(c.Stmts, vars, handled)
	default:
		x.errs = append(x.errs, fmt.Errorf("%s: %s: a %T, which the test does not know", x.where, s.Pos(), c))
	}
}

// call records a render or kubectl command; an assignment sets its
// variable when the test gave it no value and it expands without running
// anything.
func (x *extractor) call(c *syntax.CallExpr, vars map[string]string, handled bool) {
	for _, a := range c.Assigns {
		x.substs(a.Value, vars, handled)
		if _, given := vars[a.Name.Value]; given || a.Value == nil || len(c.Args) > 0 {
			continue
		}
		if v, err := expand.Literal(x.config(vars), a.Value); err == nil {
			vars[a.Name.Value] = v
		}
	}
	for _, w := range c.Args {
		x.substs(w, vars, handled)
	}
	if len(c.Args) == 0 {
		return
	}
	if name := c.Args[0].Lit(); name != "render" && name != "kubectl" {
		return
	}
	args, err := expand.Fields(x.config(vars), c.Args...)
	if err != nil {
		x.errs = append(x.errs, fmt.Errorf("%s: %s: %w", x.where, c.Pos(), err))
		return
	}
	x.found = append(x.found, jobCommand{Where: x.where, Args: args, Handled: handled})
}

// substs searches the command substitutions in w.
func (x *extractor) substs(w *syntax.Word, vars map[string]string, handled bool) {
	if w == nil {
		return
	}
	syntax.Walk(w, func(n syntax.Node) bool {
		if cs, ok := n.(*syntax.CmdSubst); ok {
			x.stmts(cs.Stmts, vars, handled)
			return false
		}
		return true
	})
}

// forLoop walks the body once per value of the loop's word list.
func (x *extractor) forLoop(c *syntax.ForClause, vars map[string]string, handled bool) {
	it, ok := c.Loop.(*syntax.WordIter)
	if !ok {
		x.errs = append(x.errs, fmt.Errorf("%s: %s: a C-style for loop, which the test does not know", x.where, c.Pos()))
		return
	}
	values, err := expand.Fields(x.config(vars), it.Items...)
	if err != nil || len(values) == 0 {
		x.errs = append(x.errs, fmt.Errorf("%s: %s: for %s: %d values, %v", x.where, c.Pos(), it.Name.Value, len(values), err))
		return
	}
	for _, v := range values {
		inner := map[string]string{}
		for k, val := range vars {
			inner[k] = val
		}
		inner[it.Name.Value] = v
		x.stmts(c.Do, inner, handled)
	}
}

func (x *extractor) config(vars map[string]string) *expand.Config {
	pairs := []string{"PWD=" + x.dir}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pairs = append(pairs, k+"="+vars[k])
	}
	return &expand.Config{
		Env:     expand.ListEnviron(pairs...),
		NoUnset: true,
		ReadDir2: func(dir string) ([]os.DirEntry, error) {
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(x.dir, dir)
			}
			return os.ReadDir(dir)
		},
	}
}
