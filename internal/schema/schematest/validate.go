package schematest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	metavalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
)

// ErrUnknownKind is wrapped by Validate when no embedded CRD serves the
// object's apiVersion and kind.
var ErrUnknownKind = errors.New("unknown kind")

// ErrUnknownField is wrapped by Validate for each field the schema does not
// declare, which the apiserver rejects under strict field validation.
var ErrUnknownField = errors.New("unknown field")

// Validate checks obj as the kube-apiserver would on create with strict
// field validation and without defaulting: unknown fields, metadata, the
// OpenAPI schema (types, enums, required, patterns, bounds, formats), list
// types, and the CEL rules that apply on create. It never modifies obj.
// The result joins every problem in a stable order; each one names the
// object as Kind/namespace/name and the field path. Value errors wrap a
// *field.Error.
func (s *Set) Validate(obj *unstructured.Unstructured) error {
	ref := objectRef(obj)
	gvk := obj.GroupVersionKind()
	k, ok := s.kinds[gvk]
	if !ok {
		return fmt.Errorf("%s: %w %s", ref, ErrUnknownKind, gvk)
	}
	u, err := jsonCopy(obj.Object)
	if err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	unknown, errs := k.prune(u)
	var out []error
	for _, p := range unknown {
		out = append(out, fmt.Errorf("%s: %w %q", ref, ErrUnknownField, p))
	}
	valErrs, skipped := k.validate(u)
	for _, fe := range append(errs, valErrs...) {
		out = append(out, fmt.Errorf("%s: %w", ref, fe))
	}
	if skipped && k.createRules {
		out = append(out, fmt.Errorf("%s: x-kubernetes-validations rules were not checked because of the errors above", ref))
	}
	return errors.Join(out...)
}

// jsonCopy returns a deep copy of obj as the apiserver would decode it from
// JSON: whole numbers become int64 (YAML decoders often yield float64, which
// CEL rejects for integer fields) and everything else plain JSON values.
func jsonCopy(obj map[string]any) (map[string]any, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("encode object as json: %w", err)
	}
	var out map[string]any
	if err := utiljson.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("decode object json: %w", err)
	}
	return out, nil
}

// prune removes what the apiserver's decoder drops from u (unknown fields,
// non-nullable nulls) and returns the sorted unknown field paths, plus any
// error reading metadata.
func (k *kind) prune(u map[string]any) ([]string, field.ErrorList) {
	_, _, unknown, err := objectmeta.GetObjectMetaWithOptions(u, objectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		return nil, field.ErrorList{field.Invalid(field.NewPath("metadata"), nil, err.Error())}
	}
	unknown = append(unknown, pruning.PruneWithOptions(u, k.structural, true,
		structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})...)
	defaulting.PruneNonNullableNullsWithoutDefaults(u, k.structural)
	ferr, paths := objectmeta.CoerceWithOptions(nil, u, k.structural, false, objectmeta.CoerceOptions{ReturnUnknownFieldPaths: true})
	unknown = append(unknown, paths...)
	slices.Sort(unknown)
	if ferr != nil {
		return unknown, field.ErrorList{ferr}
	}
	return unknown, nil
}

// validate runs the apiserver's create-time checks on the pruned object u,
// each group sorted by message. CEL rules run only when the structural
// checks found nothing that would block them, as in the apiserver; skipped
// reports that they were not run.
func (k *kind) validate(u map[string]any) (errs field.ErrorList, skipped bool) {
	ctx := context.Background() // validation is CPU-bound; the CEL cost budget bounds it
	groups := []field.ErrorList{
		k.validateMeta(u),
		validation.ValidateCustomResource(nil, u, k.validator),
		objectmeta.Validate(ctx, nil, u, k.structural, false),
		listtype.ValidateListSetsAndMaps(nil, k.structural, u),
	}
	for _, g := range groups {
		errs = append(errs, sortErrors(g)...)
	}
	if k.cel == nil {
		return errs, false
	}
	if blocksCEL(errs) {
		return errs, true
	}
	celErrs, _ := k.cel.Validate(ctx, nil, k.structural, u, nil, celconfig.RuntimeCELCostBudget)
	return append(errs, sortErrors(celErrs)...), false
}

// validateMeta checks metadata like the apiserver does for a custom
// resource. A namespaced object may leave its namespace empty (kubectl -n
// or a kustomization fills it); a cluster-scoped one must have none.
func (k *kind) validateMeta(u map[string]any) field.ErrorList {
	obj := &unstructured.Unstructured{Object: u}
	requiresNamespace := k.namespaced && obj.GetNamespace() != ""
	return metavalidation.ValidateObjectMetaAccessor(obj, requiresNamespace,
		metavalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
}

// blocksCEL mirrors the apiserver: after type, required, enum or size
// errors, CEL rules cannot be evaluated safely and are skipped.
func blocksCEL(errs field.ErrorList) bool {
	for _, e := range errs {
		switch e.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			return true
		}
	}
	return false
}

// sortErrors orders errs by message so that output never depends on map
// iteration inside the validators.
func sortErrors(errs field.ErrorList) field.ErrorList {
	slices.SortStableFunc(errs, func(a, b *field.Error) int { return strings.Compare(a.Error(), b.Error()) })
	return errs
}

// objectRef names an object as Kind/namespace/name, or Kind/name when it has
// no namespace. Every message of this package uses it.
func objectRef(obj *unstructured.Unstructured) string {
	if ns := obj.GetNamespace(); ns != "" {
		return obj.GetKind() + "/" + ns + "/" + obj.GetName()
	}
	return obj.GetKind() + "/" + obj.GetName()
}
