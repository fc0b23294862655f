// Command vulnreport reads `govulncheck -format json` on stdin and decides
// what make lint does with it. A vulnerability the code calls (a finding
// with a function in its trace) in a required module fails the run: the fix
// is upgrading that module. One in the standard library is the Go toolchain
// building the code, which the repository cannot upgrade (GOTOOLCHAIN=local):
// it is listed with the Go release that fixes it, and fails the run only
// with -stdlib=fail. Vulnerabilities in imported code that is never called
// are counted, as govulncheck does.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// message is the part of govulncheck's JSON protocol (v1.0.0) read here.
type message struct {
	Config *struct {
		DB        string `json:"db"`
		GoVersion string `json:"go_version"`
	} `json:"config"`
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
	Finding *struct {
		OSV          string  `json:"osv"`
		FixedVersion string  `json:"fixed_version"`
		Trace        []frame `json:"trace"`
	} `json:"finding"`
}

type frame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
	Receiver string `json:"receiver"`
	Position *struct {
		Filename string `json:"filename"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
	} `json:"position"`
}

// vuln is one vulnerability the code calls.
type vuln struct {
	id, summary, module, version, fixed, symbol, example string
}

func main() {
	stdlib := flag.String("stdlib", "warn", `what a called vulnerability in the standard library does: "warn" or "fail"`)
	flag.Parse()
	if *stdlib != "warn" && *stdlib != "fail" {
		fmt.Fprintf(os.Stderr, "vulnreport: -stdlib %q: want warn or fail\n", *stdlib)
		os.Exit(2)
	}
	called, uncalled, goVersion, err := read(os.Stdin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "vulnreport: %v\n", err)
		os.Exit(2)
	}
	failed := report(os.Stdout, called, uncalled, goVersion, *stdlib == "fail")
	if failed {
		os.Exit(1)
	}
}

// read decodes the stream and returns the called vulnerabilities, sorted
// by ID, and the IDs of those only imported or required.
func read(r io.Reader) (called []vuln, uncalled []string, goVersion string, err error) {
	summaries := map[string]string{}
	byID := map[string]*vuln{}
	other := map[string]bool{}
	dec := json.NewDecoder(r)
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, nil, "", fmt.Errorf("decode govulncheck output: %w", err)
		}
		switch {
		case m.Config != nil:
			goVersion = m.Config.GoVersion
		case m.OSV != nil:
			summaries[m.OSV.ID] = m.OSV.Summary
		case m.Finding != nil && len(m.Finding.Trace) > 0:
			f := m.Finding
			top := f.Trace[0]
			if top.Function == "" {
				other[f.OSV] = true
				continue
			}
			if byID[f.OSV] == nil {
				byID[f.OSV] = &vuln{id: f.OSV, module: top.Module, version: top.Version, fixed: strings.TrimPrefix(f.FixedVersion, "v"),
					symbol: symbol(top), example: where(f.Trace[len(f.Trace)-1])}
			}
		}
	}
	for id, v := range byID {
		v.summary = summaries[id]
		called = append(called, *v)
		delete(other, id)
	}
	sort.Slice(called, func(i, j int) bool { return called[i].id < called[j].id })
	for id := range other {
		uncalled = append(uncalled, id)
	}
	sort.Strings(uncalled)
	return called, uncalled, goVersion, nil
}

// report prints the findings and says whether they fail the run.
func report(w io.Writer, called []vuln, uncalled []string, goVersion string, failOnStdlib bool) bool {
	var modules, stdlib []vuln
	for _, v := range called {
		if v.module == "stdlib" {
			stdlib = append(stdlib, v)
		} else {
			modules = append(modules, v)
		}
	}
	for _, v := range modules {
		fmt.Fprintf(w, "FAIL %s %s@%s, fixed in v%s: %s\n    %s, called from %s\n", v.id, v.module, v.version, v.fixed, v.summary, v.symbol, v.example)
	}
	newest := ""
	for _, v := range stdlib {
		word := "warning"
		if failOnStdlib {
			word = "FAIL"
		}
		fmt.Fprintf(w, "%s %s in the standard library of %s, fixed in go%s: %s\n    %s, called from %s\n", word, v.id, goVersion, v.fixed, v.summary, v.symbol, v.example)
		if newer(v.fixed, newest) {
			newest = v.fixed
		}
	}
	if len(stdlib) > 0 {
		fmt.Fprintf(w, "%d vulnerabilities are in the Go toolchain (%s), not in this repository's code or modules: build with go%s or newer to be rid of them.\n", len(stdlib), goVersion, newest)
	}
	if len(uncalled) > 0 {
		fmt.Fprintf(w, "%d more in imported packages or required modules are never called: %s\n", len(uncalled), strings.Join(uncalled, ", "))
	}
	if len(called) == 0 {
		fmt.Fprintln(w, "govulncheck: no called vulnerabilities")
	}
	return len(modules) > 0 || (failOnStdlib && len(stdlib) > 0)
}

func symbol(f frame) string {
	name := f.Function
	if f.Receiver != "" {
		name = strings.TrimPrefix(f.Receiver, "*") + "." + name
	}
	return f.Package + "." + name
}

func where(f frame) string {
	s := symbol(f)
	if f.Position == nil || f.Position.Filename == "" {
		return s
	}
	file := f.Position.Filename
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = rel
		}
	}
	return fmt.Sprintf("%s (%s:%d)", s, file, f.Position.Line)
}

// newer compares Go release versions such as 1.26.9 and 1.26.10.
func newer(a, b string) bool {
	if b == "" {
		return true
	}
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		var x, y int
		fmt.Sscan(pa[i], &x)
		fmt.Sscan(pb[i], &y)
		if x != y {
			return x > y
		}
	}
	return len(pa) > len(pb)
}
