package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// ackDir is the directory under -src (and under dst) that holds the ACK CRDs.
const ackDir = "ack-crds"

// subdirs returns the source directories, in the order they are processed.
func subdirs() []string {
	return []string{"common", "ec2-controller", "iam-controller", "eks-controller", "cloudwatchlogs-controller"}
}

// origin says where the files of one source directory were copied from.
type origin struct {
	// repo is the upstream repository URL.
	repo string
	// tag is the upstream release tag.
	tag string
	// note is extra provenance text (e.g. for common/), empty if none.
	note string
}

// sourceFile is one CRD file, relative to the ack-crds directory.
type sourceFile struct {
	subdir string
	name   string
}

// rel returns the path of f relative to the ack-crds directory, with forward slashes.
func (f sourceFile) rel() string { return f.subdir + "/" + f.name }

// listSources returns every *.yaml file of every subdir, sorted per subdir.
func listSources(srcDir string) ([]sourceFile, error) {
	var files []sourceFile
	for _, sub := range subdirs() {
		entries, err := os.ReadDir(filepath.Join(srcDir, sub))
		if err != nil {
			return nil, fmt.Errorf("read source directory %s: %w", filepath.Join(srcDir, sub), err)
		}
		var names []string
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") {
				names = append(names, e.Name())
			}
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("source directory %s has no .yaml files", filepath.Join(srcDir, sub))
		}
		sort.Strings(names)
		for _, n := range names {
			files = append(files, sourceFile{subdir: sub, name: n})
		}
	}
	return files, nil
}

// readAttribution parses the "Sources" table of the ack-crds README into an
// origin per subdir. Every subdir must have a row.
func readAttribution(readme string) (map[string]origin, error) {
	data, err := os.ReadFile(readme)
	if err != nil {
		return nil, fmt.Errorf("read attribution: %w", err)
	}
	rows := tableRows(string(data))
	out := make(map[string]origin, len(subdirs()))
	for _, sub := range subdirs() {
		o, err := originOf(sub, rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", readme, err)
		}
		out[sub] = o
	}
	return out, nil
}

// tableRows maps the first cell "`<dir>/`" of each table row to its cells.
func tableRows(text string) map[string][]string {
	rows := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		if strings.HasSuffix(cells[0], "/") && len(cells) >= 2 {
			rows[strings.TrimSuffix(cells[0], "/")] = cells
		}
	}
	return rows
}

// originOf returns the origin of sub; a row whose repository cell is prose
// ("copied from eks-controller `v1.20.0` ...") borrows that row's repository.
func originOf(sub string, rows map[string][]string) (origin, error) {
	cells, ok := rows[sub]
	if !ok {
		return origin{}, fmt.Errorf("no row for %s/ in the sources table", sub)
	}
	if strings.HasPrefix(cells[1], "https://") && len(cells) >= 3 {
		return origin{repo: cells[1], tag: cells[2]}, nil
	}
	m := regexp.MustCompile("copied from ([a-z0-9-]+) `([^`]+)`").FindStringSubmatch(cells[1])
	if m == nil {
		return origin{}, fmt.Errorf("row for %s/ names neither a repository nor %q", sub, "copied from <dir> `<tag>`")
	}
	from, ok := rows[m[1]]
	if !ok || !strings.HasPrefix(from[1], "https://") {
		return origin{}, fmt.Errorf("row for %s/ refers to %s, which has no repository row", sub, m[1])
	}
	return origin{repo: from[1], tag: m[2], note: "identical in all four controller repositories"}, nil
}
