// Package yamlemit writes the generic form of an object (map[string]any,
// []any, string, int64, float64, bool, nil) as YAML, byte for byte as
// go.yaml.in/yaml/v2's Marshal does (the version in go.mod), without
// reflection or an event queue: render gen's files are yaml.v2's bytes,
// and encoding them with yaml.v2 was a third of render gen's CPU (issue 32).
//
// It reproduces yaml.v2 only where it can prove it does: Append reports
// false for anything it does not reproduce exactly (another Go type, a
// string that is not UTF-8, a key yaml.v2 would write as a complex "? "
// key, map keys whose yaml.v2 order is not a total order), and the caller
// then marshals the whole document with yaml.v2. Each function names the
// yaml.v2 function it ports (encode.go, emitterc.go, resolve.go,
// sorter.go, yamlprivateh.go of go.yaml.in/yaml/v2 v2.4.4); the tests
// compare both on every tree render writes and under fuzzing.
//
// yamlemit imports nothing of render and no YAML library.
package yamlemit
