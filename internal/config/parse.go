package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/eks-render/render/internal/eksversion"
)

// Config is a parsed, validated configuration file.
type Config struct {
	// File is the name the file was read as; it prefixes every message.
	File string
	// Environments are sorted by name.
	Environments []Environment
	// Warnings are valid settings that are probably not what was meant,
	// located like errors; callers print them.
	Warnings []string
}

// Environment returns the named environment.
func (c *Config) Environment(name string) (*Environment, error) {
	names := make([]string, len(c.Environments))
	for i := range c.Environments {
		if c.Environments[i].Name == name {
			return &c.Environments[i], nil
		}
		names[i] = c.Environments[i].Name
	}
	return nil, fmt.Errorf("%s: no environment %q; the file defines %s", c.File, name, strings.Join(names, ", "))
}

// Parse decodes and validates a configuration file. file names it in
// messages; day is the day render runs (only cmd reads the clock), against
// which cluster.version is checked and defaulted with the EKS calendar. On
// bad input the error is an Errors listing every problem, each with file,
// line, column, field path and what is allowed; it wraps ErrInvalid.
func Parse(file string, data []byte, day eksversion.Day) (*Config, error) {
	root, ferr := readDocument(file, data)
	if ferr != nil {
		return nil, Errors{ferr}
	}
	d := &decoder{file: file, pos: map[string]position{}, day: day}
	var doc Document
	d.decode(root, reflect.ValueOf(&doc).Elem(), "")
	if len(d.errs) == 0 {
		d.checkWork(root, len(doc.Environments))
	}
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	d.checkHeader(&doc)
	cfg := &Config{File: file}
	for _, name := range sortedKeys(doc.Environments) {
		c := &checker{decoder: d, env: name}
		env := c.resolve(doc.Spec, merge(merge(builtinDefaults(), doc.Spec), doc.Environments[name]))
		cfg.Environments = append(cfg.Environments, env)
	}
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	for _, w := range d.warns.sorted() {
		cfg.Warnings = append(cfg.Warnings, w.Error())
	}
	return cfg, nil
}

func (d *decoder) checkHeader(doc *Document) {
	d.checkConst("apiVersion", doc.APIVersion, APIVersion)
	d.checkConst("kind", doc.Kind, Kind)
	if len(doc.Environments) == 0 {
		d.failAt("environments", "at least one environment is required, e.g. environments: {dev: {}}")
	}
	for _, name := range sortedKeys(doc.Environments) {
		if !dnsLabel().MatchString(name) || len(name) > 20 {
			d.failAt(join("environments", name),
				"environment name must be a DNS label of at most 20 characters: lowercase letters, digits and '-', starting with a letter")
		}
	}
}

// checkWork extends the node limit to validation: every environment is
// checked with spec merged in, so a long spec list inherited by many
// environments would be checked once per environment.
func (d *decoder) checkWork(root *yaml.Node, envs int) {
	if envs < 2 {
		return
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "spec" {
			continue
		}
		spec := countNodes(root.Content[i+1], maxNodes)
		if work := d.nodes + spec*(envs-1); work > maxNodes {
			d.failAt("spec", "has %d YAML nodes and is merged into each of the %d environments, %d nodes to check in all; at most %d (aliases included)",
				spec, envs, work, maxNodes)
		}
	}
}

func (d *decoder) checkConst(path, got, want string) {
	switch {
	case got == "":
		d.failAt(path, "is missing; want %s: %s", path, want)
	case got != want:
		d.failAt(path, "is %q; want %s", got, want)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
