package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/eks-render/render/internal/acksim"
	"github.com/eks-render/render/internal/apitest"
	rschema "github.com/eks-render/render/internal/schema"
)

// soakCycles is how many cycles BenchmarkSoak runs per environment: make
// soak 25, CI 3.
var soakCycles = flag.Int("soak-cycles", 3, "cycles of BenchmarkSoak per environment")

// BenchmarkSoak runs, soakCycles times for dev and for prod, render apply,
// a tag changed, render apply, render delete, in this process, on the test
// apiserver with acksim, and prints per cycle the wall time, the objects
// left behind, the goroutines after each run and the process's peak RSS.
// It fails when an object is left behind, when the goroutines after a run
// outnumber those after the same run of the first cycle by more than
// goroutineSlack, and when the peak
// RSS grows by more than 10% from cycle 5 to the last. Run it with
// -benchtime 1x (make soak).
func BenchmarkSoak(b *testing.B) {
	apitest.Skip(b)
	set, err := rschema.Load()
	if err != nil {
		b.Fatal(err)
	}
	var kinds []schema.GroupVersionKind
	for _, crd := range set.CRDs() {
		kinds = append(kinds, schema.GroupVersionKind{Group: crd.Spec.Group, Version: crd.Spec.Versions[0].Name, Kind: crd.Spec.Names.Kind})
	}
	finalizeNamespaces(b, env.Config)
	for range b.N {
		for _, envName := range []string{"dev", "prod"} {
			soak(b, envName, kinds)
		}
	}
}

// soak runs the cycles for one environment.
func soak(b *testing.B, envName string, kinds []schema.GroupVersionKind) {
	dir := project(b)
	cfg := filepath.Join(dir, "platform.yaml")
	edit(b, cfg, "name: demo", "name: soak")
	edit(b, cfg, "      logRetentionDays: 365\n", "      logRetentionDays: 365\n      deletionProtection: false\n")
	ns := "soak-" + envName
	kubeconfig := writeKubeconfig(b, env.Config, b.TempDir())
	acksim.New(env.Client, ns, acksim.Options{Interval: 50 * time.Millisecond}).Start(b)
	flags := []string{envName, "-f", cfg, "--kubeconfig", kubeconfig, "--poll-interval", "100ms", "--timeout", "2m", "--workload=false"}
	tag := regexp.MustCompile(`team: \S+`)
	var first []int // goroutines after each run of the first cycle
	var peak5 int
	for cycle := 1; cycle <= *soakCycles; cycle++ {
		start := time.Now()
		var goroutines []int
		for run, args := range [][]string{{"apply"}, {"apply"}, {"delete", "--yes"}} {
			if run == 1 {
				setTag(b, cfg, tag, fmt.Sprintf("team: cycle-%d", cycle))
			}
			if o := runMain(append(args, flags...)...); o.code != 0 {
				b.Fatalf("%s cycle %d: render %s = %d:\n%s", envName, cycle, args[0], o.code, o.errOut)
			}
			if cycle == 1 {
				first = append(first, settled(0))
			}
			goroutines = append(goroutines, settled(first[run]))
			if goroutines[run] > first[run]+goroutineSlack {
				b.Errorf("%s cycle %d: %d goroutines after render %s, %d in cycle 1", envName, cycle, goroutines[run], args[0], first[run])
			}
		}
		left := leftBehind(b, ns, kinds)
		rss := peakRSS(b)
		fmt.Printf("soak %s cycle %d: %s, %d objects left, goroutines after apply/apply/delete %v, peak RSS %d MiB\n",
			envName, cycle, time.Since(start).Round(time.Millisecond), left, goroutines, rss>>10)
		if left != 0 {
			b.Errorf("%s cycle %d: %d objects left behind", envName, cycle, left)
		}
		if cycle == 5 {
			peak5 = rss
		}
		if cycle > 5 && rss > peak5*11/10 {
			b.Errorf("%s cycle %d: peak RSS %d KiB, more than 10%% over cycle 5's %d KiB", envName, cycle, rss, peak5)
		}
	}
}

// goroutineSlack is how many more goroutines than in the first cycle a
// run may leave: client-go caches transports across runs, and their idle
// connections (one or two goroutines each) come and go with the
// apiserver's and the acksims' traffic, in this process too. A leak grows
// cycle after cycle past it.
const goroutineSlack = 2

// setTag rewrites the tag tag matches in the file path to to.
func setTag(b *testing.B, path string, tag *regexp.Regexp, to string) {
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, tag.ReplaceAll(src, []byte(to)), 0o644); err != nil {
		b.Fatal(err)
	}
}

// settled is the number of goroutines once it is at most limit (the
// run's connections and watches winding down), or after 3s; with limit 0,
// after 1s.
func settled(limit int) int {
	deadline := time.Now().Add(3 * time.Second)
	if limit == 0 {
		time.Sleep(time.Second)
		return runtime.NumGoroutine()
	}
	for runtime.NumGoroutine() > limit && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	return runtime.NumGoroutine()
}

// leftBehind counts the objects of the ACK kinds and the Namespace left
// in ns.
func leftBehind(b *testing.B, ns string, kinds []schema.GroupVersionKind) int {
	n := 0
	for _, gvk := range kinds {
		list := &unstructured.UnstructuredList{}
		list.SetGroupVersionKind(gvk.GroupVersion().WithKind(gvk.Kind + "List"))
		if err := env.Client.List(b.Context(), list, client.InNamespace(ns)); err != nil {
			b.Fatal(err)
		}
		n += len(list.Items)
	}
	err := env.Client.Get(b.Context(), client.ObjectKey{Name: ns}, &corev1.Namespace{})
	if err == nil {
		n++
	} else if !apierrors.IsNotFound(err) {
		b.Fatal(err)
	}
	return n
}

// peakRSS is the process's peak resident set size in KiB (VmHWM).
func peakRSS(b *testing.B) int {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				b.Fatal(err)
			}
			return kb
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
