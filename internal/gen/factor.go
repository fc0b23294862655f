package gen

import (
	"reflect"
	"sort"
)

// factored is one target (management or workload) split into what every
// environment shares and what each adds.
type factored struct {
	// base holds the objects every environment has, with the fields whose
	// values are the same everywhere.
	base []map[string]any
	// patches[env] holds, per base object, the fields that environment
	// sets on top of base (only for objects where it sets any).
	patches map[string][]map[string]any
	// extra[env] holds the objects only some environments have, whole.
	extra map[string][]map[string]any
}

// factor splits each environment's objects. Building base plus an
// environment's patches and extras gives back exactly that environment's
// objects; the tests check this by building every overlay.
func factor(envs map[string][]map[string]any) factored {
	names := make([]string, 0, len(envs))
	for name := range envs {
		names = append(names, name)
	}
	sort.Strings(names)
	out := factored{patches: map[string][]map[string]any{}, extra: map[string][]map[string]any{}}
	byID := map[string]map[string]map[string]any{} // env -> id -> object
	count := map[string]int{}
	for _, env := range names {
		byID[env] = map[string]map[string]any{}
		for _, o := range envs[env] {
			byID[env][id(o)] = o
			count[id(o)]++
		}
	}
	for _, o := range envs[names[0]] {
		if count[id(o)] == len(names) {
			out.base = append(out.base, shared(byID, names, id(o)))
		}
	}
	base := out.baseByID()
	for _, env := range names {
		out.split(env, envs[env], base)
	}
	return out
}

func (f *factored) baseByID() map[string]map[string]any {
	m := make(map[string]map[string]any, len(f.base))
	for _, o := range f.base {
		m[id(o)] = o
	}
	return m
}

// split files an environment's objects as patches to base or as extras.
func (f *factored) split(env string, objs []map[string]any, base map[string]map[string]any) {
	for _, o := range objs {
		b, inBase := base[id(o)]
		if !inBase {
			f.extra[env] = append(f.extra[env], o)
			continue
		}
		if p, ok := subtract(o, b); ok {
			p["apiVersion"], p["kind"] = o["apiVersion"], o["kind"]
			meta, _ := p["metadata"].(map[string]any)
			if meta == nil {
				meta = map[string]any{}
				p["metadata"] = meta
			}
			// kustomize finds a patch's target by kind, name and namespace.
			om := o["metadata"].(map[string]any)
			meta["name"] = om["name"]
			if ns, ok := om["namespace"]; ok {
				meta["namespace"] = ns
			}
			f.patches[env] = append(f.patches[env], p)
		}
	}
}

// shared is the part of object id that is the same in every environment.
func shared(byID map[string]map[string]map[string]any, envs []string, oid string) map[string]any {
	acc := any(byID[envs[0]][oid])
	for _, env := range envs[1:] {
		acc, _, _ = common(acc, byID[env][oid])
	}
	return acc.(map[string]any)
}

// common returns what a and b agree on (equal values whole; for two maps,
// the keys they share with what those values agree on; lists are atomic),
// whether that is anything, and whether a and b are equal. Two equal maps,
// even empty ones, are kept whole.
func common(a, b any) (c any, some, equal bool) {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		eq := reflect.DeepEqual(a, b)
		return a, eq, eq
	}
	out := make(map[string]any, len(am))
	equal = len(am) == len(bm)
	for k, av := range am {
		bv, ok := bm[k]
		if !ok {
			equal = false
			continue
		}
		cv, s, e := common(av, bv)
		if s {
			out[k] = cv
		}
		equal = equal && e
	}
	return out, len(out) > 0 || equal, equal
}

// subtract returns what full has beyond base (base holds a subset of full's
// values, as common made it): a JSON merge patch that turns base into full.
func subtract(full, base map[string]any) (map[string]any, bool) {
	out := map[string]any{}
	for k, fv := range full {
		bv, ok := base[k]
		fm, fok := fv.(map[string]any)
		bm, bok := bv.(map[string]any)
		switch {
		case !ok:
			out[k] = fv
		case fok && bok:
			if d, ok := subtract(fm, bm); ok {
				out[k] = d
			}
		case !reflect.DeepEqual(fv, bv):
			out[k] = fv
		}
	}
	return out, len(out) > 0
}
