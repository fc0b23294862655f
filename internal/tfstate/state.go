package tfstate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Resource is one instance of a managed Terraform resource.
type Resource struct {
	// Address is its absolute address, e.g. module.vpc.aws_subnet.private[0].
	Address string
	// Type is the resource type, e.g. aws_subnet.
	Type string
	// Attrs are its attribute values as JSON decodes them.
	Attrs map[string]any
}

// State is the managed resources of a Terraform state, sorted by address.
type State struct {
	// Format says which form was read: "4" (terraform state pull) or
	// "show-json 1.0" (terraform show -json).
	Format    string
	Resources []Resource
}

// MaxSize is the largest state Read is given (64 MiB): far above what a
// platform like this one has (its state is some 40 KB), bounded all the same.
const MaxSize = 64 << 20

// ErrFormat is wrapped by every error about a file that is not a state
// render can read.
var ErrFormat = errors.New("not a Terraform state render can read")

// stateV4 is the part of a version 4 state file render reads.
type stateV4 struct {
	Version   json.RawMessage `json:"version"`
	Format    json.RawMessage `json:"format_version"`
	Values    *jsonValues     `json:"values"`
	Resources []struct {
		Module    string `json:"module"`
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			IndexKey   any            `json:"index_key"`
			Deposed    string         `json:"deposed"`
			Attributes map[string]any `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

// jsonValues is the values object of terraform show -json.
type jsonValues struct {
	RootModule jsonModule `json:"root_module"`
}

type jsonModule struct {
	Resources []struct {
		Address    string         `json:"address"`
		Mode       string         `json:"mode"`
		Type       string         `json:"type"`
		DeposedKey string         `json:"deposed_key"`
		Values     map[string]any `json:"values"`
	} `json:"resources"`
	ChildModules []jsonModule `json:"child_modules"`
}

// Read decodes a Terraform state in either form; file names it in errors.
func Read(file string, data []byte) (*State, error) {
	var raw stateV4
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", file, ErrFormat, located(data, err))
	}
	var st *State
	var err error
	switch {
	case raw.Version != nil:
		st, err = readV4(file, &raw)
	case raw.Format != nil:
		st, err = readShowJSON(file, &raw)
	default:
		return nil, fmt.Errorf("%s: %w: neither \"version\" (terraform state pull) nor \"format_version\" (terraform show -json) is set", file, ErrFormat)
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(st.Resources, func(a, b Resource) int { return strings.Compare(a.Address, b.Address) })
	return st, nil
}

func readV4(file string, raw *stateV4) (*State, error) {
	if v := strings.TrimSpace(string(raw.Version)); v != "4" {
		return nil, fmt.Errorf("%s: version: is %s; render reads state format version 4 (Terraform 0.12 and later: terraform state pull), or terraform show -json: %w", file, v, ErrFormat)
	}
	st := &State{Format: "4"}
	for _, r := range raw.Resources {
		if r.Mode != "managed" {
			continue
		}
		base := r.Type + "." + r.Name
		if r.Module != "" {
			base = r.Module + "." + base
		}
		for _, in := range r.Instances {
			if in.Deposed != "" {
				continue // an object Terraform is about to destroy
			}
			st.Resources = append(st.Resources, Resource{Address: base + indexSuffix(in.IndexKey), Type: r.Type, Attrs: in.Attributes})
		}
	}
	return st, nil
}

func readShowJSON(file string, raw *stateV4) (*State, error) {
	var v string
	if err := json.Unmarshal(raw.Format, &v); err != nil || !strings.HasPrefix(v, "1.") {
		return nil, fmt.Errorf("%s: format_version: is %s; render reads terraform show -json format 1.x, or the state file of format version 4: %w",
			file, strings.TrimSpace(string(raw.Format)), ErrFormat)
	}
	st := &State{Format: "show-json " + v}
	if raw.Values == nil {
		return st, nil
	}
	var walk func(m jsonModule)
	walk = func(m jsonModule) {
		for _, r := range m.Resources {
			if r.Mode == "managed" && r.DeposedKey == "" {
				st.Resources = append(st.Resources, Resource{Address: r.Address, Type: r.Type, Attrs: r.Values})
			}
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(raw.Values.RootModule)
	return st, nil
}

// indexSuffix is the address suffix of a count or for_each instance.
func indexSuffix(key any) string {
	switch k := key.(type) {
	case nil:
		return ""
	case string:
		return "[" + strconv.Quote(k) + "]"
	default:
		return fmt.Sprintf("[%v]", k)
	}
}

// located adds the line of a JSON syntax error to it.
func located(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		return err
	}
	line := 1 + bytes.Count(data[:min(off, int64(len(data)))], []byte("\n"))
	return fmt.Errorf("line %d: %w", line, err)
}
