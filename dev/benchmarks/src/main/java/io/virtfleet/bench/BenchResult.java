package io.virtfleet.bench;

import java.util.Locale;

/**
 * The last line every benchmark prints: {@code NAME ratio=<x> target<=<y>} (or {@code target>=}). Figures measured on
 * the way are printed above it with {@link #figure}.
 */
public record BenchResult(String name, double ratio, String comparison, double target) {
    public BenchResult {
        if (!comparison.equals("<=") && !comparison.equals(">=")) {
            throw new IllegalArgumentException("comparison must be <= or >=: " + comparison);
        }
    }

    public static BenchResult atMost(String name, double ratio, double target) {
        return new BenchResult(name, ratio, "<=", target);
    }

    public static BenchResult atLeast(String name, double ratio, double target) {
        return new BenchResult(name, ratio, ">=", target);
    }

    public boolean met() {
        return comparison.equals("<=") ? ratio <= target : ratio >= target;
    }

    public String line() {
        return String.format(Locale.ROOT, "%s ratio=%.3f target%s%.2f", name, ratio, comparison, target);
    }

    public static void figure(String name, String format, Object... args) {
        System.out.println(name + " " + String.format(Locale.ROOT, format, args));
    }

    public void print() {
        System.out.println(line());
    }
}
