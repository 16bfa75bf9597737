package io.wgmon.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a live test of the packaged wgmon shares across its class: a {@link Testbed} whose server logs
 * to a random NFLOG group, a {@link WebhookReceiver} in the server's namespace, a log file for the
 * monitor, and the settings that point wgmon at them.
 */
public final class LiveBed implements AutoCloseable {
    private final Testbed testbed;
    private final WebhookReceiver receiver;
    private final Path log;
    private final int group;
    private final Duration idleTimeout;

    private LiveBed(Testbed testbed, WebhookReceiver receiver, Path log, int group, Duration idleTimeout) {
        this.testbed = testbed;
        this.receiver = receiver;
        this.log = log;
        this.group = group;
        this.idleTimeout = idleTimeout;
    }

    /**
     * Checks the live prerequisites (skips or fails loudly), then builds the bed; its rule keeps endpoints
     * known for {@code idleTimeout}, the monitor's (README, "The firewall rule").
     */
    public static LiveBed start(int listenPort, String name, Duration idleTimeout) throws Exception {
        LivePrerequisites.require("ip", "wg", "wireguard-go", "nft", "ping", "kill");
        Path log = Files.createTempFile("wgmon-" + name + "-", ".log");
        Testbed testbed = null;
        try {
            testbed = Testbed.create(listenPort);
            WebhookReceiver receiver = WebhookReceiver.startIn(testbed.serverNs());
            int group = ThreadLocalRandom.current().nextInt(100, 60000);
            testbed.logToNflog(group, idleTimeout);
            return new LiveBed(testbed, receiver, log, group, idleTimeout);
        } catch (Exception | Error e) {
            if (testbed != null) {
                testbed.close();
            }
            Files.deleteIfExists(log);
            throw e;
        }
    }

    /** wgmon's settings for this bed: its NFLOG group, the server interface, the receiver, quick retries. */
    public Map<String, String> env(Duration idleTimeout, Duration tick) {
        if (!idleTimeout.equals(this.idleTimeout)) {
            throw new IllegalArgumentException("idle-timeout " + idleTimeout + " is not the rule's " + this.idleTimeout);
        }
        Map<String, String> env = new HashMap<>();
        env.put("WGMON_NFLOG_GROUP", String.valueOf(group));
        env.put("WGMON_WIREGUARD_INTERFACES", testbed.serverInterface());
        env.put("WGMON_TRACKING_IDLE_TIMEOUT", idleTimeout.toSeconds() + "s");
        env.put("WGMON_TRACKING_TICK", tick.toSeconds() + "s");
        env.put("WGMON_WEBHOOK_URL", receiver.url("/hook").toString());
        env.put("WGMON_WEBHOOK_RETRY_INITIAL", "200ms");
        return env;
    }

    /** Starts the packaged wgmon in the server's namespace, logging to this bed's log file (emptied first). */
    public MonitorProcess startMonitor(Map<String, String> env) throws IOException {
        Files.writeString(log, "");
        return MonitorProcess.start(testbed.serverNs(), env, log);
    }

    public Testbed testbed() {
        return testbed;
    }

    public WebhookReceiver receiver() {
        return receiver;
    }

    @Override
    public void close() throws IOException {
        try {
            receiver.close();
        } finally {
            testbed.close();
            Files.deleteIfExists(log);
        }
    }
}
