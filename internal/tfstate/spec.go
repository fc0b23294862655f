package tfstate

// Writing Terraform's values into an ACK spec.
import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// refOrID writes spec.<refField> as a reference to the object that adopts
// the resource with AWS ID or ARN id, else spec.<idField> as id.
func (m *matcher) refOrID(spec map[string]any, refField, idField, id string) {
	delete(spec, refField)
	delete(spec, idField)
	if obj := m.objectFor(id); obj != "" {
		_, name, _ := strings.Cut(obj, "/")
		spec[refField] = map[string]any{"from": map[string]any{"name": name}}
	} else if id != "" {
		spec[idField] = id
	}
}

// refOrName is refOrID for a log group, which a flow log names.
func (m *matcher) refOrName(spec map[string]any, refField, nameField, group string) {
	for _, obj := range m.kindObjs("LogGroup") {
		if m.match[obj] != nil && m.match[obj].str("name") == group {
			m.refOrID(spec, refField, nameField, m.match[obj].id())
			return
		}
	}
	m.refOrID(spec, refField, nameField, group)
}

// refsOrIDs is refOrID for a list: references where the resource is
// adopted, IDs where not. When it names the same objects as render's
// list, render's order is kept: the order means nothing to AWS.
func (m *matcher) refsOrIDs(spec map[string]any, refsField, idsField string, ids []string) {
	var refs, raw []any
	names := map[string]bool{}
	for _, id := range ids {
		if obj := m.objectFor(id); obj != "" {
			_, name, _ := strings.Cut(obj, "/")
			names[name] = true
			refs = append(refs, map[string]any{"from": map[string]any{"name": name}})
		} else if id != "" {
			raw = append(raw, id)
		}
	}
	if want, ok := spec[refsField].([]any); ok && len(raw) == 0 && len(want) == len(refs) &&
		!slices.ContainsFunc(want, func(v any) bool { return !names[refTo(v)] }) {
		refs = want
	}
	delete(spec, refsField)
	delete(spec, idsField)
	if len(refs) > 0 {
		spec[refsField] = refs
	}
	if len(raw) > 0 {
		spec[idsField] = raw
	}
}

// routes are a route table's routes, inline and as aws_route resources,
// sorted by destination.
func (m *matcher) routes(rt *Resource) []any {
	type route struct{ dest, gw, nat string }
	var rs []route
	for _, r := range rt.list("route") {
		rs = append(rs, route{str(r["cidr_block"]), str(r["gateway_id"]), str(r["nat_gateway_id"])})
	}
	for _, r := range m.byType["aws_route"] {
		if r.str("route_table_id") == rt.id() {
			rs = append(rs, route{r.str("destination_cidr_block"), r.str("gateway_id"), r.str("nat_gateway_id")})
		}
	}
	slices.SortFunc(rs, func(a, b route) int { return strings.Compare(a.dest, b.dest) })
	rs = slices.Compact(rs)
	out := []any{}
	for _, r := range rs {
		e := map[string]any{"destinationCIDRBlock": r.dest}
		if r.gw != "" {
			m.refOrID(e, "gatewayRef", "gatewayID", r.gw)
		}
		if r.nat != "" {
			m.refOrID(e, "natGatewayRef", "natGatewayID", r.nat)
		}
		out = append(out, e)
	}
	return out
}

// listTags is the list-shaped tag set of an EC2 or IAM resource.
func listTags(r *Resource) []any {
	t := r.tags()
	out := []any{}
	for _, k := range slices.Sorted(maps.Keys(t)) {
		out = append(out, map[string]any{"key": k, "value": t[k]})
	}
	return out
}

// mapTags is the map-shaped tag set of an EKS or CloudWatch Logs resource.
func mapTags(r *Resource) map[string]any {
	out := map[string]any{}
	for k, v := range r.tags() {
		out[k] = v
	}
	return out
}

// setPolicy writes the JSON policy document have at m[key], as render's
// own text (want, else m[key]) when both mean the same policy: only what
// a policy says counts, not how it is laid out.
func setPolicy(m map[string]any, key, have string, want ...any) {
	w, _ := m[key].(string)
	if len(want) > 0 {
		w, _ = want[0].(string)
	}
	if canonical(have) != "" && canonical(have) == canonical(w) {
		have = w
	}
	m[key] = have
}

// canonical is a JSON document re-encoded with sorted keys, "" if it is
// not JSON.
func canonical(doc string) string {
	var v any
	if json.Unmarshal([]byte(doc), &v) != nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// setSet writes a list whose order means nothing: render's list when it
// has the same elements.
func setSet(m map[string]any, key string, have []any) {
	if want, ok := m[key].([]any); ok && sameElements(want, have) {
		return
	}
	delete(m, key)
	if len(have) > 0 {
		m[key] = have
	}
}

func sameElements(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	as, bs := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		as[i], bs[i] = canonicalAny(a[i]), canonicalAny(b[i])
	}
	slices.Sort(as)
	slices.Sort(bs)
	return slices.Equal(as, bs)
}

func canonicalAny(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// setMap writes a map, or removes the key when it is empty.
func setMap(m map[string]any, key string, v map[string]any) {
	delete(m, key)
	if len(v) > 0 {
		m[key] = v
	}
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// logGroupOf returns the log group name in a CloudWatch Logs ARN.
func logGroupOf(arn string) string {
	_, rest, ok := strings.Cut(arn, ":log-group:")
	if !ok {
		return ""
	}
	return strings.TrimSuffix(rest, ":*")
}
