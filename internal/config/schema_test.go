package config

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/eks-render/render/internal/eksversion"
)

// The committed JSON Schemas (make docs writes them from these types).
const (
	platformSchema = "../../schema/platform.schema.json"
	outputsSchema  = "../../schema/outputs.schema.json"
)

func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	s, err := jsonschema.NewCompiler().Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// asJSON is a YAML document as the data a JSON Schema validator sees.
func asJSON(t *testing.T, data string) (any, bool) {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(data), &v); err != nil {
		return nil, false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	return out, err == nil
}

// TestSchemaAcceptsValidFiles validates the example and every valid file of
// the parse tests against schema/platform.schema.json: the schema never
// rejects what render accepts.
func TestSchemaAcceptsValidFiles(t *testing.T) {
	s := compileSchema(t, platformSchema)
	valid := map[string]string{"platform.yaml": string(readPlatform(t)), "base": base}
	for _, tc := range mergeCases(edit{t}) {
		valid[tc.name] = tc.in
	}
	for name, in := range valid {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse("platform.yaml", []byte(in), eksversion.ReferenceDay); err != nil {
				t.Fatalf("not a valid file: %v", err)
			}
			v, ok := asJSON(t, in)
			if !ok {
				t.Fatal("not plain YAML")
			}
			if err := s.Validate(v); err != nil {
				t.Errorf("schema rejects a valid file: %v", err)
			}
		})
	}
}

// schemaExpressible are the rejections a JSON Schema can express, by the
// message Parse gives: an unknown field, a wrong type, a value outside an
// enum, a wrong apiVersion or kind.
var schemaExpressible = map[string]*regexp.Regexp{
	"unknown field": regexp.MustCompile(`: unknown field; allowed fields are`),
	"wrong type":    regexp.MustCompile(`: want (a|an) (mapping|list|string|integer|boolean)`),
	"enum":          regexp.MustCompile(`: [^:]* is not allowed; want one of`),
	"const":         regexp.MustCompile(`^platform\.yaml:\d+:\d+: (apiVersion|kind): is "`),
}

// TestSchemaRejectsWhatItCanExpress runs every reject case of the parse
// tests whose error the schema can express through the schema, which must
// reject it too.
func TestSchemaRejectsWhatItCanExpress(t *testing.T) {
	s := compileSchema(t, platformSchema)
	seen := map[string]int{}
	for _, tc := range rejectCases(t) {
		class := ""
		for name, re := range schemaExpressible {
			// A YAML tag has no JSON form; the schema never sees it.
			if !strings.Contains(tc.want, "\n") && !strings.Contains(tc.want, "remove the tag") && re.MatchString(tc.want) {
				class = name
			}
		}
		if class == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			v, ok := asJSON(t, tc.in)
			if !ok {
				t.Skip("not plain YAML")
			}
			if err := s.Validate(v); err == nil {
				t.Errorf("schema accepts a file render rejects with:\n%s", tc.want)
			}
			seen[class]++
		})
	}
	for name := range schemaExpressible {
		if seen[name] == 0 {
			t.Errorf("no reject case of class %q ran through the schema", name)
		}
	}
}

// TestOutputsSchema validates an outputs file render writes, and rejects
// an unknown field.
func TestOutputsSchema(t *testing.T) {
	s := compileSchema(t, outputsSchema)
	good := "apiVersion: " + APIVersion + "\nkind: Outputs\nenvironment: dev\nvalues:\n  accountID: \"111122223333\"\n  vpcID: vpc-0123456789abcdef0\n"
	if _, err := ParseOutputs("outputs/dev.yaml", "dev", []byte(good)); err != nil {
		t.Fatal(err)
	}
	for in, wantValid := range map[string]bool{
		good: true,
		strings.Replace(good, "vpcID", "vpcId", 1):           false,
		strings.Replace(good, "kind: Outputs", "kind: X", 1): false,
	} {
		v, _ := asJSON(t, in)
		if err := s.Validate(v); (err == nil) != wantValid {
			t.Errorf("valid = %v, want %v for:\n%s", err == nil, wantValid, in)
		}
	}
	if data, err := os.ReadFile("../../platform.yaml"); err == nil && !bytes.HasPrefix(data, []byte("# yaml-language-server: $schema=schema/platform.schema.json\n")) {
		t.Errorf("platform.yaml does not name its schema on its first line")
	}
}
