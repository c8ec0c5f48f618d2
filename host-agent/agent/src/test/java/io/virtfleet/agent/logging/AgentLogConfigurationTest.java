package io.virtfleet.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent's logback.xml reads VIRTFLEET_LOG_LEVEL and VIRTFLEET_LOG_FORMAT, which the chart renders (set here as
 * context properties, which logback looks up before the environment).
 */
class AgentLogConfigurationTest {
    @Test
    void defaultsToKeyValueTextAtInfo() throws Exception {
        LoggerContext context = configured(Map.of());
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(encode(root, "text", context)).contains("level=INFO").contains("volume=default.web01 phase=Ready");
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLineAtTheChosenLevel() throws Exception {
        LoggerContext context = configured(Map.of("VIRTFLEET_LOG_FORMAT", "json", "VIRTFLEET_LOG_LEVEL", "debug"));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(root.getAppender("text")).as("only the chosen format is attached").isNull();
        String line = encode(root, "json", context);
        assertThat(line).endsWith("\n").doesNotContain("\n{");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("formattedMessage").asText()).isEqualTo("volume=default.web01 phase=Ready");
        assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
    }

    private static LoggerContext configured(Map<String, String> properties) throws Exception {
        LoggerContext context = new LoggerContext();
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(AgentLogConfigurationTest.class.getResource("/logback.xml"));
        return context;
    }

    private static String encode(Logger root, String appenderName, LoggerContext context) {
        @SuppressWarnings("unchecked")
        var appender = (OutputStreamAppender<ILoggingEvent>) root.getAppender(appenderName);
        assertThat(appender).as("appender " + appenderName).isNotNull();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.virtfleet.agent.storage.VolumeJob"),
                Level.INFO, "volume={} phase={}", null, new Object[]{"default.web01", "Ready"});
        event.setMDCPropertyMap(Map.of()); // a bare LoggerContext has no MDC adapter
        return new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
    }
}
