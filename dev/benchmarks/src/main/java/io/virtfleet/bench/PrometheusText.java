package io.virtfleet.bench;

/** One scrape of a Prometheus text endpoint, summed per metric name over all label sets. */
record PrometheusText(String text) {
    /** The sum of every sample of {@code metric} (any labels); 0 when there is none. */
    double sum(String metric) {
        return sum(metric, "");
    }

    /** The sum of the samples of {@code metric} whose labels contain {@code label}, e.g. {@code route="/healthz"}. */
    double sum(String metric, String label) {
        double total = 0;
        for (String line : text.split("\n")) {
            if ((line.startsWith(metric + "{") || line.startsWith(metric + " ")) && line.contains(label)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
