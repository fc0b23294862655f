package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// crdSet is one directory of vendored CRDs under -src and where their
// derived form goes under dst.
type crdSet struct {
	// src is the directory under -src that holds the set (ack-crds).
	src string
	// dst is the directory under dst that receives it (ack).
	dst string
	// subdirs are the directories of src that hold CRD files, in the order
	// they are processed; their names are kept under dst. "" would be src
	// itself.
	subdirs []string
	// crdDir is the directory under src that holds the subdirs ("" for src).
	crdDir string
	// keep lists the files of src copied verbatim to dst: the attribution
	// README, which readOrigins also reads, first.
	keep []string
	// keepAs renames kept files under dst (name -> new name); a file not
	// listed keeps its name.
	keepAs map[string]string
	// origins reads the upstream of each subdir (or of each file, keyed by
	// its path relative to src) from the README's text.
	origins func(text string, subdirs []string) (map[string]origin, error)
	// target is the make target named in every derived file's header.
	target string
	// skip lists source files (relative to src) that are not derived.
	skip []string
}

// group is what one run of derive-crds (-group) writes into dst.
type group struct {
	sets []crdSet
	// readme is written to <dst>/README.md.
	readme string
}

// groupOf returns the group named by -group.
func groupOf(name string) (group, error) {
	switch name {
	case "crds":
		return group{sets: sets(), readme: dstReadme}, nil
	case "gitops":
		return group{sets: gitopsSets(), readme: gitopsReadme}, nil
	}
	return group{}, fmt.Errorf("-group %q: want crds or gitops", name)
}

// gitopsSets returns the Flux and Argo CD CRDs: their files keep their
// flux/ and argocd/ directories at the root of dst, and the upstream
// README becomes ATTRIBUTION.md beside the README that explains the
// derivation.
func gitopsSets() []crdSet {
	return []crdSet{{
		src: "gitops-crds", dst: "",
		subdirs: []string{"flux", "argocd"},
		keep:    []string{"README.md"},
		keepAs:  map[string]string{"README.md": "ATTRIBUTION.md"},
		origins: fileOrigins,
		target:  "gitops-crds",
		// The ApplicationSet CRD is 1.4 MB even without descriptions (its
		// generators nest whole templates); the examples use one
		// Application per environment and never an ApplicationSet.
		skip: []string{"argocd/applicationset-crd.yaml"},
	}}
}

// sets returns the CRD sets, in the order they are processed.
func sets() []crdSet {
	return []crdSet{
		{
			src: "ack-crds", dst: "ack",
			subdirs: []string{"common", "ec2-controller", "iam-controller", "eks-controller", "cloudwatchlogs-controller"},
			keep:    []string{"README.md", "FIELDS.md"},
			origins: ackOrigins,
		},
		{
			// The AWS Load Balancer Controller's CRDs, installed into the
			// workload cluster; their files land directly in alb/.
			src: "aws-load-balancer-controller", dst: "alb",
			subdirs: []string{""}, crdDir: "crds",
			keep:    []string{"README.md"},
			origins: albOrigins,
		},
	}
}

// ackCopyright is the NOTICE of the ACK controller repositories.
const ackCopyright = "Copyright 2019 Amazon.com, Inc. or its affiliates. All Rights Reserved."

// origin says where the files of one source directory were copied from.
type origin struct {
	// repo is the upstream repository URL.
	repo string
	// tag is the upstream release tag.
	tag string
	// note is extra provenance text (e.g. for common/), empty if none.
	note string
	// copyright is the upstream's copyright notice, empty if it has none.
	copyright string
}

// sourceFile is one CRD file of a set.
type sourceFile struct {
	// set is the set's directory under -src (ack-crds).
	set string
	// crdDir is the directory under set that holds subdir ("" for set).
	crdDir string
	// subdir is the file's directory under crdDir, also its directory
	// under the set's destination ("" for none).
	subdir string
	name   string
	// target is the make target named in the header ("" for crds).
	target string
	// attribution is the file at the root of the set's destination that
	// carries the attribution ("" for README.md).
	attribution string
}

// rel returns the path of f relative to the set's source directory, with
// forward slashes.
func (f sourceFile) rel() string { return joinSlash(f.crdDir, f.subdir, f.name) }

// out returns the path of f's derived form relative to the set's
// destination directory.
func (f sourceFile) out() string { return joinSlash(f.subdir, f.name) }

