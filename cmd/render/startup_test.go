package main

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Init budgets for `render version`, in bytes allocated by package
// initialisers as GODEBUG=inittrace=1 reports them (deterministic for a
// binary, unlike their clock times, which this shared machine makes noisy;
// the wall time's goal is `make bench`'s). render's own packages parse,
// compile and register nothing at init (issue 32): 28 KB today, 776 KB
// when internal/config compiled its patterns and parsed the EKS calendar
// at init. The whole binary's budget is its dependencies' too (client-go's
// scheme, controller-runtime: 2.95 MB today; 4.4 MB while the validator
// with its CEL, apiserver and metric-registry packages was linked in, which
// TestNoValidatorInBinary now keeps out); a new dependency that initialises
// much more must be justified here.
const (
	ownInitBudget = 32 << 10
	allInitBudget = 3200 << 10
)

// gcPolicyInitBefore bounds what the package initialisers that run before
// internal/gcpolicy's allocate (370 KB today): far below the 4 MB heap at
// which Go's collector first runs, so that none runs before the policy
// turns it off.
const gcPolicyInitBefore = 1 << 20

// initCost is one package's line of GODEBUG=inittrace=1.
type initCost struct {
	pkg           string
	bytes, allocs int
}

func TestStartupInitialisesLittle(t *testing.T) {
	costs := versionInitTrace(t)
	var own, all []initCost
	for _, c := range costs {
		all = append(all, c)
		if strings.HasPrefix(c.pkg, "github.com/eks-render/render/") {
			own = append(own, c)
		}
	}
	for _, b := range []struct {
		what   string
		costs  []initCost
		budget int
	}{{"render's packages", own, ownInitBudget}, {"all packages", all, allInitBudget}} {
		if total := sumBytes(b.costs); total > b.budget {
			t.Errorf("%s allocate %d bytes at init, over the budget of %d; largest:\n%s", b.what, total, b.budget, largest(b.costs, 5))
		}
	}
}

func TestGCPolicyInitialisesFirst(t *testing.T) {
	const policy = "github.com/eks-render/render/internal/gcpolicy"
	costs := versionInitTrace(t)
	at := slices.IndexFunc(costs, func(c initCost) bool { return c.pkg == policy })
	if at < 0 {
		t.Fatalf("%s has no init in the binary", policy)
	}
	if before := sumBytes(costs[:at]); before > gcPolicyInitBefore {
		t.Errorf("the %d packages initialised before %s allocate %d bytes, over %d; largest:\n%s",
			at, policy, before, gcPolicyInitBefore, largest(costs[:at], 5))
	}
	for _, heavy := range []string{"k8s.io/client-go/kubernetes/scheme", "sigs.k8s.io/controller-runtime/pkg/client/apiutil"} {
		if slices.IndexFunc(costs[:at], func(c initCost) bool { return c.pkg == heavy }) >= 0 {
			t.Errorf("%s is initialised before %s", heavy, policy)
		}
	}
}

// versionInitTrace runs `render version` with GODEBUG=inittrace=1 and
// returns its package initialisers in the order they ran.
func versionInitTrace(t *testing.T) []initCost {
	t.Helper()
	cmd := exec.Command(renderBinary(t), "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("render version: %v\n%s", err, errOut.String())
	}
	return parseInitTrace(t, errOut.String())
}

// parseInitTrace reads lines such as
// "init k8s.io/api/core/v1 @3.1 ms, 0.12 ms clock, 18400 bytes, 91 allocs".
func parseInitTrace(t *testing.T, trace string) []initCost {
	t.Helper()
	var out []initCost
	sc := bufio.NewScanner(strings.NewReader(trace))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 11 || f[0] != "init" || f[8] != "bytes," || f[10] != "allocs" {
			continue
		}
		b, err1 := strconv.Atoi(f[7])
		a, err2 := strconv.Atoi(f[9])
		if err1 != nil || err2 != nil {
			t.Fatalf("inittrace line %q: %v %v", sc.Text(), err1, err2)
		}
		out = append(out, initCost{pkg: f[1], bytes: b, allocs: a})
	}
	if len(out) == 0 {
		t.Fatalf("no inittrace lines in:\n%s", trace)
	}
	return out
}

func sumBytes(cs []initCost) int {
	n := 0
	for _, c := range cs {
		n += c.bytes
	}
	return n
}

func largest(cs []initCost, n int) string {
	cs = slices.SortedFunc(slices.Values(cs), func(a, b initCost) int { return cmp.Compare(b.bytes, a.bytes) })
	var sb strings.Builder
	for _, c := range cs[:min(n, len(cs))] {
		fmt.Fprintf(&sb, "  %s: %d bytes, %d allocs\n", c.pkg, c.bytes, c.allocs)
	}
	return sb.String()
}
