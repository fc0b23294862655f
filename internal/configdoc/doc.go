// Package configdoc generates the configuration reference
// (docs/configuration.md) and the JSON Schemas of platform.yaml and of the
// outputs files (schema/) from one source: the config types, their doc
// comments, config.Defaults and config.Enums. Nothing about a field is
// written down twice; a new field appears in both by regeneration
// (make docs).
//
// configdoc reads Go source and must not import client-go.
package configdoc