func joinSlash(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "/")
}

// listSources returns every *.yaml file of every subdir of set, sorted per subdir.
func listSources(srcRoot string, set crdSet) ([]sourceFile, error) {
	var files []sourceFile
	for _, sub := range set.subdirs {
		dir := filepath.Join(srcRoot, set.src, set.crdDir, sub)
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("read source directory %s: %w", dir, err)
		}
		var names []string
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") && !slices.Contains(set.skip, joinSlash(set.crdDir, sub, e.Name())) {
				names = append(names, e.Name())
			}
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("source directory %s has no .yaml files", dir)
		}
		sort.Strings(names)
		for _, n := range names {
			files = append(files, sourceFile{set: set.src, crdDir: set.crdDir, subdir: sub, name: n, target: set.target, attribution: set.keepAs[set.keep[0]]})
		}
	}
	return files, nil
}

// readAttribution reads the set's README (its first kept file) into an
// origin per subdir. Every subdir must have one.
func readAttribution(srcRoot string, set crdSet) (map[string]origin, error) {
	readme := filepath.Join(srcRoot, set.src, set.keep[0])
	data, err := os.ReadFile(readme)
	if err != nil {
		return nil, fmt.Errorf("read attribution: %w", err)
	}
	out, err := set.origins(string(data), set.subdirs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", readme, err)
	}
	return out, nil
}

// ackOrigins parses the "Sources" table of the ack-crds README.
func ackOrigins(text string, subdirs []string) (map[string]origin, error) {
	rows := tableRows(text)
	out := make(map[string]origin, len(subdirs))
	for _, sub := range subdirs {
		o, err := originOf(sub, rows)
		if err != nil {
			return nil, err
		}
		o.copyright = ackCopyright
		out[sub] = o
	}
	return out, nil
}

// albRE finds "copied ... from <repository URL> at tag `<tag>`" in the
// load balancer controller's README.
var albRE = regexp.MustCompile("(https://github\\.com/[\\w.-]+/[\\w.-]+)\\s+at tag `([^`]+)`")

// albOrigins reads the one upstream of the load balancer controller's files.
// The repository has no NOTICE and its file headers name no holder, so the
// header carries no copyright line.
func albOrigins(text string, subdirs []string) (map[string]origin, error) {
	m := albRE.FindStringSubmatch(text)
	if m == nil {
		return nil, fmt.Errorf("names no %q", "<repository URL> at tag `<tag>`")
	}
	out := make(map[string]origin, len(subdirs))
	for _, sub := range subdirs {
		out[sub] = origin{repo: m[1], tag: m[2]}
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

// fileRE finds the backquoted file paths of a table cell.
var fileRE = regexp.MustCompile("`([^`]+\\.yaml)`")

// repoRE finds a GitHub repository URL.
var repoRE = regexp.MustCompile(`https://github\.com/[\w.-]+/[\w.-]+`)

// fileOrigins reads a table whose rows start with the files they describe
// ("| `flux/a.yaml`, `flux/b.yaml` | https://github.com/... | `v1.2.3` |")
// into an origin per file path. Every subdir must have at least one file;
// buildSet fails on a file without a row.
func fileOrigins(text string, subdirs []string) (map[string]origin, error) {
	out := map[string]origin{}
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) < 3 {
			continue
		}
		repo := repoRE.FindString(cells[1])
		tag := strings.Trim(strings.TrimSpace(cells[2]), "`")
		if repo == "" || tag == "" {
			return nil, fmt.Errorf("row %q names no repository and tag", cells[0])
		}
		for _, m := range fileRE.FindAllStringSubmatch(cells[0], -1) {
			out[m[1]] = origin{repo: repo, tag: tag}
		}
	}
	for _, sub := range subdirs {
		found := false
		for p := range out {
			found = found || strings.HasPrefix(p, sub+"/")
		}
		if !found {
			return nil, fmt.Errorf("no row for a file of %s/", sub)
		}
	}
	return out, nil
}

// originFor returns the origin of f: by its path when the attribution
// names files, else by its subdir.
func originFor(f sourceFile, attr map[string]origin) (origin, error) {
	if o, ok := attr[f.rel()]; ok {
		return o, nil
	}
	if o, ok := attr[f.subdir]; ok {
		return o, nil
	}
	return origin{}, fmt.Errorf("the attribution README has no row for %s", f.rel())
}
