package io.virtfleet.stack;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Every log event of this JVM (operator and agents) while open, with VirtFleet's own loggers at DEBUG so that no
 * line is hidden by the level. The text joins messages, MDC values, key-value pairs and exception messages.
 */
final class CapturedLogs implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger virtfleet = (Logger) LoggerFactory.getLogger("io.virtfleet");
    private final Level levelBefore = virtfleet.getLevel();

    private CapturedLogs() {
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
        virtfleet.setLevel(Level.DEBUG);
    }

    static CapturedLogs start() {
        return new CapturedLogs();
    }

    String text() {
        List<ILoggingEvent> events;
        synchronized (appender) { // AppenderBase appends under this lock
            events = List.copyOf(appender.list);
        }
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : events) {
            text.append(event.getLoggerName()).append(' ').append(event.getFormattedMessage())
                    .append(' ').append(event.getMDCPropertyMap());
            if (event.getKeyValuePairs() != null) {
                event.getKeyValuePairs().forEach(pair -> text.append(' ').append(pair));
            }
            for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
                text.append(' ').append(thrown.getClassName()).append(": ").append(thrown.getMessage());
            }
            text.append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        virtfleet.setLevel(levelBefore);
    }
}
