package io.wgmon.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mosquitto_sub} speaking MQTT 5, reading a topic filter with QoS 1, each message kept with the time
 * mosquitto_sub received it ({@code %U}), its retain flag (set only for a message read from the broker's retained
 * store), its MQTT 5 user properties ({@code %P}), topic and payload (one line: wgmon's payloads hold no line
 * break). With a client id its session is persistent (clean session off, never expiring): what arrives for it
 * while it is away is queued by the broker.
 */
public final class MqttSubscriber implements AutoCloseable {
    private static final Pattern LINE = Pattern.compile("(\\S+) ([01]) (\\S+) <([^>]*)> ?(.*)");

    /**
     * One message as mosquitto_sub printed it.
     *
     * @param properties the user properties as {@code key:value}, space-separated; empty when there are none
     */
    public record Message(Instant receivedAt, boolean retained, String topic, String properties, String payload) {
        /** The value of user property {@code key}, or null. */
        public String property(String key) {
            for (String property : properties.split(" ")) {
                if (property.startsWith(key + ":")) {
                    return property.substring(key.length() + 1);
                }
            }
            return null;
        }
    }

    private final Process process;
    private final List<Message> messages = new ArrayList<>();
    private final Thread reader;

    private MqttSubscriber(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "mosquitto_sub-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** @param tls the folder with {@code ca.pem}, {@code client.pem} and {@code client.key} */
    static MqttSubscriber start(String namespace, int port, Path tls, String user, String password, String filter,
                                String clientId) throws IOException {
        List<String> argv = MqttBroker.inNamespace(namespace, "mosquitto_sub", "-h", "localhost", "-p",
                String.valueOf(port), "--cafile", tls.resolve("ca.pem").toString(), "--cert",
                tls.resolve("client.pem").toString(), "--key", tls.resolve("client.key").toString(), "-u", user, "-P",
                password, "-q", "1", "-t", filter,
                "-V", "5", "-F", "%U %r %t <%P> %p");
        if (clientId != null) {
            argv.addAll(List.of("-i", clientId, "-c"));
        }
        argv.add("--quiet");
        return new MqttSubscriber(new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher parts = LINE.matcher(line);
                if (!parts.matches()) {
                    continue;
                }
                BigDecimal seconds = new BigDecimal(parts.group(1));
                Instant at = Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
                synchronized (messages) {
                    messages.add(new Message(at, parts.group(2).equals("1"), parts.group(3), parts.group(4),
                            parts.group(5)));
                    messages.notifyAll();
                }
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    public List<Message> all() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** The first message matching, waiting up to {@code timeout}; null when none came. */
    public Message await(Predicate<Message> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (true) {
                for (Message message : messages) {
                    if (wanted.test(message)) {
                        return message;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                messages.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
