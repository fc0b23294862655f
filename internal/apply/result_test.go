package apply

import (
	"encoding/json"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func named(kind, name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion("v1alpha1")
	u.SetKind(kind)
	u.SetNamespace("demo-dev")
	u.SetName(name)
	return u
}

// phase returns a result of an Apply of the named objects, each with its
// action and status Current.
func phase(actions map[string]string) *Result {
	var objs []*unstructured.Unstructured
	for name := range actions {
		objs = append(objs, named("Kind", name))
	}
	r := newResult(objs)
	for name, a := range actions {
		r.setAction("Kind/demo-dev/"+name, a)
		r.setStatus("Kind/demo-dev/"+name, "Current", "synced")
	}
	return r
}

func TestResultCoversEveryPhaseOnce(t *testing.T) {
	for _, tc := range []struct {
		name          string
		first, second map[string]string
		want          map[string]string
		changed       int
	}{
		{"a first apply: the second phase re-applies the first unchanged",
			map[string]string{"vpc": Created, "cluster": Created},
			map[string]string{"vpc": Unchanged, "cluster": Unchanged, "flowlog": Created},
			map[string]string{"vpc": Created, "cluster": Created, "flowlog": Created}, 3},
		{"a change in the first phase",
			map[string]string{"vpc": Unchanged, "cluster": Configured},
			map[string]string{"vpc": Unchanged, "cluster": Unchanged, "flowlog": Unchanged},
			map[string]string{"vpc": Unchanged, "cluster": Configured, "flowlog": Unchanged}, 1},
		{"a change in the second phase",
			map[string]string{"vpc": Unchanged, "cluster": Unchanged},
			map[string]string{"vpc": Unchanged, "cluster": Unchanged, "flowlog": Configured},
			map[string]string{"vpc": Unchanged, "cluster": Unchanged, "flowlog": Configured}, 1},
		{"a no-op",
			map[string]string{"vpc": Unchanged},
			map[string]string{"vpc": Unchanged},
			map[string]string{"vpc": Unchanged}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := phase(tc.first)
			r.Absorb(phase(tc.second))
			got := map[string]string{}
			for _, o := range r.Objects() {
				got[o.Object[len("Kind/demo-dev/"):]] = o.Action
			}
			if len(got) != len(tc.want) {
				t.Errorf("objects %v, want %v", got, tc.want)
			}
			for name, want := range tc.want {
				if got[name] != want {
					t.Errorf("%s: %q, want %q", name, got[name], want)
				}
			}
			if r.Changed() != tc.changed {
				t.Errorf("Changed() = %d, want %d", r.Changed(), tc.changed)
			}
		})
	}
}

func TestResultCountsPrunedRecreatedAndTheWorkload(t *testing.T) {
	r := newResult([]*unstructured.Unstructured{named("Subnet", "a"), named("VPC", "vpc")})
	r.setRecreating([]string{"Subnet/demo-dev/a"})
	r.setAction("Subnet/demo-dev/a", Created)
	r.setAction("VPC/demo-dev/vpc", Unchanged)
	r.setPruned([]Deletion{{Object: "LogGroup/demo-dev/old", Action: Deleted, Retained: true},
		{Object: "LogGroup/demo-dev/foreign", Action: Skipped, Reason: "not render's"}})
	w := newResult([]*unstructured.Unstructured{named("Deployment", "game")})
	w.setAction("Deployment/demo-dev/game", Configured)
	r.SetWorkload(w, nil, nil)
	want := Counts{Configured: 1, Unchanged: 1, Recreated: 1, Pruned: 1}
	if got := r.Counts(); got != want || r.Changed() != 3 || r.Len() != 4 {
		t.Errorf("Counts() = %+v, Changed() = %d, Len() = %d; want %+v, 3, 4", got, r.Changed(), r.Len(), want)
	}
	if got, want := r.Summary(), "4 objects, 3 changed (1 configured, 1 recreated, 1 pruned)"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	if got, want := newResult(nil).Summary(), "0 objects, 0 changed"; got != want {
		t.Errorf("Summary() of nothing = %q, want %q", got, want)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Changed int
		Objects []ObjectResult
		Skipped []Deletion
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Changed != 3 || len(doc.Objects) != 3 || len(doc.Skipped) != 1 {
		t.Errorf("JSON %s", b)
	}
}
