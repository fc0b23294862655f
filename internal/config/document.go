package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds the configuration file; a platform description is a few
// kilobytes, so anything near this is a mistake (or an attack).
const MaxFileSize = 1 << 20

// readDocument parses data as exactly one YAML document.
func readDocument(file string, data []byte) (*yaml.Node, *FieldError) {
	fe := func(line int, msg string) *FieldError {
		return &FieldError{File: file, Line: line, Column: 1, Msg: msg}
	}
	switch {
	case len(data) > MaxFileSize:
		return nil, tooLarge(file, fmt.Sprintf("%d bytes", len(data)))
	case bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data):
		return nil, fe(0, "not a UTF-8 text file")
	}
	if e := controlChar(file, data); e != nil {
		return nil, e
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fe(0, fmt.Sprintf("empty file; want a document with apiVersion: %s and kind: %s", APIVersion, Kind))
		}
		return nil, syntaxError(file, data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, fe(next.Line, "a second YAML document; the configuration is exactly one document (remove the '---' separator)")
	case !errors.Is(err, io.EOF):
		return nil, syntaxError(file, data, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fe(doc.Line, fmt.Sprintf("the document must be a mapping with apiVersion: %s and kind: %s", APIVersion, Kind))
	}
	return doc.Content[0], nil
}

// controlChar finds the first character YAML does not allow in a file (the
// yaml package reports it without a position).
func controlChar(file string, data []byte) *FieldError {
	line, col := 1, 1
	for _, r := range string(data) {
		switch {
		case r == '\n':
			line, col = line+1, 1
			continue
		case r == '\t' || r == '\r' || r == 0x85 || r == '\uFEFF':
		case r < 0x20 || (r >= 0x7F && r < 0xA0) || r == 0xFFFE || r == 0xFFFF:
			return &FieldError{File: file, Line: line, Column: col,
				Msg: fmt.Sprintf("control character %U is not allowed in YAML; remove it", r)}
		}
		col++
	}
	return nil
}

var (
	yamlLine      = lazyRegexp(`^yaml: line (\d+): (.*)$`)
	unknownAnchor = lazyRegexp(`^yaml: unknown anchor '(.*)' referenced$`)
)

// parserProblems are the yaml package's parser (as opposed to scanner)
// messages. For these it prints the 0-based line of the mark it reports,
// and no line at all on the first line, so they need one added.
var parserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected key", "did not find expected node content",
	"did not find expected '-' indicator", "did not find expected ',' or ']'",
	"did not find expected ',' or '}'", "found duplicate %YAML directive",
	"found duplicate %TAG directive", "found incompatible YAML document",
	"found undefined tag handle",
}

func syntaxError(file string, data []byte, err error) *FieldError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1 // the yaml package omits the line when it is the first
	if m := yamlLine().FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if slices.Contains(parserProblems, msg) {
			line++
		}
	} else if m := unknownAnchor().FindStringSubmatch(err.Error()); m != nil {
		line = aliasLine(data, m[1])
		msg = fmt.Sprintf("alias *%s refers to no anchor &%s defined before it", m[1], m[1])
	}
	return &FieldError{File: file, Line: line, Column: 1, Msg: "YAML syntax error: " + msg}
}

// aliasLine is the line of the first use of alias *name.
func aliasLine(data []byte, name string) int {
	re := regexp.MustCompile(`\*` + regexp.QuoteMeta(name) + `([\s,\]}]|$)`)
	if loc := re.FindIndex(data); loc != nil {
		return 1 + bytes.Count(data[:loc[0]], []byte("\n"))
	}
	return 1
}
