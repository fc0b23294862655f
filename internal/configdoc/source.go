package configdoc

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
)

// Comments are the doc comments of a package's struct types and fields.
type Comments struct {
	types  map[string]string
	fields map[string]map[string]string
}

// ReadComments parses the non-test Go files at the top of fsys. A field
// without a comment of its own shares the comment of the field on the line
// above it, as in "MinSize, DesiredSize, MaxSize: ..." written once.
func ReadComments(fsys fs.FS) (Comments, error) {
	c := Comments{types: map[string]string{}, fields: map[string]map[string]string{}}
	names, err := fs.Glob(fsys, "*.go")
	if err != nil {
		return c, err
	}
	fset := token.NewFileSet()
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return c, err
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			return c, fmt.Errorf("parse %s: %w", name, err)
		}
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				c.addTypes(fset, g)
			}
		}
	}
	return c, nil
}

func (c Comments) addTypes(fset *token.FileSet, g *ast.GenDecl) {
	for _, spec := range g.Specs {
		ts := spec.(*ast.TypeSpec)
		doc := ts.Doc
		if doc == nil && len(g.Specs) == 1 {
			doc = g.Doc
		}
		c.types[ts.Name.Name] = text(doc)
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			continue
		}
		fields := map[string]string{}
		var shared string
		prevLine := -1
		for _, f := range st.Fields.List {
			line := fset.Position(f.Pos()).Line
			switch {
			case f.Doc != nil:
				shared = text(f.Doc)
			case line != prevLine+1:
				shared = ""
			}
			prevLine = fset.Position(f.End()).Line
			for _, n := range f.Names {
				fields[n.Name] = shared
			}
		}
		c.fields[ts.Name.Name] = fields
	}
}

// text is a comment as one paragraph.
func text(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	return strings.Join(strings.Fields(g.Text()), " ")
}
