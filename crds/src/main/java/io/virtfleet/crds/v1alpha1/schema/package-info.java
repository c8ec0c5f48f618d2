/**
 * Schema-only twins of Fabric8 model types the API uses ({@code SecretKeySelector}, {@code Condition}): the same JSON
 * properties, plus the descriptions {@code kubectl explain} shows. Fields reference them with {@code @SchemaFrom}; the
 * Java model keeps the Fabric8 types. {@code SchemaTwinsTest} keeps the property names in step.
 */
package io.virtfleet.crds.v1alpha1.schema;
