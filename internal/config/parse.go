package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Config is a parsed, validated configuration file.
type Config struct {
	// File is the name the file was read as; it prefixes every message.
	File string
	// Environments are sorted by name.
	Environments []Environment
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
// messages. On bad input the error is an Errors listing every problem, each
// with file, line, column, field path and what is allowed; it wraps ErrInvalid.
func Parse(file string, data []byte) (*Config, error) {
	root, ferr := readDocument(file, data)
	if ferr != nil {
		return nil, Errors{ferr}
	}
	d := &decoder{file: file, pos: map[string]position{}}
	var doc Document
	d.decode(root, reflect.ValueOf(&doc).Elem(), "")
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	d.checkHeader(&doc)
	cfg := &Config{File: file}
	for _, name := range sortedKeys(doc.Environments) {
		c := &checker{decoder: d, env: name}
		env := c.resolve(merge(merge(builtinDefaults(), doc.Spec), doc.Environments[name]))
		cfg.Environments = append(cfg.Environments, env)
	}
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	return cfg, nil
}

func (d *decoder) checkHeader(doc *Document) {
	if doc.APIVersion != APIVersion {
		d.failAt("apiVersion", "is %q; want %s", doc.APIVersion, APIVersion)
	}
	if doc.Kind != Kind {
		d.failAt("kind", "is %q; want %s", doc.Kind, Kind)
	}
	if len(doc.Environments) == 0 {
		d.failAt("environments", "at least one environment is required, e.g. environments: {dev: {}}")
	}
	for _, name := range sortedKeys(doc.Environments) {
		if !dnsLabel.MatchString(name) || len(name) > 20 {
			d.failAt("environments."+name,
				"environment name must be a DNS label of at most 20 characters: lowercase letters, digits and '-', starting with a letter")
		}
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
