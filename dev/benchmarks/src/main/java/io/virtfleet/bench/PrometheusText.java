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

    /** The sums of {@code metric} per value of the labels {@code names} (joined with a space), e.g. method and route. */
    java.util.Map<String, Double> sumBy(String metric, String... names) {
        java.util.Map<String, Double> sums = new java.util.TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + "{")) {
                String labels = line.substring(metric.length() + 1, line.lastIndexOf('}'));
                StringBuilder key = new StringBuilder();
                for (String name : names) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"")
                            .matcher(labels);
                    key.append(key.isEmpty() ? "" : " ").append(m.find() ? m.group(1) : "-");
                }
                sums.merge(key.toString(), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return sums;
    }
}
