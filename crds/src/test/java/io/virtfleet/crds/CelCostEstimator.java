package io.virtfleet.crds;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The worst-case cost a kube-apiserver estimates for each {@code x-kubernetes-validations} rule when a CRD is created,
 * re-implemented over cel-java's parsed AST so the budget can be checked without an API server. Every figure below
 * comes from the Kubernetes and cel-go sources (read at kubernetes master, cel-go master, late 2026):
 * <ul>
 *   <li>Limits — k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go:
 *   {@code StaticEstimatedCostLimit = 10,000,000} per rule, {@code StaticEstimatedCRDCostLimit = 100,000,000} for all
 *   rules of a CRD. A rule's figure is its expression cost times the largest number of times it can run: the product
 *   of {@code maxItems}/{@code maxProperties} of every list and map enclosing the schema node that carries it
 *   (getExpressionCost / MaxCardinality).</li>
 *   <li>Sizes — k8s.io/apiserver/pkg/cel/common/schemas.go (SchemaDeclType): a string with {@code maxLength} n has up
 *   to 4n bytes (estimateMaxElementsFromMaxLength: maxLength counts code points, a code point is up to 4 bytes),
 *   likewise an x-kubernetes-int-or-string with maxLength; an enum string its longest value; without either, the
 *   request size limit {@code DefaultMaxRequestSizeBytes} (3 MiB) minus 2. A list without maxItems holds
 *   {@code (3 MiB - 2) / (minItemSize + 1)} items, a map without maxProperties {@code (3 MiB - 2) / (minValueSize + 6)}.
 *   Minimum serialized sizes: string 2, int/number/dyn 1, bool 4, object 2 + Σ(len(name) + min + 4) over required
 *   properties without default, list and map 2.</li>
 *   <li>Costs — cel-go checker/cost.go and common/cost.go: identifiers and field selections 1
 *   ({@code SelectAndIdentCost}), has() 1, constants 0, a list literal 10 ({@code ListCreateBaseCost}), a map literal 30;
 *   a call 1 plus its arguments; {@code &&}, {@code ||} and {@code ?:} only their operands; {@code ==}, {@code !=} and
 *   string comparisons {@code ceil(min(size(a), size(b)) × 0.1)} ({@code StringTraversalCostFactor}); {@code matches}
 *   {@code ceil((size(s)+1) × 0.1) × ceil(size(regex) × 0.25)} ({@code RegexStringLengthCostFactor}); startsWith /
 *   endsWith {@code ceil(size(arg) × 0.1)}; contains {@code ceil(size(s) × 0.1) × ceil(size(arg) × 0.1)}; string
 *   concatenation {@code ceil((size(a)+size(b)) × 0.1)}; {@code in} on a list its size; a comprehension (all, exists,
 *   exists_one, filter, map) {@code range + init + result + size(range) × (loopCondition + loopStep)}.</li>
 *   <li>Kubernetes library functions — k8s.io/apiserver/pkg/cel/library/cost.go: split {@code ceil(size × 0.2)},
 *   result a list of up to size(s) strings of unknown size; substring, lowerAscii, upperAscii, trim
 *   {@code ceil(size × 0.1)}, result as long as the input; indexOf / lastIndexOf (over-estimated here as contains);
 *   quantity() / isQuantity() {@code ceil(size × 0.1)}; quantity methods 1.</li>
 * </ul>
 * Where this estimator cannot tell what the API server would know (no type checker here), it over-estimates: a value
 * of unknown size counts as {@link Long#MAX_VALUE}-like ({@link #UNKNOWN}), so a rule that compares two strings of
 * unknown size (e.g. the results of split()) is reported far above the budget, exactly as the API server would.
 */
final class CelCostEstimator {
    static final long MAX_REQUEST_BYTES = 3L * 1024 * 1024;
    static final long PER_RULE_LIMIT = 10_000_000L;
    static final long PER_CRD_LIMIT = 100_000_000L;
    /** A size the estimator cannot bound; the arithmetic saturates at this value. */
    static final long UNKNOWN = Long.MAX_VALUE / 4;

    private static final CelCompiler PARSER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings())
            .build();

    /** One rule: where it sits, its text, its expression cost, how often it can run, and the product. */
    record RuleCost(String path, String rule, long expressionCost, long cardinality) {
        long total() {
            return mul(expressionCost, cardinality);
        }
    }

    /** What the estimator knows of a value: its kind, its largest size (bytes, items) and, for lists/maps, its items. */
    private record Val(Kind kind, long size, JSONSchemaProps schema, Val element) {
        static final Val OTHER = new Val(Kind.SCALAR, 1, null, null);
        static final Val UNKNOWN_STRING = new Val(Kind.STRING, UNKNOWN, null, null);

        static Val string(long size) {
            return new Val(Kind.STRING, size, null, null);
        }
    }

    private enum Kind { STRING, LIST, MAP, OBJECT, SCALAR }

    private record Est(long cost, Val val) {
    }

    private CelCostEstimator() {
    }

    /** Every rule of a CRD's root schema with its estimated cost. */
    static List<RuleCost> estimate(JSONSchemaProps root) {
        List<RuleCost> out = new ArrayList<>();
        walk(root, "", 1, true, out);
        return out;
    }

    private static void walk(JSONSchemaProps schema, String path, long cardinality, boolean resourceRoot,
                             List<RuleCost> out) {
        if (schema.getXKubernetesValidations() != null) {
            Val self = valueOf(schema);
            for (ValidationRule rule : schema.getXKubernetesValidations()) {
                long cost = ruleCost(rule.getRule(), self);
                out.add(new RuleCost(path.isEmpty() ? "<root>" : path, rule.getRule(), cost, cardinality));
            }
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            walk(schema.getItems().getSchema(), path + "[]", mul(cardinality, valueOf(schema).size()), false, out);
        }
        if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
            walk(schema.getAdditionalProperties().getSchema(), path + "{}", mul(cardinality, valueOf(schema).size()),
                    false, out);
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> walk(child, path + "." + name, cardinality, false, out));
        }
    }

    /** The estimated cost of one rule whose {@code self} (and {@code oldSelf}) is described by {@code self}. */
    static long ruleCost(String rule, JSONSchemaProps self) {
        return ruleCost(rule, valueOf(self));
    }

    private static long ruleCost(String rule, Val self) {
        CelExpr expr;
        try {
            expr = PARSER.parse(rule).getAst().getExpr();
        } catch (Exception e) {
            throw new IllegalArgumentException("rule does not parse: " + rule, e);
        }
        Map<String, Val> vars = new HashMap<>();
        vars.put("self", self);
        vars.put("oldSelf", self);
        return cost(expr, vars).cost();
    }

    // ---- sizes from the schema (schemas.go) ----

    /** The largest size (bytes of a string, items of a list or map) the API server assumes for a schema. */
    static long valueOfSize(JSONSchemaProps s) {
        return valueOf(s).size();
    }

    private static Val valueOf(JSONSchemaProps s) {
        if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
            long size = s.getMaxLength() != null ? s.getMaxLength() * 4 : MAX_REQUEST_BYTES - 2;
            return new Val(Kind.STRING, size, s, null);
        }
        String type = s.getType() == null ? "" : s.getType();
        switch (type) {
            case "string": {
                if (s.getFormat() != null && List.of("date", "date-time", "duration").contains(s.getFormat())) {
                    return new Val(Kind.SCALAR, 1, s, null);
                }
                long size;
                if (s.getMaxLength() != null) {
                    size = s.getMaxLength() * 4;
                } else if (s.getEnum() != null && !s.getEnum().isEmpty()) {
                    size = s.getEnum().stream().mapToLong(e -> e.asText().length()).max().orElse(0);
                } else {
                    size = MAX_REQUEST_BYTES - 2;
                }
                return new Val(Kind.STRING, size, s, null);
            }
            case "array": {
                JSONSchemaProps items = s.getItems().getSchema();
                long max = s.getMaxItems() != null ? s.getMaxItems() : (MAX_REQUEST_BYTES - 2) / (minSize(items) + 1);
                return new Val(Kind.LIST, max, s, valueOf(items));
            }
            case "object": {
                if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
                    JSONSchemaProps values = s.getAdditionalProperties().getSchema();
                    long max = s.getMaxProperties() != null ? s.getMaxProperties()
                            : (MAX_REQUEST_BYTES - 2) / (minSize(values) + 6);
                    return new Val(Kind.MAP, max, s, valueOf(values));
                }
                return new Val(Kind.OBJECT, UNKNOWN, s, null);
            }
            default:
                return new Val(Kind.SCALAR, 1, s, null);
        }
    }

    private static long minSize(JSONSchemaProps s) {
        if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
            return 1;
        }
        String type = s.getType() == null ? "" : s.getType();
        return switch (type) {
            case "string" -> 2;
            case "boolean" -> 4;
            case "array" -> 2;
            case "object" -> {
                long min = 2;
                if (s.getProperties() != null && s.getRequired() != null) {
                    for (String name : s.getRequired()) {
                        JSONSchemaProps p = s.getProperties().get(name);
                        if (p != null && p.getDefault() == null) {
                            min += name.length() + minSize(p) + 4;
                        }
                    }
                }
                yield min;
            }
            default -> 1;
        };
    }

    // ---- costs (cel-go checker/cost.go, k8s library/cost.go) ----

    private static Est cost(CelExpr e, Map<String, Val> vars) {
        return switch (e.getKind()) {
            case CONSTANT -> {
                CelConstant c = e.constant();
                yield new Est(0, c.getKind() == CelConstant.Kind.STRING_VALUE
                        ? Val.string(c.stringValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                        : Val.OTHER);
            }
            case IDENT -> new Est(1, vars.getOrDefault(e.ident().name(), Val.UNKNOWN_STRING));
            case SELECT -> {
                Est operand = cost(e.select().operand(), vars);
                if (e.select().testOnly()) {
                    yield new Est(add(operand.cost(), 1), Val.OTHER);
                }
                yield new Est(add(operand.cost(), 1), field(operand.val(), e.select().field()));
            }
            case LIST -> {
                long sum = 10;
                Val element = null;
                for (CelExpr item : e.list().elements()) {
                    Est est = cost(item, vars);
                    sum = add(sum, est.cost());
                    element = element == null || est.val().size() > element.size() ? est.val() : element;
                }
                yield new Est(sum, new Val(Kind.LIST, e.list().elements().size(), null,
                        element == null ? Val.OTHER : element));
            }
            case MAP, STRUCT -> new Est(30, Val.OTHER);
            case COMPREHENSION -> comprehension(e.comprehension(), vars);
            case CALL -> call(e.call(), vars);
            default -> new Est(UNKNOWN, Val.UNKNOWN_STRING);
        };
    }

    private static Val field(Val operand, String name) {
        if (operand.schema() != null && operand.kind() == Kind.OBJECT && operand.schema().getProperties() != null
                && operand.schema().getProperties().containsKey(name)) {
            return valueOf(operand.schema().getProperties().get(name));
        }
        if (operand.kind() == Kind.MAP && operand.element() != null) {
            return operand.element();
        }
        if (operand.schema() != null && operand.kind() == Kind.OBJECT && "metadata".equals(name)) {
            return new Val(Kind.OBJECT, UNKNOWN, metadataSchema(), null);
        }
        return Val.UNKNOWN_STRING;
    }

    /** At a resource root the API server exposes metadata.name and generateName as plain strings (WithTypeAndObjectMeta). */
    private static JSONSchemaProps metadataSchema() {
        JSONSchemaProps string = new JSONSchemaProps();
        string.setType("string");
        JSONSchemaProps metadata = new JSONSchemaProps();
        metadata.setType("object");
        metadata.setProperties(Map.of("name", string, "generateName", string));
        return metadata;
    }

    private static Est comprehension(CelExpr.CelComprehension c, Map<String, Val> outer) {
        Est range = cost(c.iterRange(), outer);
        Est init = cost(c.accuInit(), outer);
        Map<String, Val> vars = new HashMap<>(outer);
        Val element = range.val().element() != null ? range.val().element() : Val.UNKNOWN_STRING;
        if (range.val().kind() == Kind.MAP) {
            element = Val.string(UNKNOWN); // iterating a map yields its keys
        }
        vars.put(c.iterVar(), element);
        vars.put(c.accuVar(), new Val(Kind.LIST, range.val().size(), null, element));
        long loop = add(cost(c.loopCondition(), vars).cost(), cost(c.loopStep(), vars).cost());
        Est result = cost(c.result(), vars);
        long total = add(add(range.cost(), init.cost()), add(result.cost(), mul(range.val().size(), loop)));
        Val val = c.accuInit().getKind() == CelExpr.ExprKind.Kind.LIST
                ? new Val(Kind.LIST, range.val().size(), null, element) : Val.OTHER;
        return new Est(total, val);
    }

    private static Est call(CelExpr.CelCall call, Map<String, Val> vars) {
        long argCost = 0;
        List<Val> args = new ArrayList<>();
        for (CelExpr arg : call.args()) {
            Est est = cost(arg, vars);
            argCost = add(argCost, est.cost());
            args.add(est.val());
        }
        Val target = null;
        if (call.target().isPresent()) {
            Est est = cost(call.target().get(), vars);
            argCost = add(argCost, est.cost());
            target = est.val();
        }
        String fn = call.function();
        Val subject = target != null ? target : args.isEmpty() ? Val.OTHER : args.get(0);
        Val operand = target != null ? (args.isEmpty() ? Val.OTHER : args.get(0)) : args.size() > 1 ? args.get(1) : Val.OTHER;
        switch (fn) {
            case "_&&_", "_||_":
                return new Est(argCost, Val.OTHER);
            case "_?_:_": {
                // condition + the dearer branch; argCost holds all three, which over-estimates by the cheaper branch
                Val size = args.get(1).size() >= args.get(2).size() ? args.get(1) : args.get(2);
                return new Est(argCost, size);
            }
            case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_":
                return new Est(add(argCost, Math.max(1, factor(Math.min(args.get(0).size(), args.get(1).size()), 0.1))),
                        Val.OTHER);
            case "matches":
                return new Est(add(argCost, mul(factor(add(subject.size(), 1), 0.1), factor(operand.size(), 0.25))),
                        Val.OTHER);
            case "startsWith", "endsWith":
                return new Est(add(argCost, factor(operand.size(), 0.1)), Val.OTHER);
            case "contains", "indexOf", "lastIndexOf":
                return new Est(add(argCost, mul(factor(subject.size(), 0.1), Math.max(1, factor(operand.size(), 0.1)))),
                        Val.OTHER);
            case "_+_":
                if (args.get(0).kind() == Kind.LIST) {
                    return new Est(add(argCost, 1), new Val(Kind.LIST, add(args.get(0).size(), args.get(1).size()),
                            null, args.get(0).element()));
                }
                long size = add(args.get(0).size(), args.get(1).size());
                return new Est(add(argCost, factor(size, 0.1)), Val.string(size));
            case "@in":
                return new Est(add(argCost, args.get(1).size()), Val.OTHER);
            case "_[_]":
                return new Est(add(argCost, 1), args.get(0).element() != null ? args.get(0).element() : Val.UNKNOWN_STRING);
            case "split":
                return new Est(add(argCost, factor(subject.size(), 0.2)),
                        new Val(Kind.LIST, subject.size(), null, Val.UNKNOWN_STRING));
            case "substring", "lowerAscii", "upperAscii", "trim":
                return new Est(add(argCost, factor(subject.size(), 0.1)), Val.string(subject.size()));
            case "string":
                return new Est(add(argCost, Math.max(1, factor(subject.size(), 0.1))),
                        subject.kind() == Kind.STRING ? subject : Val.string(32));
            case "quantity", "isQuantity":
                return new Est(add(argCost, factor(subject.size(), 0.1)), Val.OTHER);
            default:
                return new Est(add(argCost, 1), Val.OTHER);
        }
    }

    private static long factor(long size, double factor) {
        if (size >= UNKNOWN) {
            return UNKNOWN;
        }
        return (long) Math.ceil(size * factor);
    }

    static long add(long a, long b) {
        return Math.min(UNKNOWN, a + b);
    }

    static long mul(long a, long b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return a > UNKNOWN / b ? UNKNOWN : Math.min(UNKNOWN, a * b);
    }
}
