package io.wgmon.delivery;

import org.jboss.logmanager.ExtLogRecord;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the formatted messages a logger writes at WARN or above, and those at INFO, while open. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> infos = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(message);
            } else if (record.getLevel().intValue() == Level.INFO.intValue()) {
                infos.add(message);
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

    /** The messages written at INFO (not above). */
    public List<String> infos() {
        return List.copyOf(infos);
    }

    public List<String> warningsContaining(String text) {
        return warnings.stream().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
