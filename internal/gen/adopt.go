package gen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/eks-render/render/internal/ack"
	"github.com/eks-render/render/internal/config"
)

// metaObject is what every rendered ACK object is: typed metadata and a kind.
type metaObject interface {
	metav1.Object
	GetObjectKind() schema.ObjectKind
}

// adopt puts the adoption annotations of env.Adopt (imports/<env>.yaml) on
// the management objects they name, and on no other. An entry for an
// object the environment does not render is an error; one for an object
// that waits for late values (a FlowLog or an OIDC provider adopted before
// the VPC ID or issuer is known) waits with it.
func adopt(env config.Environment, objs []any, pending bool) error {
	var later map[string]bool
	if pending && len(env.Adopt) > 0 {
		var err error
		if later, err = allManagement(env); err != nil {
			return err
		}
	}
	byName := map[string]metav1.Object{}
	for _, o := range objs {
		if m, ok := o.(metaObject); ok {
			byName[m.GetObjectKind().GroupVersionKind().Kind+"/"+m.GetName()] = m
		}
	}
	var errs []error
	for _, a := range env.Adopt {
		if err := checkAdoption(a); err != nil {
			errs = append(errs, err)
			continue
		}
		m, ok := byName[a.Object]
		if !ok {
			if !later[a.Object] {
				errs = append(errs, fmt.Errorf("%s: adopt %s: environment %s renders no such object", a.Source, a.Object, env.Name))
			}
			continue
		}
		// json.Marshal sorts map keys: the annotation is deterministic.
		fields, err := json.Marshal(a.Fields)
		if err != nil {
			return err
		}
		ann := m.GetAnnotations()
		if ann == nil {
			ann = map[string]string{}
		}
		ann[ack.AdoptionPolicyAnnotation] = ack.AdoptOrCreate
		ann[ack.AdoptionFieldsAnnotation] = string(fields)
		m.SetAnnotations(ann)
		if a.Name != "" {
			if err := setSpecName(m, a.Name); err != nil {
				errs = append(errs, fmt.Errorf("%s: adopt %s: %w", a.Source, a.Object, err))
			}
		}
		if len(a.Keep) > 0 {
			if err := keepLive(m.(metaObject), a.Keep); err != nil {
				errs = append(errs, fmt.Errorf("%s: adopt %s: %w", a.Source, a.Object, err))
			}
		}
	}
	return errors.Join(errs...)
}

// setSpecName gives o, a typed ACK object, the AWS name of the resource it
// adopts (config.Adoption.Name): the template's name, not render's.
func setSpecName(o any, name string) error {
	v := reflect.ValueOf(o)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	f := v.FieldByName("Spec")
	if f.IsValid() {
		f = f.FieldByName("Name")
	}
	if !f.IsValid() || f.Kind() != reflect.String || !f.CanSet() {
		return fmt.Errorf("name %q: the object has no spec.name", name)
	}
	f.SetString(name)
	return nil
}

// keepLive renders on o, a typed ACK object, the live values of the
// create-only fields an imports entry keeps (config.Adoption.Keep, written
// by render import --allow-conflicts): AWS keeps them whatever the spec
// says, so the spec says what AWS has. Keeping a field's ID form
// (spec.podExecutionRoleARN) drops its reference form
// (spec.podExecutionRoleRef), which would resolve to another value. The
// values go through the typed struct (a JSON round trip that refuses
// unknown fields), so the json tags decide the output, as for every
// object. Only the kind's create-only fields (ack.CreateOnly) can be kept:
// any other field ACK changes in place, and render renders its own value.
func keepLive(o metaObject, keep map[string]string) error {
	gk := o.GetObjectKind().GroupVersionKind().GroupKind()
	allowed := ack.CreateOnly[gk]
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	var u map[string]any
	if err := json.Unmarshal(b, &u); err != nil {
		return err
	}
	paths := make([]string, 0, len(keep))
	for p := range keep {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		if !slices.Contains(allowed, p) {
			if len(allowed) == 0 {
				return fmt.Errorf("keep.%s: a %s has no create-only field; render renders its own value of any other field, which ACK changes in place", p, gk.Kind)
			}
			return fmt.Errorf("keep.%s is not a create-only field of a %s; want one of %s", p, gk.Kind, strings.Join(allowed, ", "))
		}
		var v any
		if err := json.Unmarshal([]byte(keep[p]), &v); err != nil {
			return fmt.Errorf("keep.%s: %w", p, err)
		}
		if err := unstructured.SetNestedField(u, v, strings.Split(p, ".")...); err != nil {
			return fmt.Errorf("keep.%s: %w", p, err)
		}
		for _, q := range allowed {
			if _, kept := keep[q]; q != p && !kept && ack.IsRef(q) && ack.FieldStem(q) == ack.FieldStem(p) {
				unstructured.RemoveNestedField(u, strings.Split(q, ".")...)
			}
		}
	}
	if b, err = json.Marshal(u); err != nil {
		return err
	}
	fresh := reflect.New(reflect.TypeOf(o).Elem())
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(fresh.Interface()); err != nil {
		return fmt.Errorf("keep: the kept values do not fit a %s: %w", gk.Kind, err)
	}
	reflect.ValueOf(o).Elem().Set(fresh.Elem())
	return nil
}

// checkAdoption checks that the controller of a's kind can adopt and that
// a has exactly the fields it reads the resource by.
func checkAdoption(a config.Adoption) error {
	kind, _, _ := strings.Cut(a.Object, "/")
	want, ok := ack.AdoptionFields[kind]
	if !ok {
		kinds := make([]string, 0, len(ack.AdoptionFields))
		for k := range ack.AdoptionFields {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		return fmt.Errorf("%s: adopt %s: render does not adopt a %s; it adopts %s", a.Source, a.Object, kind, strings.Join(kinds, ", "))
	}
	var errs []error
	for _, k := range want {
		if _, ok := a.Fields[k]; !ok {
			errs = append(errs, fmt.Errorf("%s: adopt %s: fields.%s is missing; the %s controller reads the resource by %s",
				a.Source, a.Object, k, kind, strings.Join(want, " and ")))
		}
	}
	keys := make([]string, 0, len(a.Fields))
	for k := range a.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(want, k) {
			errs = append(errs, fmt.Errorf("%s: adopt %s: fields.%s is not an identifier of a %s; want %s",
				a.Source, a.Object, k, kind, strings.Join(want, " and ")))
		}
	}
	return errors.Join(errs...)
}

// allManagement returns Kind/name of every management object env renders
// once all late values are known, from placeholders: which objects exist
// does not depend on the values themselves.
func allManagement(env config.Environment) (map[string]bool, error) {
	env.Adopt = nil
	r, err := Render(env, LateValues{
		AccountID: "000000000000", VPCID: "vpc-00000000", OIDCIssuer: "https://oidc.invalid/id/0",
		ClusterEndpoint: "https://cluster.invalid", ClusterCA: "Y2E=",
	})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, o := range r.Management {
		if m, ok := o.(metaObject); ok {
			out[m.GetObjectKind().GroupVersionKind().Kind+"/"+m.GetName()] = true
		}
	}
	return out, nil
}

// adoptedName is the AWS name imports/<env>.yaml gives object (Kind/name)
// when it adopts a resource under a name of its own
// (config.Adoption.Name), else name: what refers to the resource by name
// (the flow log role's policy names its log group) follows it.
func (r *renderer) adoptedName(object, name string) string {
	for _, a := range r.env.Adopt {
		if a.Object == object && a.Name != "" {
			return a.Name
		}
	}
	return name
}
