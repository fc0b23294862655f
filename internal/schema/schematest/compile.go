package schematest

import (
	"errors"
	"fmt"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
)

// kind is everything compiled from one served version of a CRD.
type kind struct {
	// namespaced is true for CRDs with scope Namespaced.
	namespaced bool
	// structural drives pruning, list-type, embedded-object and CEL checks.
	structural *structuralschema.Structural
	// validator is the OpenAPI validator (types, enums, required, formats, ...).
	validator validation.SchemaValidator
	// cel evaluates x-kubernetes-validations; nil when the schema has none.
	// The library itself skips transition rules when there is no old object.
	cel *cel.Validator
	// createRules is true when some rule can fire on create (see hasCreateRule).
	createRules bool
}

// compile builds the validators of version v of crd the way the apiserver's
// CRD handler does: convert to the internal types, build the structural
// schema and compile the CEL rules.
func compile(crd *apiextensionsv1.CustomResourceDefinition, v apiextensionsv1.CustomResourceDefinitionVersion) (*kind, error) {
	if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
		return nil, errors.New("no openAPIV3Schema")
	}
	internal := &apiextensions.JSONSchemaProps{}
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, internal, nil); err != nil {
		return nil, fmt.Errorf("convert schema: %w", err)
	}
	ss, err := structuralschema.NewStructural(internal)
	if err != nil {
		return nil, fmt.Errorf("schema is not structural: %w", err)
	}
	if errs := structuralschema.ValidateStructural(nil, ss); len(errs) > 0 {
		return nil, fmt.Errorf("schema is not structural: %w", errs.ToAggregate())
	}
	validator, _, err := validation.NewSchemaValidator(internal)
	if err != nil {
		return nil, fmt.Errorf("build validator: %w", err)
	}
	return &kind{
		namespaced:  crd.Spec.Scope == apiextensionsv1.NamespaceScoped,
		structural:  ss,
		validator:   validator,
		cel:         cel.NewValidator(ss, true, celconfig.PerCallLimit),
		createRules: hasCreateRule(ss),
	}, nil
}

// hasCreateRule reports whether s or any schema below it has a rule that is
// evaluated on create, i.e. one that is not a transition rule (reading
// oldSelf without optionalOldSelf). It only decides whether skipping CEL is
// worth reporting, so a rule that merely mentions "oldSelf" in a string
// literal costs nothing but that note.
func hasCreateRule(s *structuralschema.Structural) bool {
	if s == nil {
		return false
	}
	for _, r := range s.XValidations {
		if !strings.Contains(r.Rule, "oldSelf") || (r.OptionalOldSelf != nil && *r.OptionalOldSelf) {
			return true
		}
	}
	if s.AdditionalProperties != nil && hasCreateRule(s.AdditionalProperties.Structural) {
		return true
	}
	for _, p := range s.Properties {
		if hasCreateRule(&p) {
			return true
		}
	}
	return hasCreateRule(s.Items)
}
