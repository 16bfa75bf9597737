package io.wgmon.delivery;

import org.jboss.logmanager.ExtLogRecord;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the formatted messages a logger writes at WARN or above while open. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String category) {
        logger = Logger.getLogger(category);
        logger.addHandler(handler);
    }

    public static LogCapture warningsOf(Class<?> loggerClass) {
        return new LogCapture(loggerClass.getName());
    }

    /** For a class this test cannot name: {@code category} is its full name, its logger's category. */
    public static LogCapture warningsOf(String category) {
        return new LogCapture(category);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public List<String> warningsContaining(String text) {
        return warnings.stream().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
