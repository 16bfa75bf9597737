package io.wgmon;

import io.wgmon.testbed.LiveBed;
import io.wgmon.testbed.MonitorProcess;
import io.wgmon.testbed.MqttBroker;
import io.wgmon.testbed.MqttSubscriber;
import io.wgmon.testbed.MqttSubscriber.Message;
import io.wgmon.testbed.Shell;
import io.wgmon.testbed.Testbed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet on one broker (docs/architecture.md#mqtt): three packaged wgmon processes, each in its own
 * server namespace with its own wireguard-go and its own local mosquitto (TLS, password), each local
 * broker bridged to a central mosquitto with the bridge block of deploy/mosquitto-bridge.conf. One
 * subscriber of {@code wgmon/+/+/+/state} on the central broker sees every server's peers.
 */
class MqttFleetIT {
    private static final int SERVERS = 3;
    private static final Path BRIDGE_EXAMPLE = Path.of("deploy/mosquitto-bridge.conf");

    private static final List<LiveBed> beds = new ArrayList<>();
    private static final List<MqttBroker> locals = new ArrayList<>();
    private static final List<MonitorProcess> monitors = new ArrayList<>();
    private static MqttBroker central;
    private static MqttSubscriber fleet;

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The central broker's address as server {@code n} reaches it over its link to the test's namespace. */
    private static String centralAddress(int n) {
        return "10.98." + n + ".1";
    }

    /** The example's bridge block, pointed at the central broker of this test (plain, on the link). */
    private static List<String> bridge(int n, int port, String id) throws IOException {
        List<String> lines = Files.readAllLines(BRIDGE_EXAMPLE).stream().map(String::strip)
                .dropWhile(line -> !line.startsWith("connection "))
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        List<String> block = new ArrayList<>();
        for (String line : lines) {
            String key = line.split("\\s+", 2)[0];
            switch (key) {
                case "address" -> block.add("address " + centralAddress(n) + ":" + port);
                case "bridge_cafile" -> { } // the central listener of this test is plain, on a private link
                case "remote_username" -> block.add("remote_username " + MqttBroker.USER);
                case "remote_password" -> block.add("remote_password " + MqttBroker.PASSWORD);
                case "remote_clientid" -> block.add("remote_clientid bridge-" + id);
                case "notification_topic" -> block.add("notification_topic wgmon-bridge/fleet-" + n + "/status");
                default -> block.add(line);
            }
        }
        assertTrue(block.stream().anyMatch(line -> line.startsWith("topic wgmon/")), "the example bridges wgmon's "
                + "topics: " + block);
        return block;
    }

    @BeforeAll
    static void start() throws Exception {
        int plain = freePort();
        for (int n = 1; n <= SERVERS; n++) {
            LiveBed bed = LiveBed.start(3480 + n, "fleet-" + n, Duration.ofSeconds(30));
            beds.add(bed);
            Testbed testbed = bed.testbed();
            String link = "vf" + testbed.id();
            Shell.run(List.of("ip", "link", "add", link, "type", "veth", "peer", "name", link + "s"));
            Shell.run(List.of("ip", "link", "set", link + "s", "netns", testbed.serverNs()));
            Shell.run(List.of("ip", "addr", "add", centralAddress(n) + "/24", "dev", link));
            Shell.run(List.of("ip", "link", "set", link, "up"));
            testbed.sh(testbed.serverNs(), "ip", "addr", "add", "10.98." + n + ".2/24", "dev", link + "s");
            testbed.sh(testbed.serverNs(), "ip", "link", "set", link + "s", "up");
        }
        List<String> listeners = new ArrayList<>();
        for (int n = 1; n <= SERVERS; n++) {
            listeners.add("listener " + plain + " " + centralAddress(n));
        }
        central = MqttBroker.startIn(null, freePort(), listeners);
        fleet = central.subscribe("wgmon/+/+/+/state", null);
        for (int n = 1; n <= SERVERS; n++) {
            LiveBed bed = beds.get(n - 1);
            MqttBroker local = MqttBroker.startIn(bed.testbed().serverNs(), 18883,
                    bridge(n, plain, bed.testbed().id()));
            locals.add(local);
            Map<String, String> env = bed.env(Duration.ofSeconds(30), Duration.ofSeconds(1));
            env.putAll(local.wgmonEnv());
            env.put("WGMON_HOST", "fleet-" + n);
            // a fleet of mixed brokers and versions: the first server speaks MQTT 3.1.1, the others 5
            env.put("WGMON_MQTT_PROTOCOL", n == 1 ? "3.1.1" : "5");
            monitors.add(bed.startMonitor(env));
        }
        for (MonitorProcess monitor : monitors) {
            monitor.awaitReady(Duration.ofSeconds(90));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (MonitorProcess monitor : monitors) {
            monitor.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        for (MqttBroker local : locals) {
            local.close();
        }
        if (central != null) {
            central.close();
        }
        for (LiveBed bed : beds) {
            bed.close(); // deleting the server namespace deletes its link to this one
        }
    }

    @Test
    void oneSubscriberOfTheCentralBrokerSeesEveryServersPeers() throws Exception {
        try {
            Set<String> expected = new TreeSet<>();
            for (int n = 1; n <= SERVERS; n++) {
                Testbed testbed = beds.get(n - 1).testbed();
                Testbed.Client client = testbed.addClient();
                testbed.ping(client);
                expected.add("wgmon/fleet-" + n + "/" + testbed.serverInterface() + "/"
                        + client.publicKey().replace('+', '-').replace('/', '_').replace("=", "") + "/state ON");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Set<String> seen = Set.of();
            while (System.nanoTime() < deadline) {
                seen = fleet.all().stream().map(m -> m.topic() + " " + m.payload()).collect(Collectors.toSet());
                if (seen.containsAll(expected)) {
                    break;
                }
                Thread.sleep(200);
            }
            System.out.println("MQTT fleet: the central subscriber saw " + new TreeSet<>(seen));
            assertTrue(seen.containsAll(expected), "every server's peer ON at the central broker: expected "
                    + expected + ", saw " + seen);
            assertEquals(SERVERS, fleet.all().stream().map(Message::topic).map(t -> t.split("/")[1]).distinct().count(),
                    "three hosts");
            for (int n = 1; n <= SERVERS; n++) {
                String version = n == 1 ? "(MQTT 3.1.1)" : "(MQTT 5)";
                assertTrue(monitors.get(n - 1).log().contains("mqtt: connected to mqtts://localhost:18883 as "
                        + "wgmon-fleet-" + n + " " + version), "server " + n + " connected with " + version);
            }
        } catch (AssertionError | RuntimeException e) {
            StringBuilder logs = new StringBuilder();
            for (int n = 0; n < monitors.size(); n++) {
                logs.append("\n---- wgmon ").append(n + 1).append(" ----\n").append(monitors.get(n).log())
                        .append("\n---- local broker ").append(n + 1).append(" ----\n").append(locals.get(n).log());
            }
            System.err.println(logs + "\n---- central ----\n" + central.log());
            throw e;
        }
    }
}
