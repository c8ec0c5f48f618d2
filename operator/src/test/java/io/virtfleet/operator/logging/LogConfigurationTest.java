package io.virtfleet.operator.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's logback.xml reads VIRTFLEET_LOG_LEVEL and VIRTFLEET_LOG_FORMAT (set here as context properties,
 * which logback looks up before the environment, exactly as it substitutes the chart's env vars).
 */
class LogConfigurationTest {
    @Test
    void defaultsToKeyValueTextAtInfo() throws Exception {
        LoggerContext context = configured(Map.of());
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        String line = encode(root, "text", context);
        assertThat(line).contains("ns=default name=web01").contains("status transition: Running")
                .contains("phase=\"Running\"");
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLineWithNamespaceNameAndTheDecisionsFields() throws Exception {
        LoggerContext context = configured(Map.of("VIRTFLEET_LOG_FORMAT", "json", "VIRTFLEET_LOG_LEVEL", "debug"));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(root.getAppender("text")).as("only the chosen format is attached").isNull();
        String line = encode(root, "json", context);
        assertThat(line).endsWith("\n").doesNotContain("\n{");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("mdc").path("resource.namespace").asText()).isEqualTo("default");
        assertThat(json.path("mdc").path("resource.name").asText()).isEqualTo("web01");
        assertThat(json.path("formattedMessage").asText()).isEqualTo("status transition: Running");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("kvpList").toString()).contains("phase").contains("Running");
        assertThat(context.getLogger("io.javaoperatorsdk").getLevel()).isEqualTo(Level.WARN);
    }

    private static LoggerContext configured(Map<String, String> properties) throws JoranException {
        LoggerContext context = new LoggerContext();
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogConfigurationTest.class.getResource("/logback.xml"));
        return context;
    }

    private static String encode(Logger root, String appenderName, LoggerContext context) {
        Appender<ch.qos.logback.classic.spi.ILoggingEvent> appender = root.getAppender(appenderName);
        assertThat(appender).as("appender " + appenderName).isNotNull();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.virtfleet.operator.status.StatusChange"),
                Level.INFO, "status transition: {}", null, new Object[]{"Running"});
        event.setMDCPropertyMap(Map.of("resource.namespace", "default", "resource.name", "web01"));
        List<KeyValuePair> pairs = new ArrayList<>();
        pairs.add(new KeyValuePair("phase", "Running"));
        event.setKeyValuePairs(pairs);
        @SuppressWarnings("unchecked")
        var encoder = ((OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) appender).getEncoder();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
